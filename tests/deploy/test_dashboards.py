"""The provisioned Grafana dashboards work against the real schema: the compose ``verify`` job passes
against a running pipeline, every ClickHouse panel's SQL runs, the figure panels show the seeds, and
every Prometheus panel asks for metrics that something in the stack exposes."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml

from deploy.verify import DASHBOARDS, clickhouse_queries, expand
from tallywire.core.errors import INTERRUPTED
from tallywire.runtime.metrics import start_metrics_server
from tallywire.core.progress import Progress
from tests.conftest import REPO
from tallywire.testkit.cli_runner import Running, sql_rows, start_tallywire, tallywire_env, wait_for_queries, wait_until

# Panels that may be empty after the seed run: the seeds hold no poison messages.
MAY_BE_EMPTY = ("Dead letters",)
# What the Kafka exporter serves (danielqsj/kafka-exporter) and Prometheus adds to every target.
EXTERNAL_METRICS = {"kafka_consumergroup_lag", "up"}


@pytest.fixture(scope="module")
def verified_pipeline(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A running pipeline, fed by the verify job as compose runs it: (data dir, the job's output)."""
    data_dir = tmp_path_factory.mktemp("dashboards") / "data"
    running: Running = start_tallywire(data_dir, "run")
    try:
        wait_for_queries(running, data_dir)
        done = subprocess.run([sys.executable, str(REPO / "deploy" / "verify.py"), "--seeds", "seeds/", "--timeout", "120"],
                              cwd=REPO, env=tallywire_env(data_dir), capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stdout + done.stderr + running.output
        # verify returns once the figures are stored; the alerts they raise follow a moment later.
        wait_until(lambda: int(sql_rows(data_dir, "SELECT count() AS n FROM alerts")[0]["n"]) > 0, 60, "the seed alerts")
        yield data_dir, done.stdout
    finally:
        assert running.stop() == INTERRUPTED, running.output


@pytest.mark.e2e
def test_the_verify_job_finds_the_seed_figures_in_the_dashboard_timeline(verified_pipeline: tuple[Path, str]) -> None:
    assert "shows the seed figures [3000.0, 8000.0, 11000.0]" in verified_pipeline[1]


@pytest.mark.e2e
def test_every_clickhouse_panel_runs_and_shows_the_seeds(verified_pipeline: tuple[Path, str]) -> None:
    now = datetime.now(timezone.utc)
    queries = [q for path in sorted(DASHBOARDS.rglob("*.json")) for q in clickhouse_queries(path, now)]
    assert len(queries) >= 9
    for title, sql in queries:
        rows = sql_rows(verified_pipeline[0], sql)
        assert rows or title.startswith(MAY_BE_EMPTY), f"{title}: no rows from {sql}"


def test_grafana_macros_expand_to_plain_sql() -> None:
    dashboard = {"time": {"from": "now-1h", "to": "now"}, "templating": {"list": [{"name": "k", "current": {"value": "x"}}]}}
    now = datetime(2025, 1, 1, 1, tzinfo=timezone.utc)
    sql = expand("SELECT $__timeInterval(t) FROM f WHERE $__timeFilter(t) AND k = '${k}' AND $k != '' "
                 "AND t < $__toTime_ms AND $__conditionalAll(k IN ($k), $k)", dashboard, now)
    assert "$" not in sql
    assert "t >= toDateTime(1735689600) AND t <= toDateTime(1735693200)" in sql
    assert "INTERVAL 3 second" in sql and "k = 'x'" in sql and "k IN (x)" in sql


def exposed_metric_names() -> set[str]:
    progress = Progress()
    progress.note_produced("figures.v1")
    progress.note_handled("sink", "figures.v1")
    progress.note_event("duplicates")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stop = start_metrics_server("127.0.0.1", port, progress, lambda: True)  # listening once it returns
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    finally:
        stop()
    return {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line and not line.startswith("#")}


def test_every_prometheus_panel_asks_for_metrics_the_stack_exposes() -> None:
    exposed = exposed_metric_names() | EXTERNAL_METRICS
    jobs = {job["job_name"] for job in yaml.safe_load((REPO / "deploy/prometheus/prometheus.yml").read_text())["scrape_configs"]}
    exprs = [target["expr"] for path in sorted(DASHBOARDS.rglob("*.json"))
             for panel in json.loads(path.read_text())["panels"]
             if panel["datasource"]["type"] == "prometheus" for target in panel["targets"]]
    assert exprs, "no Prometheus panel"
    for expr in exprs:
        # Metric names: identifiers followed by { or (... ), not functions (rate, sum) or label names.
        for name in re.findall(r"\b([a-z_]+)(?=\{|\[)", expr):
            assert name in exposed, f"{name} in {expr}"
        for pattern in re.findall(r'job=~"([^"]+)"', expr):
            assert any(re.fullmatch(pattern, job) for job in jobs), expr
