"""``tallywire extract`` as analysts use it: a file or standard input in, one JSON object per figure out."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO


def extract(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tallywire.cli", "extract", *args], input=stdin, cwd=REPO,
                          capture_output=True, text=True, timeout=60)


def test_a_file_gives_one_json_object_per_figure() -> None:
    done = extract("seeds/002_9279d71c33d6ed19.txt")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["value"], r["status"]) for r in rows] == [(3000, "reported"), (12000, "expected")]
    assert {"extractor_version", "lang", "span_start", "sentence", "attribution"} <= set(rows[0])


def test_standard_input_and_the_table_format() -> None:
    done = extract("--lang", "en", "--format", "table", stdin="About 8,000 North Korean soldiers are in Kursk.")
    assert done.returncode == 0, done.stderr
    header, row = done.stdout.splitlines()
    assert header.split()[0] == "value" and "8,000" in row and "north_korea" in row
