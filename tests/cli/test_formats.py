"""One --format vocabulary, in any case, with the old ClickHouse names as aliases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tallywire.cli import main


@pytest.mark.parametrize(("given", "first_line"), [
    ("json", '{"a":1,"b":"x"}'), ("JSON", '{"a":1,"b":"x"}'), ("jsonl", '{"a":1,"b":"x"}'),
    ("JSONEachRow", '{"a":1,"b":"x"}'), ("csv", '"a","b"'), ("CSV", '"a","b"'), ("tsv", "a\tb"), ("TSV", "a\tb"),
])
def test_sql_takes_the_vocabulary_and_the_old_names(given: str, first_line: str, tmp_path: Path,
                                                      capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    (tmp_path / "clickhouse").mkdir()  # a store, empty: sql opens none of its own
    assert main(["sql", "SELECT 1 AS a, 'x' AS b", "--format", given, "--data-dir", str(tmp_path)]) == 0
    assert capsysbinary.readouterr().out.decode().splitlines()[0] == first_line


@pytest.mark.parametrize("command", [
    ["sql", "SELECT 1"], ["query", "stories"], ["alerts"], ["lag"], ["extract"], ["eval-figures", "x.jsonl"],
    ["eval-stories", "x.csv", "--level", "story"],
])
def test_an_unknown_format_is_a_usage_error_listing_the_names(command: list[str],
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--format", "xml"])
    assert exited.value.code == 2
    assert "unknown format 'xml': use one of table, json, csv, tsv" in capsys.readouterr().err


def test_extract_takes_its_formats_in_any_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "text.txt"
    text.write_text("About 8,000 North Korean soldiers are in Kursk.")
    assert main(["extract", str(text), "--lang", "en", "--format", "TABLE"]) == 0
    assert capsys.readouterr().out.split()[0] == "value"
    assert main(["extract", str(text), "--lang", "en", "--format", "JSONEachRow"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["value"] == 8000
