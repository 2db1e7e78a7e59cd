"""``tallywire alerts [--since ...] [--until ...]``: the alerts of figures published in a period, newest first."""

from __future__ import annotations

import argparse
import re
from datetime import datetime, timedelta, timezone

from clickhouse_connect.driver.binding import format_query_value

from tallywire.cli.common import add_command, command_settings, print_query
from tallywire.core.errors import ConfigError
from tallywire.core.formats import add_format_option

_AGO = re.compile(r"^(\d+)([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "alerts", "list the alerts of figures published in a period, newest first",
        "Lists the alerts of figures published in a period: each new figure of a watched series (what is "
        "counted, whose, where) with its value, how sure the report is, the value it follows (the latest "
        "earlier-published one) and who said it. Periods are publication time, not processing time. Newest first.",
        """tallywire alerts --since 24h
tallywire alerts --since 2024-10-01 --until 2024-11-10 --format json""",
    )
    parser.add_argument("--since", default="7d",
                        help="published at or after: a date (2024-11-01), a time (2024-11-01T12:00) or an age (24h, 7d, 2w)"
                             " (default: 7d)")
    parser.add_argument("--until", help="published before: a date, a time or an age, as --since (default: no end)")
    add_format_option(parser)
    parser.set_defaults(func=run)


def since(text: str, now: datetime, option: str = "--since") -> datetime:
    if match := _AGO.match(text):
        return now - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{option} {text!r} is neither a date nor an age", hint="use 2024-11-01 or 24h, 7d, 2w") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _time(moment: datetime) -> str:
    return f"toDateTime64({format_query_value(moment.strftime('%Y-%m-%d %H:%M:%S'))}, 3, 'UTC')"


def run(args: argparse.Namespace) -> int:
    settings = command_settings(args, reads="clickhouse")
    now = datetime.now(timezone.utc)
    period = [f"published_at >= {_time(since(args.since, now))}"]
    if args.until:
        period.append(f"published_at < {_time(since(args.until, now, '--until'))}")
    # Publication time, not processing time: a backlog ingested today lists under the days it reports.
    sql = (
        "SELECT published_at, kind, category, force, location, value, qualifier, status, previous_value, change, "
        f"source, attribution FROM alert_chain WHERE {' AND '.join(period)} ORDER BY published_at DESC, alert_id"
    )
    print_query(settings, sql, args.format)
    return 0
