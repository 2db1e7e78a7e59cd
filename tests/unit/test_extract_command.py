"""``tallywire extract`` as analysts use it: a file or standard input in, one JSON object per figure out."""

from __future__ import annotations

import io
import json

import pytest

from tallywire.cli import main
from tests.conftest import REPO


def test_a_file_gives_one_json_object_per_figure(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(REPO / "seeds" / "002_9279d71c33d6ed19.txt")]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["value"], r["status"]) for r in rows] == [(3000, "reported"), (12000, "expected")]
    assert {"extractor_version", "lang", "span_start", "sentence", "attribution"} <= set(rows[0])


def test_standard_input_and_the_table_format(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = "About 8,000 North Korean soldiers are in Kursk."
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    assert main(["extract", "--lang", "en", "--format", "table"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split()[0] == "value" and "8,000" in row and "north_korea" in row
