"""The data directory is found, not guessed: --data-dir, then TALLYWIRE_DATA_DIR (the environment, then a
.env file in the working directory), then ./.tallywire. A command that only reads what a pipeline stored
never creates a store: with none it says where it looked and what to run, exit 2. Run from an empty
folder, as someone who has not run the pipeline yet would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

READING = [["sql", "SELECT 1"], ["query", "stories"], ["alerts"], ["report", "--out", "r.html"], ["lag"]]


def tallywire_in(folder: Path, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
    """The real command, run in ``folder`` with no TALLYWIRE_* variable but ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALLYWIRE_")}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "tallywire.cli", *args], cwd=folder, env={**env, **variables},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("command", READING, ids=lambda c: c[0])
def test_a_reading_command_without_a_store_says_where_it_looked(command: list[str], tmp_path: Path) -> None:
    done = tallywire_in(tmp_path, *command)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"tallywire: error: no tallywire data in {tmp_path / '.tallywire'} (the default, "
                                  "./.tallywire in the working directory); fill it first with `tallywire run"), done.stderr
    assert done.stderr.count("\n") == 1 and done.stdout == ""
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_the_option_then_the_environment_then_dot_env(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TALLYWIRE_DATA_DIR=from-file\nGRAFANA_ADMIN_PASSWORD=not-tallywires\n")
    done = tallywire_in(tmp_path, "alerts")
    assert done.returncode == 2 and f"no tallywire data in {tmp_path / 'from-file'} (from TALLYWIRE_DATA_DIR)" in done.stderr
    done = tallywire_in(tmp_path, "alerts", TALLYWIRE_DATA_DIR=str(tmp_path / "from-env"))
    assert done.returncode == 2 and f"no tallywire data in {tmp_path / 'from-env'} (from TALLYWIRE_DATA_DIR)" in done.stderr
    done = tallywire_in(tmp_path, "sql", "SELECT 1", "--data-dir", "given", TALLYWIRE_DATA_DIR="from-env")
    assert done.returncode == 2 and f"no tallywire data in {tmp_path / 'given'} (given by --data-dir)" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env"]


def test_a_store_found_by_the_option_answers(tmp_path: Path) -> None:
    (tmp_path / "given" / "clickhouse").mkdir(parents=True)
    done = tallywire_in(tmp_path, "sql", "SELECT 42 AS n", "--format", "csv", "--data-dir", "given",
                        TALLYWIRE_DATA_DIR="elsewhere")
    assert (done.returncode, done.stdout) == (0, '"n"\n42\n'), done.stderr


def test_a_bad_value_in_dot_env_is_named_like_one_in_the_environment(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TALLYWIRE_LOG_JSON=maybe\n")
    done = tallywire_in(tmp_path, "alerts")
    assert (done.returncode, done.stderr) == (2, "tallywire: error: TALLYWIRE_LOG_JSON='maybe': expected true or false "
                                                 "(default False)\n")


def test_every_command_takes_data_dir() -> None:
    from tallywire.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse lists them nowhere public
    assert all("--data-dir" in parser._option_string_actions for parser in commands.values())  # noqa: SLF001


def test_a_chdb_dsn_without_its_store_is_named_and_not_created(tmp_path: Path) -> None:
    done = tallywire_in(tmp_path, "sql", "SELECT 1", TALLYWIRE_CLICKHOUSE_DSN=f"chdb://{tmp_path / 'chdb'}")
    assert (done.returncode, done.stderr) == (2, f"tallywire: error: no chDB store at chdb://{tmp_path / 'chdb'} "
                                                 "(TALLYWIRE_CLICKHOUSE_DSN); point TALLYWIRE_CLICKHOUSE_DSN at the "
                                                 "store a pipeline writes\n")
    assert list(tmp_path.iterdir()) == []
