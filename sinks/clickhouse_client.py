"""DSN to ClickHouse client: chDB in-process for ``chdb://``, a server for ``http(s)://``. Same code after.

Only ``sinks/`` speaks SQL. clickhouse-connect's exceptions are translated into ``ClickHouseError``
here, so callers handle one type.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Iterator

import clickhouse_connect
from clickhouse_connect.driver.binding import format_query_value
from clickhouse_connect.driver.exceptions import Error as DriverError

from tallywire.core.errors import ClickHouseError

log = logging.getLogger(__name__)


def is_chdb(dsn: str) -> bool:
    return dsn.startswith("chdb:")


@contextmanager
def translated_errors(action: str) -> Iterator[None]:
    try:
        yield
    except DriverError as exc:
        raise ClickHouseError(f"{action} failed: {_first_line(exc)}") from exc
    except OSError as exc:
        raise ClickHouseError(
            f"{action} failed: {exc}", hint="is ClickHouse running and TALLYWIRE_CLICKHOUSE_DSN right?"
        ) from exc


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    # chDB appends "FORMAT Native" context and a stack trace; the first lines carry the message.
    return " ".join(text.splitlines()[:3])[:800]


class ClickHouse:
    """A thread-safe ClickHouse connection: chDB may only be used by one thread at a time."""

    def __init__(self, dsn: str, password: str | None = None, session_settings: Mapping[str, object] | None = None) -> None:
        """``session_settings`` hold for every statement of this connection, in their order: with chDB
        they are SET on this connection's own handle (chDB keeps SET per handle, not per process);
        a ClickHouse server gets them with every request."""
        self.dsn = dsn
        self._lock = threading.Lock()
        kwargs: dict[str, Any] = {"dsn": dsn}
        if password and not is_chdb(dsn):
            kwargs["password"] = password
        if session_settings and not is_chdb(dsn):
            kwargs["settings"] = dict(session_settings)
        if is_chdb(dsn):
            path = dsn.split("://", 1)[1]
            if path.startswith("/"):
                from pathlib import Path

                Path(path).mkdir(parents=True, exist_ok=True)
        with translated_errors("connecting to ClickHouse"):
            try:
                self._client = clickhouse_connect.get_client(**kwargs)
            except Exception as exc:  # chDB raises plain RuntimeError when the directory is locked
                if "lock" in str(exc).lower():
                    raise ClickHouseError(
                        f"the chDB directory {dsn} is open in another process",
                        hint="run this while that process serves queries (tallywire sql talks to it), or stop it",
                    ) from exc
                raise
            if is_chdb(dsn):
                for name, value in (session_settings or {}).items():
                    self._client.command(f"SET {name} = {format_query_value(value)}")

    def command(self, sql: str, parameters: dict[str, Any] | None = None) -> Any:
        with self._lock, translated_errors("ClickHouse command"):
            return self._client.command(sql, parameters=parameters)

    def rows(self, sql: str, parameters: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        with self._lock, translated_errors("ClickHouse query"):
            return [tuple(row) for row in self._client.query(sql, parameters=parameters).result_rows]

    def raw(self, sql: str, fmt: str) -> bytes:
        """The output of ``sql`` in ClickHouse's format ``fmt``, as ClickHouse writes it."""
        with self._lock, translated_errors("query"):
            return self._client.raw_query(sql, fmt=fmt)

    def insert(self, table: str, rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> None:
        with self._lock, translated_errors(f"insert into {table}"):
            self._client.insert(table, rows, column_names=list(columns))

    def close(self) -> None:
        with self._lock:
            self._client.close()
