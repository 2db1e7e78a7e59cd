"""Exit codes scripts can rely on: 1 when inputs failed, 130 on Ctrl-C with what was done, from the real
command. One pipeline serves every case: starting one takes seconds."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tallywire.core.errors import INTERRUPTED, SOME_INPUTS_FAILED
from tallywire.testkit.cli_runner import Running, start_tallywire, tallywire, wait_for_output, wait_for_queries

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "empty.txt").write_text("")
    (folder / "binary.bin").write_bytes(bytes(range(256)))
    # 127.0.0.1 is private, and TALLYWIRE_FETCH_ALLOW does not allow it: the fetcher refuses the feeds. Two
    # names: a failed feed waits out its backoff, which would keep the second poller from polling it.
    for name in ("once", "forever"):
        (folder / f"{name}.yaml").write_text(f"- {{url: 'http://127.0.0.1:9/rss', name: {name}, language: en}}\n")
    return folder


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("exit-codes") / "data"


@pytest.fixture(scope="module")
def run_of_an_empty_file(data_dir: Path, inputs: Path) -> subprocess.CompletedProcess[str]:
    return tallywire(data_dir, "run", "--seeds", str(inputs / "empty.txt"), "--until-idle", timeout=240)


@pytest.fixture(scope="module")
def pipeline(data_dir: Path, run_of_an_empty_file: subprocess.CompletedProcess[str]) -> Iterator[Running]:
    """Started after the run above: the two would share the data directory."""
    running = start_tallywire(data_dir, "run")
    try:
        wait_for_queries(running, data_dir)
        yield running
    finally:
        if running.alive():
            running.stop()


def test_a_run_whose_only_file_fails_exits_1(run_of_an_empty_file: subprocess.CompletedProcess[str]) -> None:
    done = run_of_an_empty_file
    assert done.returncode == SOME_INPUTS_FAILED, done.stdout + done.stderr
    assert "ingested 0 new articles (0 already seen, 1 failed)" in done.stdout and "1 dead letters" in done.stdout


def test_ingesting_only_a_binary_file_exits_1(pipeline: Running, data_dir: Path, inputs: Path) -> None:
    done = tallywire(data_dir, "ingest", str(inputs / "binary.bin"), timeout=60)
    assert done.returncode == SOME_INPUTS_FAILED, done.stderr
    assert "pushed 0 new articles (0 already seen, 1 failed)" in done.stdout and "Traceback" not in done.stderr


def test_polling_only_a_refused_feed_once_exits_1(pipeline: Running, data_dir: Path, inputs: Path) -> None:
    done = tallywire(data_dir, "poll", "--feeds", str(inputs / "once.yaml"), "--once", timeout=60)
    assert done.returncode == SOME_INPUTS_FAILED, done.stderr
    assert "0 new articles, 1 failures" in done.stdout


def test_ctrl_c_stops_a_poller_with_130_and_what_it_pushed(pipeline: Running, data_dir: Path, inputs: Path) -> None:
    poller = start_tallywire(data_dir, "poll", "--feeds", str(inputs / "forever.yaml"))
    try:
        wait_for_output(poller, "polled 1 feeds", 60)
    finally:
        code = poller.stop(timeout=30)
    assert code == INTERRUPTED, poller.output
    assert "interrupted; pushed 0 new articles and 1 dead letters" in poller.output
    assert "Traceback" not in poller.output


def test_ctrl_c_stops_a_run_with_130_and_its_partial_counts(pipeline: Running) -> None:
    assert pipeline.stop() == INTERRUPTED, pipeline.output
    assert "interrupted; ingested 0 new articles (0 already seen, 0 failed)" in pipeline.output
    assert "in ClickHouse: 0 articles" in pipeline.output
