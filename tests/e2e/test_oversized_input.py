"""A 50 MB text file among the seeds: once it made `run` and `ingest` exit with MessageSizeTooLargeError,
on every rerun, and nothing was stored. Now it is one dead letter giving its size, and the seeds are stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tallywire.core.errors import INTERRUPTED, SOME_INPUTS_FAILED
from tests.conftest import REPO
from tallywire.testkit.cli_runner import sql_rows, start_tallywire, tallywire, wait_for_queries, wait_until

pytestmark = pytest.mark.e2e

BIG_BYTES = 50 * 1024 * 1024
LETTERS_SQL = "SELECT stage, reason, payload_bytes, length(payload_excerpt) AS excerpt FROM dead_letters"


def seeds_with_a_big_file(folder: Path) -> Path:
    shutil.copytree(REPO / "seeds", folder, ignore=shutil.ignore_patterns("*.yaml"))
    line = "Nach Angaben des Generalstabs sind etwa 11.000 Soldaten in der Region Kursk stationiert.\n"
    with (folder / "999_big.txt").open("w") as out:
        out.write(line * (BIG_BYTES // len(line)))
        out.write("x" * (BIG_BYTES % len(line)))
    assert (folder / "999_big.txt").stat().st_size == BIG_BYTES
    return folder


def assert_one_letter_giving_the_size(data_dir: Path) -> None:
    [letter] = sql_rows(data_dir, LETTERS_SQL)
    assert letter["stage"] == "file-source" and int(letter["payload_bytes"]) == BIG_BYTES
    assert f"text file of {BIG_BYTES} bytes exceeds the message limit" in letter["reason"]
    assert int(letter["excerpt"]) > 0


def test_run_stores_the_five_seeds_and_one_dead_letter_for_a_50_mb_file(tmp_path: Path) -> None:
    seeds = seeds_with_a_big_file(tmp_path / "seeds")
    data_dir = tmp_path / "data"
    done = tallywire(data_dir, "run", "--seeds", str(seeds), "--until-idle", timeout=240)
    assert done.returncode == SOME_INPUTS_FAILED, done.stdout + done.stderr
    assert "ingested 5 new articles (0 already seen, 1 failed)" in done.stdout
    assert "in ClickHouse: 5 articles" in done.stdout and "1 dead letters" in done.stdout
    assert_one_letter_giving_the_size(data_dir)


def test_ingest_into_a_running_pipeline_dead_letters_the_50_mb_file(tmp_path: Path) -> None:
    seeds = seeds_with_a_big_file(tmp_path / "seeds")
    data_dir = tmp_path / "data"
    running = start_tallywire(data_dir, "run")
    try:
        wait_for_queries(running, data_dir)
        done = tallywire(data_dir, "ingest", str(seeds), timeout=120)
        assert done.returncode == SOME_INPUTS_FAILED, done.stderr
        assert "pushed 5 new articles (0 already seen, 1 failed)" in done.stdout
        wait_until(lambda: int(sql_rows(data_dir, "SELECT count() AS n FROM articles")[0]["n"]) == 5
                   and len(sql_rows(data_dir, LETTERS_SQL)) == 1, 120, "five articles and one dead letter stored")
        assert_one_letter_giving_the_size(data_dir)
    finally:
        assert running.stop() == INTERRUPTED, running.output
