"""kill -9 a Faust worker in the middle of a stream and restart it: every row lands exactly once.

Layout: one process runs the embedded broker and the ClickHouse sink (``run --roles sink``); the
processing agents run in a separate ``worker`` process, which is killed and started again.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from bench.synthetic_news import synthetic_articles, write_folder
from ingest.file_source import read_articles
from processors.figure_extractor import extract_figures
from processors.figures_agent import figure_id
from tests.e2e.cli_runner import Running, sql_rows, start_tallywire, tallywire, wait_for_queries, wait_until

pytestmark = pytest.mark.e2e

ARTICLES = 2000
SESSION_TIMEOUT_S = 6  # the embedded default of Settings.session_timeout_s


def _count(data_dir: Path, sql: str) -> int:
    return int(sql_rows(data_dir, sql)[0]["n"])



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
        wait_until(lambda: _count(data_dir, articles_sql) >= distinct // 5, 180, "a fifth of the stream")
        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].process.wait(timeout=10)
        stored_at_kill = _count(data_dir, articles_sql)
        assert stored_at_kill < distinct, "the worker finished before it could be killed"
        # The embedded broker can leave a group stuck when its only member dies and a new one joins at
        # once (a known Tansu limit): restart after the session timeout, as an operator's supervisor would.
        time.sleep(SESSION_TIMEOUT_S + 2)
        workers.append(start_tallywire(data_dir, "worker", "--roles", "process"))
        wait_until(lambda: _count(data_dir, articles_sql) == distinct, 300, f"all {distinct} articles")

        expected_figures = {figure_id(raw.article_id, found) for raw in raws for found in extract_figures(raw.text, raw.lang)}
        wait_until(
            lambda: _count(data_dir, "SELECT count() AS n FROM figures") >= len(expected_figures), 120, "every figure"
        )
        time.sleep(3)  # anything still in flight would land now and show up as a duplicate
        for table, key in (("articles", "article_id"), ("figures", "figure_id"), ("alerts", "alert_id")):
            doubled = sql_rows(data_dir, f"SELECT {key}, count() AS c FROM {table} GROUP BY {key} HAVING c > 1 LIMIT 5")
            assert doubled == [], f"{table} holds ids twice: {doubled}"
        stored = {row["figure_id"] for row in sql_rows(data_dir, "SELECT figure_id FROM figures")}
        assert stored == expected_figures
        assert _count(data_dir, "SELECT count() AS n FROM alerts") >= 1
    finally:
        for worker in workers:
            worker.stop()
        code = sink.stop()
    assert code == 0, sink.output
