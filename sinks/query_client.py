"""Run one read-only query against the configured ClickHouse, wherever it is open.

With chDB, a running pipeline owns the data directory: the query goes to its query endpoint. With
no pipeline running (or a ClickHouse server), the query opens the client directly.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

from sinks.clickhouse_client import ClickHouse, is_chdb
from sinks.query_endpoint import ENDPOINT_FILE
from tallywire.errors import ClickHouseError
from tallywire.settings import Settings


def run_query(settings: Settings, sql: str, fmt: str = "table") -> bytes:
    dsn = settings.resolved_clickhouse_dsn
    if is_chdb(dsn):
        endpoint = live_endpoint(settings.data_dir)
        if endpoint:
            return _ask_endpoint(endpoint, sql, fmt)
    password = settings.clickhouse_password.get_secret_value() if settings.clickhouse_password else None
    clickhouse = ClickHouse(dsn, password)
    try:
        return clickhouse.formatted(sql, fmt)
    finally:
        clickhouse.close()


def live_endpoint(data_dir: Path) -> str | None:
    """The URL of the query endpoint of a running pipeline on ``data_dir``, if one runs."""
    try:
        described = json.loads((data_dir / ENDPOINT_FILE).read_text())
        os.kill(int(described["pid"]), 0)
    except (OSError, ValueError, KeyError):
        return None
    return described["url"]


def _ask_endpoint(url: str, sql: str, fmt: str) -> bytes:
    request = urllib.request.Request(
        url, data=json.dumps({"sql": sql, "format": fmt}).encode("utf-8"), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise ClickHouseError(exc.read().decode("utf-8", errors="replace")) from None
    except urllib.error.URLError as exc:
        raise ClickHouseError(f"the running pipeline's query endpoint {url} did not answer: {exc.reason}") from None
