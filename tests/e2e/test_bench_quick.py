"""`python -m bench` in quick mode, as CI runs it: every measurement yields its number.

Only that the numbers were produced is asserted; whether they meet their goals depends on the machine
and its load, and is what bench/RESULTS.md reports.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.suite import MEASUREMENTS
from tests.conftest import REPO

pytestmark = pytest.mark.e2e


@pytest.mark.timeout(900)  # three minutes on an idle 2-core machine; CI machines are often not idle
def test_quick_bench_produces_every_number(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bench", "--out", str(tmp_path)], cwd=REPO,
                          capture_output=True, text=True, timeout=840)
    assert done.returncode == 0, done.stdout + done.stderr
    result = json.loads((tmp_path / "quick.json").read_text())
    assert set(result["details"]) == set(MEASUREMENTS)
    rows = result["rows"]
    for wanted in ("end to end from HTML", "end to end from text", "latency p50", "latency p95", "broker alone",
                   "story stage cost", "story store", "figure extraction", "sink into chDB", "poller fetch + extract"):
        assert any(row["name"].startswith(wanted) for row in rows), f"no row for {wanted}"
    missing = [row["name"] for row in rows if row["value"] is None or (row["baseline_name"] and row["ratio"] is None)]
    assert not missing, f"rows without their number or ratio: {missing}"
    assert [row["met"] is None for row in rows] == [row["goal"] is None for row in rows]
    table = (tmp_path / "quick.md").read_text()
    assert all(row["name"] in table for row in rows)
