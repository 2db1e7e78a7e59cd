"""The embedded pipeline's /metrics counters match what was ingested; /health answers."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import pytest

from tallywire.core.errors import INTERRUPTED
from tallywire.testkit.cli_runner import free_port, start_tallywire

pytestmark = pytest.mark.e2e


def metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith(f"{name}{{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name}{{{wanted}}} not in the metrics")


def test_metrics_count_what_the_seed_run_ingested(tmp_path: Path) -> None:
    port = free_port()
    running = start_tallywire(tmp_path / "data", "run", "--seeds", "seeds/", TALLYWIRE_METRICS_PORT=str(port))
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert running.alive() and time.monotonic() < deadline, running.output
            try:
                text = urllib.request.urlopen(f"{base}/metrics", timeout=5).read().decode()
                # Each table's sink counts on its own: alerts can all be stored before the last figures.
                stored = {topic: metric(text, "tallywire_messages_handled_total", stage="sink", topic=topic)
                          for topic in ("articles.v1", "figures.v1", "alerts.v2")}
                if stored["articles.v1"] >= 5 and stored["figures.v1"] >= 9 and stored["alerts.v2"] >= 6:
                    break
            except (OSError, AssertionError):
                pass
            time.sleep(0.5)
        assert metric(text, "tallywire_messages_produced_total", topic="raw-articles.v1") == 5
        assert metric(text, "tallywire_messages_handled_total", stage="story-features", topic="raw-articles.v1") == 5
        assert metric(text, "tallywire_messages_handled_total", stage="stories", topic="article-features.v1") == 5
        assert metric(text, "tallywire_messages_handled_total", stage="sink", topic="articles.v1") == 5
        assert metric(text, "tallywire_messages_handled_total", stage="sink", topic="figures.v1") == 10
        with urllib.request.urlopen(f"{base}/health", timeout=5) as health:
            assert health.status == 200
    finally:
        assert running.stop() == INTERRUPTED, running.output
