"""One owner per data directory: a second pipeline on a busy data directory is refused at once, before
it touches the journal or ``broker.json``, and the first pipeline goes on as if nothing happened."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest

from tallywire.core.errors import INTERRUPTED
from tallywire.testkit.cli_runner import count, start_tallywire, tallywire, wait_for_queries, wait_until

pytestmark = pytest.mark.e2e

ARTICLES = "SELECT count() AS n FROM articles"


def test_a_second_run_is_refused_at_once_and_the_first_pipeline_goes_on(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    more = tmp_path / "more"
    more.mkdir()
    (more / "extra.txt").write_text("Rund 2.000 ukrainische Soldaten wurden in Sumy verlegt, sagte ein Sprecher.\n")
    first = start_tallywire(data_dir, "run", "--seeds", "seeds/")
    try:
        wait_for_queries(first, data_dir)
        wait_until(lambda: count(data_dir, ARTICLES) == 5, 120, "the five seeds in ClickHouse")
        broker, journal = data_dir / "broker.json", data_dir / "journal" / "raw-articles.jsonl"
        before = (broker.read_bytes(), journal.read_bytes())

        started = time.monotonic()
        second = tallywire(data_dir, "run", "--seeds", str(more), "--until-idle", timeout=60)
        refused_after = time.monotonic() - started
        assert second.returncode != 0, second.stdout + second.stderr
        assert f"is in use: pid {first.pid}" in second.stderr and "tallywire ingest FILE" in second.stderr
        assert refused_after < 2, f"refused after {refused_after:.1f} s"
        assert (broker.read_bytes(), journal.read_bytes()) == before

        # A second sink on the same chDB is refused the same way; a processing worker would be welcome.
        sink = tallywire(data_dir, "worker", "--roles", "sink", timeout=60)
        assert sink.returncode != 0 and f"pid {first.pid}" in sink.stderr, sink.stderr

        # The article the second run would have swallowed reaches the first pipeline.
        pushed = tallywire(data_dir, "ingest", str(more), timeout=60)
        assert "pushed 1 new articles" in pushed.stdout, pushed.stdout + pushed.stderr
        wait_until(lambda: count(data_dir, ARTICLES) == 6, 60, "the ingested article in ClickHouse")
        assert first.alive(), first.output

        modes = {path.name: stat.S_IMODE(path.stat().st_mode)
                 for path in (data_dir, journal.parent, journal, broker, data_dir / "broker.log")}
        assert modes == {data_dir.name: 0o700, "journal": 0o700, journal.name: 0o600, "broker.json": 0o600,
                         "broker.log": 0o600}
    finally:
        code = first.stop()
    assert code == INTERRUPTED, first.output
