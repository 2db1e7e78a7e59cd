"""``tallywire lag`` against the embedded broker: "nothing committed yet" before anything was, then a
committed offset never above the end (Tansu reports a partition's end as its last batch's base offset plus
one: five seeds in two batches read "committed 5, end 3" before the end was read from the records)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tallywire.testkit.cli_runner import count, start_tallywire, tallywire, wait_for_queries, wait_until

pytestmark = pytest.mark.e2e


def test_lag_says_nothing_committed_then_never_shows_committed_above_end(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    running = start_tallywire(data_dir, "run")
    try:
        wait_for_queries(running, data_dir)
        empty = tallywire(data_dir, "lag", timeout=60)
        assert empty.returncode == 0, empty.stderr
        assert empty.stdout.split() == ["group", "topic", "committed", "end", "lag"]
        assert empty.stderr == "0 rows: nothing committed yet (no consumer group of tallywire has committed an offset)\n"

        assert tallywire(data_dir, "ingest", "seeds/", timeout=60).returncode == 0
        wait_until(lambda: count(data_dir, "SELECT count() AS n FROM alerts") >= 6, 120, "the seeds' alerts")

        def rows() -> list[dict]:
            done = tallywire(data_dir, "lag", "--format", "json", timeout=60)
            assert done.returncode == 0, done.stderr
            found = [json.loads(line) for line in done.stdout.splitlines()]
            assert all(0 <= row["committed"] <= row["end"] and row["lag"] == row["end"] - row["committed"]
                       for row in found), found
            return found

        wait_until(lambda: {row["topic"]: row["lag"] for row in rows()}.get("raw-articles.v1") == 0, 60,
                   "the raw articles' offsets committed")
        raw = next(row for row in rows() if row["topic"] == "raw-articles.v1")
        assert (raw["committed"], raw["end"]) == (5, 5), raw
        table = tallywire(data_dir, "lag", timeout=60).stdout.splitlines()
        assert len({len(line) for line in table}) == 1, table  # numbers right-aligned under their header
    finally:
        running.stop()
