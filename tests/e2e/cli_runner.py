"""Run the real ``tallywire`` command in a subprocess, on a data directory of the test's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def tallywire_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLYWIRE_")}
    env.update({"TALLYWIRE_DATA_DIR": str(data_dir), "TALLYWIRE_LOG_LEVEL": "WARNING", **extra})
    return env


def tallywire(data_dir: Path, *args: str, timeout: float = 180, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tallywire.cli", *args],
        cwd=REPO, env=tallywire_env(data_dir, **extra), capture_output=True, text=True, timeout=timeout,
    )


def start_tallywire(data_dir: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tallywire.cli", *args],
        cwd=REPO, env=tallywire_env(data_dir, **extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def sql_rows(data_dir: Path, query: str) -> list[dict]:
    done = tallywire(data_dir, "sql", query, "--format", "JSONEachRow", timeout=60)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
