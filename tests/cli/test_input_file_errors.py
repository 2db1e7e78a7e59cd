"""An input file that is missing, not UTF-8 or not what the command reads: one line naming the file and
what to give, exit 2, no traceback."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from types import SimpleNamespace

import pytest

from tallywire.cli import main

EVENT_CSV = "pair_id,lang1,lang2,Overall,text1,text2\n1,en,en,1.0,a,b\n"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    Path("latin1.txt").write_bytes("Café: 500 Soldaten".encode("latin-1"))
    Path("plain.txt").write_text("just some text\n")
    Path("event.csv").write_text(EVENT_CSV)
    Path("cut.csv.gz").write_bytes(gzip.compress(EVENT_CSV.encode())[:12])
    Path("number.jsonl").write_text("5\n")
    return tmp_path


@pytest.mark.parametrize(("argv", "message"), [
    ("extract missing.txt", "missing.txt: no such file; give a text file, or - for standard input"),
    ("extract latin1.txt", "latin1.txt is not UTF-8 text (byte 4 is 0xe9); convert it to UTF-8 first"),
    ("extract .", ". is a folder; give a text file"),
    ("eval-stories missing.csv --level story",
     "missing.csv: no such file; give a CSV with lang1, lang2, text1, text2 and same_story"),
    ("eval-stories event.csv --level story", "event.csv lacks the column same_story that --level story needs"),
    ("eval-stories plain.txt --level event",
     "plain.txt lacks the columns lang1, lang2, text1, text2, Overall that --level event needs"),
    ("eval-stories latin1.txt --level story", "latin1.txt is not UTF-8 text"),
    ("eval-stories cut.csv.gz --level event", "cut.csv.gz is not a readable gzip file"),
    ("eval-figures missing.jsonl", "missing.jsonl: no such file; give a JSONL file of labelled passages"),
    ("eval-figures plain.txt", "plain.txt:1: not JSON (Expecting value); one JSON object a line"),
    ("eval-figures number.jsonl", "number.jsonl:1: not a JSON object"),
    ("eval-figures latin1.txt", "latin1.txt is not UTF-8 text"),
])
def test_a_bad_input_file_is_one_line_naming_it(files: Path, argv: str, message: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv.split()) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"tallywire: error: {message}"), captured.err
    assert captured.err.count("\n") == 1 and captured.out == ""


def test_standard_input_that_is_not_utf8_is_named(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", SimpleNamespace(buffer=io.BytesIO("Café".encode("latin-1"))))
    assert main(["extract", "-"]) == 2
    assert capsys.readouterr().err.startswith("tallywire: error: standard input is not UTF-8 text")
