"""``tallywire alerts [--since ...]``: the recent alerts, newest first."""

from __future__ import annotations

import argparse
import re
from datetime import datetime, timedelta, timezone

from clickhouse_connect.driver.binding import format_query_value

from tallywire.commands.common import add_command, command_settings, print_query
from tallywire.errors import ConfigError
from tallywire.formats import add_format_option

_AGO = re.compile(r"^(\d+)([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "alerts", "list recent alerts, newest first",
        "Lists the alerts the pipeline raised since a date or within an age: each new figure of a watched "
        "series (what is counted, whose, where) with its value, how sure the report is, the value it "
        "follows and who said it. Newest first.",
        """tallywire alerts --since 24h
tallywire alerts --since 2024-11-01 --format json""",
    )
    parser.add_argument("--since", default="7d",
                        help="a date (2024-11-01), a time (2024-11-01T12:00) or an age (24h, 7d, 2w) (default: 7d)")
    add_format_option(parser)
    parser.set_defaults(func=run)


def since(text: str, now: datetime) -> datetime:
    if match := _AGO.match(text):
        return now - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"--since {text!r} is neither a date nor an age", hint="use 2024-11-01 or 24h, 7d, 2w") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def run(args: argparse.Namespace) -> int:
    settings = command_settings(args, reads="clickhouse")
    start = since(args.since, datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M:%S")
    sql = (
        "SELECT created_at, category, force, location, value, qualifier, status, previous_value, source, attribution "
        f"FROM alerts FINAL WHERE created_at >= toDateTime64({format_query_value(start)}, 3, 'UTC') "
        "ORDER BY created_at DESC, alert_id"
    )
    print_query(settings, sql, args.format)
    return 0
