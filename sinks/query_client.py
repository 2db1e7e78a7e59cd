"""Run one read-only query against the configured ClickHouse, wherever it is open.

With chDB, a running pipeline owns the data directory: the query goes to its query endpoint. With
no pipeline running (or a ClickHouse server), the query opens the client directly. Either way it runs
in ``sinks/query_session.py``: the same checks, settings and limits.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from sinks.clickhouse_client import is_chdb
from sinks.query_endpoint import ENDPOINT_FILE, TOKEN_HEADER
from sinks.query_session import formatted_result
from tallywire.core.errors import ClickHouseError
from tallywire.core.settings import Settings

# Time to answer beyond the query's own limit: the endpoint may be serving other queries first.
_ENDPOINT_GRACE_S = 30.0


@dataclass(frozen=True)
class Endpoint:
    url: str
    token: str


def run_query(settings: Settings, sql: str, fmt: str = "table") -> bytes:
    if is_chdb(settings.resolved_clickhouse_dsn):
        endpoint = live_endpoint(settings.data_dir)
        if endpoint:
            return ask_endpoint(endpoint, sql, fmt, settings.query_max_execution_s + _ENDPOINT_GRACE_S)
    return formatted_result(settings, sql, fmt)


def live_endpoint(data_dir: Path) -> Endpoint | None:
    """The query endpoint of a running pipeline on ``data_dir``, if one runs."""
    try:
        described = json.loads((data_dir / ENDPOINT_FILE).read_text())
        os.kill(int(described["pid"]), 0)
        return Endpoint(described["url"], described["token"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ask_endpoint(endpoint: Endpoint, sql: str, fmt: str, timeout_s: float) -> bytes:
    request = urllib.request.Request(
        endpoint.url, data=json.dumps({"sql": sql, "format": fmt}).encode("utf-8"),
        headers={"Content-Type": "application/json", TOKEN_HEADER: endpoint.token},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.read()
    except urllib.error.HTTPError as exc:
        raise _endpoint_error(exc.read()) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ClickHouseError(f"the running pipeline's query endpoint {endpoint.url} did not answer: {reason}") from None


def _endpoint_error(body: bytes) -> ClickHouseError:
    try:
        described = json.loads(body)
        return ClickHouseError(described["error"], hint=described.get("hint", ""))
    except (ValueError, KeyError, TypeError):
        return ClickHouseError(body.decode("utf-8", errors="replace"))
