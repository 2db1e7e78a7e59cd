"""``tallywire sql "SELECT ..."``: one query against the configured ClickHouse, printed."""

from __future__ import annotations

import argparse
import sys

from sinks.query_client import run_query
from tallywire.formats import add_format_option
from tallywire.logging_setup import configure_logging
from tallywire.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sql", help="run one read-only query against ClickHouse and print the result")
    parser.add_argument("query", help="the SQL query (read-only)")
    add_format_option(parser, default="table")
    parser.add_argument("--data-dir", help="data directory (default: $TALLYWIRE_DATA_DIR or ./.tallywire)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(data_dir=args.data_dir)
    configure_logging(settings)
    sys.stdout.buffer.write(run_query(settings, args.query, args.format))
    sys.stdout.flush()
    return 0
