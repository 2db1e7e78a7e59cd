"""A bad TALLYWIRE_* variable: one line naming the variable, its value and what it takes; exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallywire.cli import main
from tallywire.core.settings import load_settings


@pytest.mark.parametrize(("variable", "value", "allowed"), [
    ("TALLYWIRE_STORY_WINDOW_DAYS", "abc", "expected a number above 0 (default 7.0)"),
    ("TALLYWIRE_STORY_WINDOW_DAYS", "-3", "expected a number above 0 (default 7.0)"),
    ("TALLYWIRE_LOG_JSON", "maybe", "expected true or false (default False)"),
    ("TALLYWIRE_LOG_LEVEL", "LOUD", "expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL (default INFO)"),
    ("TALLYWIRE_MAX_MESSAGE_BYTES", "0", "expected a whole number above 0 and at most 2097152 (default 1000000)"),
])
def test_a_bad_variable_is_named_with_its_value_and_what_it_takes(
    variable: str, value: str, allowed: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("TALLYWIRE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(variable, value)
    assert main(["sql", "SELECT 1"]) == 2
    err = capsys.readouterr().err
    assert err == f"tallywire: error: {variable}='{value}': {allowed}\n"


def test_the_log_level_is_taken_in_any_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TALLYWIRE_LOG_LEVEL", "debug")
    assert load_settings().log_level == "DEBUG"
