"""Versioned, idempotent schema migrations: ``migrations/NNN_name.sql``, applied in order at start.

Applied versions are recorded in ``schema_migrations``; every statement is also idempotent on its own
(IF NOT EXISTS), so a crash half-way through a file is repaired by running it again.
"""

from __future__ import annotations

import logging
import re
from importlib import resources

from sinks.clickhouse_client import ClickHouse

log = logging.getLogger(__name__)

_FILE_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migration_files() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every migration shipped, in order."""
    found = []
    for entry in resources.files("sinks").joinpath("migrations").iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def statements(sql: str) -> list[str]:
    without_comments = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return [part.strip() for part in without_comments.split(";") if part.strip()]


def apply_migrations(clickhouse: ClickHouse) -> list[str]:
    """Apply what is not applied yet; returns the names applied now."""
    clickhouse.command(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version UInt32, name String, applied_at DateTime64(3, 'UTC')"
        " DEFAULT now64(3)) ENGINE = ReplacingMergeTree ORDER BY version"
    )
    done = {row[0] for row in clickhouse.rows("SELECT version FROM schema_migrations")}
    applied = []
    for version, name, sql in migration_files():
        if version in done:
            continue
        for statement in statements(sql):
            clickhouse.command(statement)
        clickhouse.insert("schema_migrations", [(version, name)], ["version", "name"])
        applied.append(name)
        log.info("applied migration %s", name)
    return applied
