"""``tallywire query NAME``: the named queries analysts ask most, against the configured ClickHouse."""

from __future__ import annotations

import argparse
import sys

from sinks.queries import QUERIES, bound_sql
from sinks.query_client import run_query
from tallywire.errors import ConfigError
from tallywire.formats import add_format_option
from tallywire.logging_setup import configure_logging
from tallywire.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    described = "; ".join(f"{name}: {q.description}" for name, q in QUERIES.items())
    parser = subparsers.add_parser("query", help="run a named query", description=described)
    parser.add_argument("name", choices=sorted(QUERIES), help="which query")
    parser.add_argument("--category", help="what is counted, e.g. troops (figure-timeline)")
    parser.add_argument("--force", help="whose, e.g. north_korea (figure-timeline)")
    parser.add_argument("--location", help="where, e.g. Kursk (figure-timeline)")
    add_format_option(parser, default="table")
    parser.add_argument("--data-dir", help="data directory (default: $TALLYWIRE_DATA_DIR or ./.tallywire)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(data_dir=args.data_dir)
    configure_logging(settings)
    try:
        sql = bound_sql(args.name, {"category": args.category, "force": args.force, "location": args.location})
    except ValueError as exc:
        raise ConfigError(str(exc), hint="e.g. --category troops --force north_korea --location Kursk") from None
    sys.stdout.buffer.write(run_query(settings, sql, args.format))
    sys.stdout.flush()
    return 0
