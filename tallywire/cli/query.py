"""``tallywire query NAME``: one of the named analyst queries of ``sinks/queries.py``."""

from __future__ import annotations

import argparse

from sinks.queries import QUERIES, bound_sql
from tallywire.cli.common import add_command, command_settings, print_query
from tallywire.core.errors import ConfigError
from tallywire.core.formats import add_format_option


def register(subparsers: argparse._SubParsersAction) -> None:
    described = "\n".join(f"  {name}: {q.description}" for name, q in sorted(QUERIES.items()))
    parser = add_command(
        subparsers, "query", "run a named query (figure-timeline, latest-figures, stories)",
        f"Runs one of the named questions analysts ask of the stored figures and stories, with the filters "
        f"given, and prints its result.\n\nqueries:\n{described}",
        """tallywire query figure-timeline --category troops --force north_korea --location Kursk
tallywire query latest-figures --format csv""",
    )
    parser.add_argument("name", choices=sorted(QUERIES), help="which query")
    parser.add_argument("--category", help="what is counted, e.g. troops (figure-timeline)")
    parser.add_argument("--force", help="whose, e.g. north_korea (figure-timeline)")
    parser.add_argument("--location", help="where, e.g. Kursk (figure-timeline)")
    add_format_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = command_settings(args, reads="clickhouse")
    try:
        sql = bound_sql(args.name, {"category": args.category, "force": args.force, "location": args.location})
    except ValueError as exc:
        raise ConfigError(str(exc), hint="e.g. --category troops --force north_korea --location Kursk") from None
    print_query(settings, sql, args.format)
    return 0
