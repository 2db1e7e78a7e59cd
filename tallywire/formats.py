"""The one ``--format`` vocabulary of every command that prints data: table, json, csv, tsv, in any case.

``json`` is one JSON object a line (ClickHouse's JSONEachRow), as ``extract`` always printed it; the names
``--format`` took before (``JSONEachRow``, ``CSV``, ``TSV``) and ``jsonl`` still work.
"""

from __future__ import annotations

import argparse

FORMATS = ("table", "json", "csv", "tsv")
_ALIASES = {"jsonl": "json", "jsoneachrow": "json"}


def format_name(text: str, allowed: tuple[str, ...] = FORMATS) -> str:
    """``text`` as one of ``allowed``; ValueError naming them when it is none."""
    name = text.lower()
    name = _ALIASES.get(name, name)
    if name not in allowed:
        raise ValueError(f"unknown format {text!r}: use one of {', '.join(allowed)}")
    return name


def add_format_option(parser: argparse.ArgumentParser, default: str, allowed: tuple[str, ...] = FORMATS) -> None:
    def parse(text: str) -> str:
        try:
            return format_name(text, allowed)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parser.add_argument("--format", type=parse, default=default, metavar="|".join(allowed),
                        help="output format, in any case (default: %(default)s)")
