"""Which of the data directory's locks a process takes, from its roles and settings: light to import, so
that a command can refuse a busy data directory before it loads the pipeline."""

from __future__ import annotations

from contextlib import AbstractContextManager

from sinks.clickhouse_client import is_chdb
from tallywire.core.settings import Settings
from tallywire.runtime.data_dir_lock import BROKER, CLICKHOUSE, own_data_dir


def owned_parts(settings: Settings, roles: tuple[str, ...], runs_broker: bool) -> tuple[str, ...]:
    """The locks a process takes before it touches the data directory: for the embedded broker it starts,
    and for the data directory's chDB its sink opens. Processing workers and the commands that join a
    running pipeline (ingest, poll, sql, lag) take none."""
    parts = []
    if runs_broker:
        parts.append(BROKER)
    if "sink" in roles and is_chdb(settings.resolved_clickhouse_dsn):
        parts.append(CLICKHOUSE)
    return tuple(parts)


def data_dir_owner(settings: Settings, roles: tuple[str, ...], runs_broker: bool) -> AbstractContextManager[None]:
    return own_data_dir(settings.data_dir, owned_parts(settings, roles, runs_broker))
