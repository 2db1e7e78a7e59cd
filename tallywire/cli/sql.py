"""``tallywire sql "SELECT ..."``: one query against the configured ClickHouse, printed."""

from __future__ import annotations

import argparse

from tallywire.cli.common import add_command, command_settings, print_query
from tallywire.core.formats import add_format_option


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "sql", "run one read-only query against ClickHouse and print the result",
        "Runs one read statement (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN, EXISTS) against the data a pipeline "
        "stored, and prints its result. While `tallywire run` holds the data directory, the query goes to that "
        "pipeline's read-only endpoint; otherwise it opens the data directory itself. Writes, a second "
        "statement and functions that reach outside the database are refused before anything runs.",
        """tallywire sql "SELECT story_id, source, title FROM articles ORDER BY published_at"
tallywire sql "SHOW TABLES" --format json""",
    )
    parser.add_argument("query", help="the SQL statement (read-only)")
    add_format_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print_query(command_settings(args, reads="clickhouse"), args.query, args.format)
    return 0
