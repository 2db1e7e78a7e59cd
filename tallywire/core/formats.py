"""The one ``--format`` vocabulary of every command that prints data: table, json, csv, tsv, in any case.

``json`` is one JSON object a line (ClickHouse's JSONEachRow), as ``extract`` always printed it; the names
``--format`` took before (``JSONEachRow``, ``CSV``, ``TSV``) and ``jsonl`` still work. Rows computed in
Python (``extract``, ``lag``, ``eval-*``) are written here in the shapes ClickHouse gives ``sql``'s.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections.abc import Sequence

FORMATS = ("table", "json", "csv", "tsv")
_ALIASES = {"jsonl": "json", "jsoneachrow": "json"}


def format_name(text: str, allowed: tuple[str, ...] = FORMATS) -> str:
    """``text`` as one of ``allowed``; ValueError naming them when it is none."""
    name = text.lower()
    name = _ALIASES.get(name, name)
    if name not in allowed:
        raise ValueError(f"unknown format {text!r}: use one of {', '.join(allowed)}")
    return name


def add_format_option(parser: argparse.ArgumentParser, default: str = "table") -> None:
    def parse(text: str) -> str:
        try:
            return format_name(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parser.add_argument("--format", type=parse, default=default, metavar="|".join(FORMATS),
                        help="output format, in any case (default: %(default)s)")


def rows_text(rows: Sequence[dict[str, object]], columns: Sequence[str], fmt: str) -> str:
    """``rows`` (dicts holding at least ``columns``) in ``fmt``: json gives each row whole, the others
    ``columns``, with a header line even when there are no rows."""
    if fmt == "json":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
            writer.writerow(columns)
            writer.writerows([row[c] for c in columns] for row in rows)
        else:
            lines: list[list[object]] = [list(columns), *([row[c] for c in columns] for row in rows)]
            out.writelines("\t".join(_tsv(v) for v in line) + "\n" for line in lines)
        return out.getvalue()
    table = [list(columns)] + [[_cell(row[c]) for c in columns] for row in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    # Numbers right-aligned, as ClickHouse's tables show them; the header follows its column.
    right = [bool(rows) and all(isinstance(row[c], (int, float)) for row in rows) for c in columns]
    return "".join(
        "  ".join(cell.rjust(w) if r else cell.ljust(w) for cell, w, r in zip(line, widths, right)).rstrip() + "\n"
        for line in table
    )


def empty_table(columns: Sequence[str]) -> str:
    """The frame of a ClickHouse table (``PrettyCompact``) with no rows: what ``sql`` shows for an empty result."""
    return (f"   ┌{'┬'.join(f'─{c}─' for c in columns)}┐\n"
            f"   └{'┴'.join('─' * (len(c) + 2) for c in columns)}┘\n")


def tsv_header(output: bytes) -> list[str]:
    """The column names of ClickHouse's ``TSVWithNames`` output."""
    line = output.decode("utf-8", errors="replace").split("\n", 1)[0]
    return [_untsv(name) for name in line.split("\t")] if line else []


def is_empty_result(output: bytes, fmt: str) -> bool:
    """Whether ClickHouse's ``output`` in ``fmt`` holds no row (csv and tsv: the header alone)."""
    if fmt in ("table", "json"):
        return not output.strip()
    text = output.decode("utf-8", errors="replace")
    records = csv.reader(io.StringIO(text)) if fmt == "csv" else text.splitlines()
    return sum(1 for _, _ in zip(range(2), records)) < 2


def say_no_rows() -> None:
    # On stderr: stdout stays the header alone, or nothing, for whatever reads it.
    print("0 rows", file=sys.stderr)


def _cell(value: object) -> str:
    return f"{value:,.0f}" if isinstance(value, float) and value.is_integer() else str(value)


_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n"}


def _tsv(value: object) -> str:
    return "".join(_TSV_ESCAPES.get(char, char) for char in str(value))


def _untsv(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"t": "\t", "n": "\n"}.get(m.group(1), m.group(1)), text)
