"""Rebalances with real worker processes: several in a row, and more workers than partitions.

Faust's known failure modes: offsets no longer committed after a partition came back through two
rebalances (faust-streaming #318), and a rebalance that freezes when a group has more workers than
a topic has partitions (robinhood/faust #134).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tallywire.testkit.synthetic_news import synthetic_articles, write_folder
from ingest.file_source import read_articles
from processors.figure_extractor import extract_figures
from processors.figures_agent import figure_id
from tallywire.core.errors import INTERRUPTED
from tallywire.core.topics import ARTICLES, FIGURES, RAW_ARTICLES
from tallywire.testkit.cli_runner import (
    Running, count, doubled_ids, lag_rows, sql_rows, start_tallywire, tallywire, wait_for_output,
    wait_for_queries, wait_until,
)

pytestmark = pytest.mark.e2e

ASSIGNED = "partitions assigned"
READY = "rebalance complete"
PROCESS_GROUP = "tallywire-process"


def _push(data_dir: Path, tmp_path: Path, articles: int, seed: int) -> tuple[set[str], set[str]]:
    """Ingest synthetic articles; returns their ids and the ids of the figures they must yield."""
    folder = write_folder(list(synthetic_articles(articles, seed=seed)), tmp_path / f"articles-{seed}")
    raws = list(read_articles([folder]))
    pushed = tallywire(data_dir, "ingest", str(folder), timeout=300)
    assert pushed.returncode == 0, pushed.stderr
    figures = {figure_id(raw.article_id, found) for raw in raws for found in extract_figures(raw.text, raw.lang)}
    return {raw.article_id for raw in raws}, figures


def _assert_all_once(data_dir: Path, articles: set[str], figures: set[str]) -> None:
    distinct = len(articles)
    wait_until(lambda: count(data_dir, "SELECT count() AS n FROM articles") == distinct, 300, f"all {distinct} articles")
    wait_until(lambda: count(data_dir, "SELECT count() AS n FROM figures") >= len(figures), 120, "every figure")
    time.sleep(3)  # anything still in flight would land now and show up as a duplicate
    assert doubled_ids(data_dir) == {}
    assert {row["figure_id"] for row in sql_rows(data_dir, "SELECT figure_id FROM figures")} == figures


def _offsets_committed_to_the_end(data_dir: Path, raw_messages: int) -> bool:
    """Every group has committed up to the end of every topic it reads, and the processors' group
    has committed each raw article (one partition: its offset counts the messages)."""
    rows = lag_rows(data_dir)
    raw = [row["committed"] for row in rows if row["group"] == PROCESS_GROUP and row["topic"] == RAW_ARTICLES.name]
    return raw == [raw_messages] and all(row["lag"] == 0 for row in rows)


def _start_worker(data_dir: Path, workers: list[Running], **extra: str) -> Running:
    workers.append(start_tallywire(data_dir, "worker", "--roles", "process", TALLYWIRE_LOG_LEVEL="INFO", **extra))
    return workers[-1]


def test_rebalances_in_quick_succession_lose_nothing_and_keep_committing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    sink = start_tallywire(data_dir, "run", "--roles", "sink")
    workers: list[Running] = []
    try:
        wait_for_queries(sink, data_dir)
        wait_for_output(_start_worker(data_dir, workers), READY, 120)
        articles, figures = _push(data_dir, tmp_path, 150, seed=5)
        wait_until(lambda: count(data_dir, "SELECT count() AS n FROM articles") >= 20, 180, "the stream under way")
        # Add a worker, another as soon as the first has its partitions, then take the oldest away:
        # three rebalances back to back while the stream runs; partitions move away and come back.
        wait_for_output(_start_worker(data_dir, workers), ASSIGNED, 120)
        wait_for_output(_start_worker(data_dir, workers), ASSIGNED, 120)
        assert workers[0].stop() == INTERRUPTED, workers[0].output
        # More work after the rebalances, on partitions that changed hands.
        more, more_figures = _push(data_dir, tmp_path, 150, seed=6)
        _assert_all_once(data_dir, articles | more, figures | more_figures)
        wait_until(lambda: _offsets_committed_to_the_end(data_dir, len(articles | more)), 60,
                   f"offsets committed to the end: {lag_rows(data_dir)}")
    finally:
        for worker in workers:
            worker.stop()
        code = sink.stop()
    assert code == INTERRUPTED, sink.output


def _last_assignment(worker: Running) -> dict[str, set[int]]:
    line = worker.output.rsplit(ASSIGNED, 1)[1].splitlines()[0]
    return {topic: {int(p) for p in parts.split(",") if p.strip()} for topic, parts in re.findall(r"([\w.-]+)\[([\d, ]*)\]", line)}


def test_more_workers_than_partitions_idle_the_extra_ones_and_freeze_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    partitions = "2"  # four workers against two partitions (and raw articles' one)
    sink = start_tallywire(data_dir, "run", "--roles", "sink", TALLYWIRE_PARTITIONS=partitions)
    workers: list[Running] = []
    try:
        wait_for_queries(sink, data_dir)
        for _ in range(4):
            _start_worker(data_dir, workers, TALLYWIRE_PARTITIONS=partitions)
        for worker in workers:
            wait_for_output(worker, READY, 180)
        articles, figures = _push(data_dir, tmp_path, 100, seed=9)
        _assert_all_once(data_dir, articles, figures)
        wait_until(lambda: _offsets_committed_to_the_end(data_dir, len(articles)), 60, f"offsets committed to the end: {lag_rows(data_dir)}")

        assignments = [_last_assignment(worker) for worker in workers]
        for spec in (RAW_ARTICLES, ARTICLES, FIGURES):
            held = [p for assignment in assignments for p in assignment.get(spec.name, ())]
            assert sorted(held) == list(range(spec.partition_count(int(partitions)))), f"{spec.name}: {assignments}"
        idle = [a for a in assignments if not {RAW_ARTICLES.name, ARTICLES.name, FIGURES.name} & a.keys()]
        assert idle, f"every worker holds a partition: {assignments}"
    finally:
        codes = [worker.stop() for worker in workers]
        code = sink.stop()
    assert codes == [INTERRUPTED] * len(workers), "a worker did not stop cleanly: " + " / ".join(w.output[-1500:] for w in workers)
    assert code == INTERRUPTED, sink.output
