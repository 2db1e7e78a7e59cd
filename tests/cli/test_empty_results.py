"""An empty result is still a result: the header in table mode (nothing but data on stdout), and "0 rows"
on stderr, from every command that prints data."""

from __future__ import annotations

from pathlib import Path

import pytest

from sinks.clickhouse_client import ClickHouse
from sinks.migrations import apply_migrations
from tallywire.cli import main

# The commands run in this process, where pytest shows third-party DeprecationWarnings that a real run
# hides; whichever test first imports kafka-python would otherwise find them on its stderr.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A data directory with tallywire's tables and no rows, as a run that got nothing leaves it."""
    clickhouse = ClickHouse(f"chdb://{tmp_path / 'clickhouse'}")
    try:
        apply_migrations(clickhouse)
    finally:
        clickhouse.close()
    return tmp_path


@pytest.mark.parametrize("command", [
    ["sql", "SELECT article_id, title FROM articles"], ["query", "stories"], ["alerts"],
])
def test_an_empty_table_shows_its_header_and_says_0_rows(command: list[str], store: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--data-dir", str(store)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("   ┌─") and out.count("\n") == 2, out
    assert err == "0 rows\n"


def test_sql_names_the_columns_of_an_empty_result(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sql", "SELECT article_id, title FROM articles", "--data-dir", str(store)]) == 0
    assert capsys.readouterr().out.splitlines() == ["   ┌─article_id─┬─title─┐", "   └────────────┴───────┘"]


@pytest.mark.parametrize(("fmt", "out"), [("json", ""), ("csv", '"a","b"\n'), ("tsv", "a\tb\n")])
def test_other_formats_print_what_they_print_for_no_rows(fmt: str, out: str, store: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sql", "SELECT 1 AS a, 2 AS b WHERE 0", "--format", fmt, "--data-dir", str(store)]) == 0
    assert capsys.readouterr() == (out, "0 rows\n")


def test_a_text_without_figures_extracts_the_header_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "text.txt"
    text.write_text("Nothing is counted here.")
    assert main(["extract", str(text), "--lang", "en", "--format", "table"]) == 0
    out, err = capsys.readouterr()
    assert out.split() == ["value", "qualifier", "status", "category", "counted", "force", "location", "attribution"]
    assert err == "0 rows\n"


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv"])
def test_eval_figures_of_no_passages_says_0_rows(fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "none.jsonl").write_text("")
    assert main(["eval-figures", str(tmp_path / "none.jsonl"), "--format", fmt]) == 0
    assert capsys.readouterr().err == "0 rows\n"


def test_eval_stories_of_no_pairs_says_0_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "none.csv").write_text("pair_id,lang1,lang2,same_story,text1,text2\n")
    assert main(["eval-stories", str(tmp_path / "none.csv"), "--level", "story", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert out == '"level","thresholds","lang_pair","n","precision","recall","f1","f1_sd"\n' and err == "0 rows\n"
