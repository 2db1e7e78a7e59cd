"""kill -9 a Faust worker in the middle of a stream and restart it: every row lands exactly once.

Layout: one process runs the embedded broker and the ClickHouse sink (``run --roles sink``); the
processing agents run in a separate ``worker`` process, which is killed and started again.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bench.synthetic_news import synthetic_articles, write_folder
from ingest.file_source import read_articles
from processors.figure_extractor import extract_figures
from processors.figures_agent import figure_id
from tests.e2e.cli_runner import (
    Running, count, doubled_ids, kill_hard, sql_rows, start_tallywire, tallywire, wait_for_queries,
    wait_out_session_timeout, wait_until,
)

pytestmark = pytest.mark.e2e

ARTICLES = 2000


def test_killed_worker_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    folder = write_folder(list(synthetic_articles(ARTICLES)), tmp_path / "articles")
    raws = [raw for raw in read_articles([folder])]
    distinct = len({raw.article_id for raw in raws})  # a republished copy without edits is one article
    sink = start_tallywire(data_dir, "run", "--roles", "sink")
    workers: list[Running] = []
    try:
        wait_for_queries(sink, data_dir)
        workers.append(start_tallywire(data_dir, "worker", "--roles", "process"))
        pushed = tallywire(data_dir, "ingest", str(folder), timeout=300)
        assert pushed.returncode == 0, pushed.stderr

        articles_sql = "SELECT count() AS n FROM articles"
        wait_until(lambda: count(data_dir, articles_sql) >= distinct // 5, 180, "a fifth of the stream")
        kill_hard(workers[0])
        stored_at_kill = count(data_dir, articles_sql)
        assert stored_at_kill < distinct, "the worker finished before it could be killed"
        wait_out_session_timeout()
        workers.append(start_tallywire(data_dir, "worker", "--roles", "process"))
        wait_until(lambda: count(data_dir, articles_sql) == distinct, 300, f"all {distinct} articles")

        expected_figures = {figure_id(raw.article_id, found) for raw in raws for found in extract_figures(raw.text, raw.lang)}
        wait_until(
            lambda: count(data_dir, "SELECT count() AS n FROM figures") >= len(expected_figures), 120, "every figure"
        )
        time.sleep(3)  # anything still in flight would land now and show up as a duplicate
        assert doubled_ids(data_dir) == {}
        stored = {row["figure_id"] for row in sql_rows(data_dir, "SELECT figure_id FROM figures")}
        assert stored == expected_figures
        assert count(data_dir, "SELECT count() AS n FROM alerts") >= 1
    finally:
        for worker in workers:
            worker.stop()
        code = sink.stop()
    assert code == 0, sink.output

