"""TALLYWIRE_FAUST_STORE=rocksdb:// (rocksdict): a worker stopped and started again recovers its alerts table
from its own disk, and is ready again within a bound.

The sink process holds the embedded broker, so the changelogs outlive the worker, as Kafka's do.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rocksdict import AccessType, Rdict

from tallywire.core.errors import INTERRUPTED
from tallywire.testkit.cli_runner import Running, count, start_tallywire, tallywire, wait_for_output, wait_for_queries, wait_until
from tests.e2e.test_rebalances import _start_worker
from tests.e2e.test_table_recovery import FAR, KNOWN, NEAR, PROBE, READY, _probe_key

pytestmark = pytest.mark.e2e

ROCKSDB = "rocksdb://"
READY_AGAIN_S = 60


def _ingest_probe(data_dir: Path, folder: Path, value: int) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"probe-{value}.txt").write_text(PROBE.format(f"{value:,}".replace(",", ".")), encoding="utf-8")
    pushed = tallywire(data_dir, "ingest", str(folder / f"probe-{value}.txt"), timeout=120)
    assert pushed.returncode == 0, pushed.stderr


def _alerts(data_dir: Path, value: int) -> int:
    """Alerts raised for the value, each once: an alert revised by a report published before it (the near
    probe handled after the far one) is a second row of the same alert_id."""
    return count(data_dir, f"SELECT uniqExact(alert_id) AS n FROM alerts WHERE value = {value}")


def test_a_restarted_worker_recovers_its_table_from_rocksdb(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    sink = start_tallywire(data_dir, "run", "--roles", "sink")
    workers: list[Running] = []
    try:
        wait_for_queries(sink, data_dir)
        wait_for_output(_start_worker(data_dir, workers, TALLYWIRE_FAUST_STORE=ROCKSDB), READY, 120)
        _ingest_probe(data_dir, tmp_path / "probes", KNOWN)
        wait_until(lambda: _alerts(data_dir, KNOWN) == 1, 120, "the known value's alert")
        assert workers[0].stop() == INTERRUPTED, workers[0].output

        stores = list((data_dir / "faust" / "v1" / "tables").glob("alerted-values-*.db"))
        key = f'"{_probe_key()}"'.encode()
        held = []
        for path in stores:
            db = Rdict(str(path), access_type=AccessType.read_only())
            held += [value for stored, value in db.items() if stored == key]
            db.close()
        assert len(held) == 1 and str(float(KNOWN)).encode() in held[0], f"no probe in {stores}"

        started = time.monotonic()
        wait_for_output(_start_worker(data_dir, workers, TALLYWIRE_FAUST_STORE=ROCKSDB), READY, READY_AGAIN_S)
        ready_after = time.monotonic() - started
        _ingest_probe(data_dir, tmp_path / "probes", NEAR)
        _ingest_probe(data_dir, tmp_path / "probes", FAR)
        wait_until(lambda: _alerts(data_dir, FAR) == 1, 120, "the far value's alert")
        assert _alerts(data_dir, NEAR) == 0, "the restarted worker forgot the known value"
        print(f"ready again after {ready_after:.1f} s")
    finally:
        for worker in workers:
            worker.stop()
        code = sink.stop()
    assert code == INTERRUPTED, sink.output
