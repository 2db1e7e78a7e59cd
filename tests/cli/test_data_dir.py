"""The data directory is found, not guessed: --data-dir, then TALLYWIRE_DATA_DIR, then ./.tallywire. A
command that only reads what a pipeline stored never creates a store: with none it says where it looked
and what to run, exit 2. Run from an empty folder, as someone who has not run the pipeline yet would."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.cli_runner import tallywire, tallywire_env

READING = [["sql", "SELECT 1"], ["query", "stories"], ["alerts"], ["report", "--out", "r.html"], ["lag"]]


@pytest.mark.parametrize("command", READING, ids=lambda c: c[0])
def test_a_reading_command_without_a_store_says_where_it_looked(command: list[str], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    env = tallywire_env(tmp_path)
    del env["TALLYWIRE_DATA_DIR"]  # the default, in the working directory
    monkeypatch.setattr("tests.e2e.cli_runner.tallywire_env", lambda data_dir, **extra: env)
    done = tallywire(tmp_path, *command, cwd=tmp_path, timeout=60)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"tallywire: error: no tallywire data in {tmp_path / '.tallywire'} "
                                  "(the default, ./.tallywire in the working directory); run `tallywire run"), done.stderr
    assert done.stderr.count("\n") == 1 and done.stdout == ""
    assert list(tmp_path.iterdir()) == []  # nothing created


def test_the_option_and_the_variable_are_named_as_where_it_looked(tmp_path: Path) -> None:
    missing = tmp_path / "elsewhere"
    done = tallywire(missing, "alerts", cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and f"no tallywire data in {missing} (from TALLYWIRE_DATA_DIR)" in done.stderr
    done = tallywire(missing, "sql", "SELECT 1", "--data-dir", str(tmp_path / "given"), cwd=tmp_path, timeout=60)
    assert done.returncode == 2 and f"no tallywire data in {tmp_path / 'given'} (given by --data-dir)" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_option_wins_over_the_variable(tmp_path: Path) -> None:
    (tmp_path / "given" / "clickhouse").mkdir(parents=True)
    done = tallywire(tmp_path / "elsewhere", "sql", "SELECT 42 AS n", "--format", "csv",
                     "--data-dir", str(tmp_path / "given"), cwd=tmp_path, timeout=60)
    assert (done.returncode, done.stdout) == (0, '"n"\n42\n'), done.stderr


def test_every_command_takes_data_dir() -> None:
    from tallywire.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse has no public listing
    assert all("--data-dir" in parser._option_string_actions for parser in commands.values())  # noqa: SLF001
