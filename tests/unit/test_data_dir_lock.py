"""The data directory's locks: the early probe answers as the locks themselves would, and takes none."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tallywire.runtime.data_dir_lock import BROKER, CLICKHOUSE, DataDirBusy, own_data_dir, refuse_if_busy

HOLD = """
import sys, time
from pathlib import Path
from tallywire.runtime.data_dir_lock import own_data_dir
with own_data_dir(Path(sys.argv[1]), tuple(sys.argv[2:])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_the_probe_refuses_what_another_process_holds_and_names_it(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path), CLICKHOUSE], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        refuse_if_busy(tmp_path, (BROKER,))  # a lock nobody holds
        started = time.monotonic()
        with pytest.raises(DataDirBusy, match=f"pid {holder.pid}"):
            refuse_if_busy(tmp_path, (BROKER, CLICKHOUSE))
        assert time.monotonic() - started < 0.5
    finally:
        holder.kill()
        holder.communicate()
    refuse_if_busy(tmp_path, (BROKER, CLICKHOUSE))  # the kernel let go with the process


def test_the_probe_takes_no_lock_and_creates_nothing(tmp_path: Path) -> None:
    refuse_if_busy(tmp_path / "new", (BROKER, CLICKHOUSE))
    assert not (tmp_path / "new").exists()
    with own_data_dir(tmp_path, (BROKER,)):
        pass
    refuse_if_busy(tmp_path, (BROKER,))
    with own_data_dir(tmp_path, (BROKER,)):  # the probe left it free
        pass
