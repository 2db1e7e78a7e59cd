"""Logs people and machines can read. With TALLYWIRE_LOG_JSON=true every line on stderr is one JSON object,
whoever wrote it (tallywire, Faust, mode, aiokafka, warnings, tracebacks, alerts); otherwise readable lines
with no escape codes when stderr is no terminal, one progress line per change, alerts at INFO."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tallywire.testkit.cli_runner import tallywire, tallywire_env

pytestmark = pytest.mark.e2e


def json_lines(stderr: str) -> list[dict]:
    records = []
    for number, line in enumerate(stderr.splitlines(), 1):
        try:
            records.append(json.loads(line))
        except ValueError:
            pytest.fail(f"stderr line {number} is not JSON: {line!r}\n{stderr[-3000:]}")
    return records


def test_every_stderr_line_of_the_seed_run_is_json(tmp_path: Path) -> None:
    # PYTHONWARNINGS=always: the libraries' import-time deprecation warnings come out, and must be JSON too.
    done = tallywire(tmp_path / "data", "run", "--seeds", "seeds/", "--until-idle", timeout=240,
                     TALLYWIRE_LOG_JSON="true", TALLYWIRE_LOG_LEVEL="INFO", PYTHONWARNINGS="always")
    assert done.returncode == 0, done.stdout + done.stderr
    records = json_lines(done.stderr)
    loggers = {record["logger"] for record in records}
    assert {"tallywire.alerts", "tallywire.runtime.faust_app", "py.warnings"} <= loggers, loggers
    alerts = [r for r in records if r["logger"] == "tallywire.alerts"]
    assert len(alerts) == 6 and all(r["level"] == "INFO" and "\n" not in r["message"] for r in alerts)
    assert "\x1b" not in done.stdout + done.stderr


def test_warnings_prints_and_tracebacks_of_any_thread_are_json(tmp_path: Path) -> None:
    script = """
import logging, sys, threading, warnings
from tallywire.runtime.logging_setup import configure_logging
from tallywire.core.settings import load_settings
configure_logging(load_settings())
warnings.warn("a warning")
print("a library's own line\\nand its second", file=sys.stderr)
logging.getLogger("faust.worker").error("faust's own")
thread = threading.Thread(target=lambda: 1 / 0, name="helper")
thread.start(); thread.join()
raise RuntimeError("the end")
"""
    env = {**tallywire_env(tmp_path), "TALLYWIRE_LOG_JSON": "true", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    records = json_lines(done.stderr)
    assert [r["logger"] for r in records] == ["py.warnings", "stderr", "stderr", "faust.worker", "tallywire", "tallywire"]
    assert "UserWarning: a warning" in records[0]["message"]
    assert [r["message"] for r in records[1:4]] == ["a library's own line", "and its second", "faust's own"]
    assert "ZeroDivisionError" in records[4]["exception"] and "helper" in records[4]["message"]
    assert "RuntimeError: the end" in records[5]["exception"]


def test_human_logs_to_a_file_have_no_escape_codes_and_one_line_per_alert(tmp_path: Path) -> None:
    done = tallywire(tmp_path / "data", "run", "--seeds", "seeds/", "--until-idle", timeout=240,
                     TALLYWIRE_LOG_LEVEL="INFO")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "\r" not in done.stdout + done.stderr
    assert sum(" INFO    tallywire.alerts: alert: troops / " in line for line in done.stderr.splitlines()) == 6
    progress = [line for line in done.stdout.splitlines() if line.startswith("progress: ")]
    assert progress and len(progress[-1]) < 200, progress
    assert progress[-1].endswith("[####################] 100% done"), progress
    assert "{" not in done.stderr  # no dict dumped into the log
