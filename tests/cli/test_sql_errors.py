"""A query ClickHouse cannot read is told as the user wrote it: a syntax error with its position in the
user's statement, never the "FORMAT ..." the client appends; a mistyped first word is a syntax error too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tallywire.cli import main


@pytest.mark.parametrize(("sql", "message"), [
    ("SELEC 1", "syntax error at position 1: 'SELEC' begins no statement; did you mean SELECT?"),
    ("  selct * FROM articles", "syntax error at position 3: 'selct' begins no statement; did you mean SELECT?"),
    ("SELECT 1 +", "syntax error at position 11 (end of query) of: SELECT 1 +; expected one of "),
    ("SELECT (1", "syntax error at position 10 (end of query) of: SELECT (1; Unmatched parentheses: '(' at position 8"),
    ("SELECT 1 FORMAT CSV", "refused: FORMAT CSV at position 10; leave the format to tallywire's --format"),
])
def test_a_syntax_error_is_one_line_with_the_users_statement(sql: str, message: str, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "clickhouse").mkdir()
    assert main(["sql", sql, "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"tallywire: error: {message}"), err
    assert err.count("\n") == 1 and "FORMAT Pretty" not in err and "PrettyCompact" not in err
