"""``tallywire extract [FILE|-]``: the figure extractor on one text, one JSON object per figure."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from ingest.language_guess import guess_language
from ingest.text_cleanup import clean_text
from processors.figure_extractor import EXTRACTOR_VERSION, extract_figures
from tallywire.formats import add_format_option
from tallywire.input_files import read_text, utf8

TABLE_COLUMNS = ("value", "qualifier", "status", "category", "counted", "force", "location", "attribution")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("extract", help="extract figures from one text (a file or standard input)")
    parser.add_argument("file", nargs="?", default="-", help="text file, or - for standard input (default: -)")
    parser.add_argument("--lang", choices=("de", "en"), help="language of the text (default: guessed from the text)")
    add_format_option(parser, default="json", allowed=("table", "json"))
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raw = (utf8(sys.stdin.buffer.read(), "standard input") if args.file == "-"
           else read_text(Path(args.file), "a text file, or - for standard input"))
    text = clean_text(raw)
    lang = args.lang or guess_language(text)
    rows = [{**asdict(f), "lang": lang, "extractor_version": EXTRACTOR_VERSION} for f in extract_figures(text, lang)]
    if args.format == "json":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    table = [TABLE_COLUMNS] + [tuple(_cell(row[c]) for c in TABLE_COLUMNS) for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(TABLE_COLUMNS))]
    for line in table:
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip())
    return 0


def _cell(value: object) -> str:
    return f"{value:,.0f}" if isinstance(value, float) else str(value)
