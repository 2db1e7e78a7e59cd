"""`tallywire run` restarts itself with a fresh embedded broker once the broker's memory passed
TALLYWIRE_BROKER_RECYCLE_MB and everything it holds is handled (Tansu keeps every message in memory and
cannot delete records): the same process goes on, and nothing is lost or stored twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tallywire.testkit.synthetic_news import synthetic_articles, write_folder
from ingest.file_source import read_articles
from tallywire.core.errors import INTERRUPTED
from tallywire.testkit.cli_runner import (
    count, doubled_ids, start_tallywire, tallywire, wait_for_output, wait_for_queries, wait_until,
)

pytestmark = pytest.mark.e2e

RESTARTING = "restarting with a fresh one"


def _broker_port(data_dir: Path) -> str:
    try:
        return json.loads((data_dir / "broker.json").read_text())["bootstrap"]
    except (OSError, ValueError, KeyError):
        return ""


def test_a_full_broker_is_replaced_and_nothing_is_lost_or_doubled(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    synthetic = list(synthetic_articles(30, seed=17))
    batches = [write_folder(synthetic[:15], tmp_path / "one"), write_folder(synthetic[15:], tmp_path / "two")]
    # 1 MiB: past it at once, so the broker is replaced as soon as each batch is handled.
    pipeline = start_tallywire(data_dir, "run", TALLYWIRE_BROKER_RECYCLE_MB="1")
    seen: set[str] = set()
    after = 0
    try:
        for folder in batches:
            wait_for_queries(pipeline, data_dir)
            wait_until(lambda: _broker_port(data_dir) != "", 60, "the broker's address")
            port = _broker_port(data_dir)
            pushed = tallywire(data_dir, "ingest", str(folder))
            assert pushed.returncode == 0, pushed.stderr
            seen |= {raw.article_id for raw in read_articles([folder])}
            after = wait_for_output(pipeline, RESTARTING, 300, after)
            wait_until(lambda: _broker_port(data_dir) not in ("", port), 120, "a fresh broker")
        wait_for_queries(pipeline, data_dir)
        assert count(data_dir, "SELECT count() AS n FROM articles") == len(seen)
        assert doubled_ids(data_dir) == {}
        alerts = count(data_dir, "SELECT count() AS n FROM alerts")
        assert alerts >= 1
    finally:
        code = pipeline.stop()
    assert code == INTERRUPTED, pipeline.output[-3000:]
    assert pipeline.output.count(RESTARTING) == len(batches)
