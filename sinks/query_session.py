"""Where user queries run: a ClickHouse connection of their own, read-only and limited by the engine.

Every query a person or a command writes (``tallywire sql``, ``query``, ``report``, ``alerts``) runs
here, in the process that owns chDB (behind the query endpoint) or, with no pipeline running, in the
command's own, on a connection opened for it alone. ``sinks/query_guard.py`` checks the text first; the engine then enforces
``readonly=1`` and the limits, so what the check cannot see (``SETTINGS readonly=0``, a write hidden
in a view) is refused by ClickHouse itself. chDB keeps ``SET`` per connection handle: this session's
settings, and any a query tries to change, never reach the sink's connection (tried on chDB 4.4:
``SET readonly=1`` on one handle leaves inserts through another working).
"""

from __future__ import annotations

import re

from clickhouse_connect.driver.binding import format_query_value

from sinks.clickhouse_client import ClickHouse
from sinks.query_guard import QuerySyntaxError, checked_query
from tallywire.core.errors import ClickHouseError
from tallywire.core.formats import format_name
from tallywire.core.settings import Settings

# What the CLI calls "table" is ClickHouse's compact pretty format.
_CLICKHOUSE_FORMAT = {"table": "PrettyCompactMonoBlock", "json": "JSONEachRow", "csv": "CSVWithNames", "tsv": "TSVWithNames"}


def engine_settings(settings: Settings) -> dict[str, object]:
    """The ClickHouse settings every user query runs under, in the order they are set."""
    return {
        "max_execution_time": settings.query_max_execution_s,
        "max_result_rows": settings.query_max_result_rows,
        "max_result_bytes": settings.query_max_result_bytes,
        "result_overflow_mode": "throw",  # never a silently cut result
        "max_memory_usage": settings.query_max_memory_bytes,
        "allow_introspection_functions": 0,
        # Last: from here on the engine refuses to change any setting in this session, these included.
        "readonly": 1,
    }


def formatted_result(settings: Settings, sql: str, fmt: str = "table") -> bytes:
    """The result of one read-only query as text in ``fmt`` (see tallywire/core/formats.py); QueryRefused (a
    ClickHouseError) before anything opens or runs if the text is more or other than that.

    Each query gets a connection of its own (about 9 ms with chDB open): chDB keeps the partial output
    of a failed query on its handle and puts it before the next result (tried: the header of a query
    refused for max_result_rows came back on top of the next one), and nothing one query leaves in a
    session can reach the next."""
    try:
        fmt = format_name(fmt)
    except ValueError as exc:
        raise ClickHouseError(str(exc)) from None
    statement = checked_query(sql)
    clickhouse = ClickHouse(settings.resolved_clickhouse_dsn, settings.clickhouse_password_value, engine_settings(settings))
    try:
        _check_syntax(clickhouse, statement)
        return clickhouse.raw(statement, _CLICKHOUSE_FORMAT[fmt])
    finally:
        clickhouse.close()


_SYNTAX_ERROR = re.compile(r"Syntax error: failed at position (\d+)( \([^)]*\))?")


def _check_syntax(clickhouse: ClickHouse, statement: str) -> None:
    """QuerySyntaxError if ClickHouse cannot parse ``statement`` on its own. The client appends
    "FORMAT <name>" to what it runs, and a statement that ends too early took that for its own: "SELECT 1 +"
    failed with "Unknown identifier `FORMAT`. In scope SELECT 1 + FORMAT AS PrettyCompactMonoBlock". Parsed
    alone (formatQuery() parses and runs nothing), the error is the user's text and position."""
    try:
        clickhouse.rows(f"SELECT formatQuery({format_query_value(statement)})")
    except ClickHouseError as exc:
        found = _SYNTAX_ERROR.search(str(exc))
        if not found:
            raise
        expected = str(exc).partition("Expected one of: ")[2].split(":")[0].split(", ")
        unmatched = re.search(r"Unmatched parentheses: [^:]*", str(exc))
        if expected[0]:
            hint = f"expected one of {', '.join(expected[:6])}{', ...' if len(expected) > 6 else ''}"
        else:
            hint = unmatched.group(0) if unmatched else ""
        raise QuerySyntaxError(f"syntax error at position {found.group(1)}{found.group(2) or ''} of: {statement.strip()}",
                               hint=hint) from None
