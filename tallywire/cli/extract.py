"""``tallywire extract [FILE|-]``: the figure extractor on one text, one JSON object per figure."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path

from ingest.language_guess import guess_language
from tallywire.core.text_cleanup import clean_text
from processors.figure_extractor import EXTRACTOR_VERSION, extract_figures
from tallywire.cli.common import add_command, print_rows
from tallywire.core.formats import add_format_option
from tallywire.core.input_files import read_text, utf8

# The columns a person reads; json gives every field of a figure.
TABLE_COLUMNS = ("value", "qualifier", "status", "category", "counted", "force", "location", "attribution")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "extract", "extract figures from one text (a file or standard input)",
        "Runs the figure extractor on one German or English text, as the pipeline does on each article, and "
        "prints every figure it finds: the value and its hedge, reported or forecast, what is counted, whose, "
        "where and who said it. Nothing is stored; no pipeline is needed.",
        """tallywire extract article.txt --format table
echo 'Rund 11.000 nordkoreanische Soldaten sind in Kursk.' | tallywire extract --lang de""",
    )
    parser.add_argument("file", nargs="?", default="-", help="text file, or - for standard input (default: -)")
    parser.add_argument("--lang", choices=("de", "en"), help="language of the text (default: guessed from the text)")
    add_format_option(parser, default="json")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raw = (utf8(sys.stdin.buffer.read(), "standard input") if args.file == "-"
           else read_text(Path(args.file), "a text file, or - for standard input"))
    text = clean_text(raw)
    lang = args.lang or guess_language(text)
    rows = [{**asdict(f), "lang": lang, "extractor_version": EXTRACTOR_VERSION} for f in extract_figures(text, lang)]
    print_rows(rows, TABLE_COLUMNS, args.format)
    return 0
