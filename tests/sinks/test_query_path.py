"""User queries on real chDB, run directly and through the real query endpoint on 127.0.0.1: every
refusal is clear and runs nothing, the engine enforces readonly and the limits, and nothing a query
does reaches the sink's connection."""

from __future__ import annotations

import http.client
import json
import os
import socket
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink
from sinks.migrations import apply_migrations
from sinks.query_client import live_endpoint, run_query
from sinks.query_endpoint import ENDPOINT_FILE, TOKEN_HEADER, QueryEndpoint
from sinks.query_session import engine_settings
from tallywire.core.errors import ClickHouseError
from tallywire.core.settings import Settings
from tallywire.core.topics import FIGURES
from tests.sinks.test_sink_and_queries import figures


class Stored:
    """A data directory with the tables, the sink's connection on it, and optionally a live endpoint."""

    def __init__(self, settings: Settings, sink: ClickHouse, endpoint: QueryEndpoint | None) -> None:
        self.settings, self.sink, self.endpoint = settings, sink, endpoint

    def query(self, sql: str) -> bytes:
        return run_query(self.settings, sql, "JSONEachRow")

    def refusal(self, sql: str) -> str:
        with pytest.raises(ClickHouseError) as refused:
            self.query(sql)
        return str(refused.value)

    def count(self, table: str) -> int:
        return int(self.sink.rows(f"SELECT count() FROM {table}")[0][0])


def _open(tmp_path: Path, with_endpoint: bool, **overrides: object) -> Iterator[Stored]:
    settings = Settings(data_dir=tmp_path / "data", **overrides)
    sink = ClickHouse(settings.resolved_clickhouse_dsn)
    apply_migrations(sink)
    ClickHouseSink(sink).write(FIGURES, figures())
    endpoint = QueryEndpoint(settings) if with_endpoint else None
    if endpoint:
        endpoint.start()
    try:
        yield Stored(settings, sink, endpoint)
    finally:
        if endpoint:
            endpoint.stop()
        sink.close()


@pytest.fixture(params=["direct", "endpoint"])
def stored(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stored]:
    yield from _open(tmp_path, request.param == "endpoint")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Stored]:
    yield from _open(tmp_path, True, query_endpoint_timeout_s=0.5, query_endpoint_max_requests=2)


def test_both_paths_run_read_queries(stored: Stored) -> None:
    assert (live_endpoint(stored.settings.data_dir) is not None) == (stored.endpoint is not None)
    assert json.loads(stored.query("SELECT count() AS n FROM figures")) == {"n": 8}


def test_a_second_statement_is_refused_and_nothing_runs(stored: Stored) -> None:
    message = stored.refusal("SELECT 1; DROP TABLE articles")
    assert message == "refused: only one statement per query (found ';' at position 9)"
    assert "articles" in {row[0] for row in stored.sink.rows("SHOW TABLES")}
    before = stored.count("figures")
    assert "found ';' at position 9" in stored.refusal("SELECT 1; INSERT INTO figures (figure_id) VALUES ('x'); SELECT 1")
    assert stored.count("figures") == before


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT * FROM file('/etc/passwd', 'LineAsString')", "refused: file() reaches outside the database"),
    ("SELECT file('/etc/passwd')", "refused: file() reaches outside the database"),
    ("SELECT * FROM url('http://127.0.0.1:9/x', 'CSV', 'a String')", "refused: url() reaches outside the database"),
])
def test_functions_reaching_outside_are_refused(stored: Stored, sql: str, expected: str) -> None:
    assert expected in stored.refusal(sql)


def test_into_outfile_is_refused_and_writes_nothing(stored: Stored, tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    assert "INTO OUTFILE writes a file" in stored.refusal(f"SELECT 1 INTO OUTFILE '{target}'")
    assert not target.exists()


def test_readonly_cannot_be_lifted(stored: Stored) -> None:
    assert "Cannot modify 'readonly' setting in readonly mode" in stored.refusal("SELECT 1 SETTINGS readonly=0")
    assert "Cannot modify 'max_result_rows'" in stored.refusal("SELECT 1 SETTINGS max_result_rows=0")


def test_a_users_settings_never_reach_the_sink(stored: Stored) -> None:
    assert "not 'SET'" in stored.refusal("SET readonly = 1")
    stored.query("SELECT 1 SETTINGS readonly = 1")  # allowed: it is this query's value already
    before = stored.count("figures")
    ClickHouseSink(stored.sink).write(FIGURES, [figures()[0].model_copy(update={"figure_id": "new"})])
    assert stored.count("figures") == before + 1


def test_the_engine_itself_refuses_writes_in_a_query_session(tmp_path: Path) -> None:
    """Below the statement check: a connection with the query settings refuses what the check lets
    by, so a gap in the check is not a write."""
    settings = Settings(data_dir=tmp_path / "data")
    sink = ClickHouse(settings.resolved_clickhouse_dsn)
    apply_migrations(sink)
    session = ClickHouse(settings.resolved_clickhouse_dsn, None, engine_settings(settings))
    try:
        for sql in ("DROP TABLE articles", "INSERT INTO figures (figure_id) VALUES ('x')",
                    "ALTER TABLE figures DELETE WHERE 1", "SET readonly = 0",
                    "SELECT * FROM url('http://127.0.0.1:9/x', 'CSV', 'a String')"):
            with pytest.raises(ClickHouseError, match="READONLY"):
                session.command(sql)
    finally:
        session.close()
        sink.close()


@pytest.mark.parametrize("path", ["direct", "endpoint"])
@pytest.mark.parametrize(("limits", "sql", "expected"), [
    ({"query_max_result_rows": 10}, "SELECT number FROM numbers(20)", "TOO_MANY_ROWS_OR_BYTES"),
    ({"query_max_result_bytes": 1000}, "SELECT repeat('x', 1000) FROM numbers(1000)", "TOO_MANY_ROWS_OR_BYTES"),
    ({"query_max_execution_s": 0.5}, "SELECT count() FROM numbers(1000000000000)", "TIMEOUT_EXCEEDED"),
    ({"query_max_memory_bytes": 20_000_000}, "SELECT groupArray(number) FROM numbers(10000000)", "MEMORY_LIMIT_EXCEEDED"),
])
def test_limits_refuse_oversized_queries(tmp_path: Path, path: str, limits: dict, sql: str, expected: str) -> None:
    opened = _open(tmp_path, path == "endpoint", **limits)
    stored = next(opened)
    try:
        started = time.monotonic()
        assert expected in stored.refusal(sql)
        assert time.monotonic() - started < 10
        # A refused query leaves nothing behind for the next one (chDB would prepend its partial output).
        assert stored.query("SELECT 1 AS one") == b'{"one":1}\n'
    finally:
        opened.close()


# --- The endpoint's own checks, with a raw HTTP client that sends exactly the headers given.

def _post(endpoint: QueryEndpoint, headers: dict[str, str], body: bytes = b'{"sql": "SELECT 1"}') -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", endpoint.port, timeout=10)
    try:
        connection.putrequest("POST", "/query", skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def _good_headers(endpoint: QueryEndpoint, body: bytes = b'{"sql": "SELECT 1"}') -> dict[str, str]:
    return {"Host": f"127.0.0.1:{endpoint.port}", TOKEN_HEADER: endpoint.token, "Content-Length": str(len(body))}


def test_a_request_with_the_token_is_answered(served: Stored) -> None:
    endpoint = served.endpoint
    assert _post(endpoint, _good_headers(endpoint))[0] == 200
    assert _post(endpoint, {**_good_headers(endpoint), "Host": f"localhost:{endpoint.port}"})[0] == 200


@pytest.mark.parametrize(("change", "status", "expected"), [
    ({TOKEN_HEADER: None}, 403, "missing or wrong X-Tallywire-Token"),
    ({TOKEN_HEADER: "guessed"}, 403, "missing or wrong X-Tallywire-Token"),
    ({"Origin": "http://evil.example"}, 403, "a request from a web page (Origin header)"),
    ({"Origin": "null"}, 403, "Origin header"),
    ({"Host": "evil.example:{port}"}, 421, "refused: Host 'evil.example:"),
    ({"Host": None}, 421, "refused: Host None"),
    ({"Content-Length": "-1"}, 400, "Content-Length '-1' is not a number"),
    ({"Content-Length": "1e3"}, 400, "is not a number"),
    ({"Content-Length": None}, 411, "no Content-Length"),
    ({"Content-Length": str(2 * 1024 * 1024)}, 413, "more than 1048576"),
])
def test_the_endpoint_refuses_requests_it_cannot_trust(served: Stored, change: dict, status: int, expected: str) -> None:
    endpoint = served.endpoint
    headers = _good_headers(endpoint)
    for name, value in change.items():
        if value is None:
            headers.pop(name, None)
        else:
            headers[name] = value.format(port=endpoint.port)
    got_status, body = _post(endpoint, headers)
    assert (got_status, expected in json.loads(body)["error"]) == (status, True), body


def test_the_endpoint_file_is_its_owners_alone(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    (tmp_path / ENDPOINT_FILE).write_text("{}")
    (tmp_path / ENDPOINT_FILE).chmod(0o644)  # left by an older run
    endpoint = QueryEndpoint(settings)
    endpoint.start()
    try:
        assert stat.S_IMODE(os.stat(tmp_path / ENDPOINT_FILE).st_mode) == 0o600
        described = json.loads((tmp_path / ENDPOINT_FILE).read_text())
        assert described["token"] == endpoint.token and len(endpoint.token) >= 40
        assert described["url"].startswith("http://127.0.0.1:")
    finally:
        endpoint.stop()


def test_stalled_connections_are_hung_up_on_and_cannot_pile_up(served: Stored) -> None:
    endpoint = served.endpoint
    stalled = [socket.create_connection(("127.0.0.1", endpoint.port), timeout=5) for _ in range(2)]  # max_requests=2
    try:
        with socket.create_connection(("127.0.0.1", endpoint.port), timeout=5) as third:
            assert third.recv(100) == b""  # closed unserved at once: no thread waits on it
        started = time.monotonic()
        for connection in stalled:
            assert connection.recv(100) == b""  # hung up on after the 0.5 s socket timeout
        assert time.monotonic() - started < 3
    finally:
        for connection in stalled:
            connection.close()
    assert json.loads(served.query("SELECT 1 AS one")) == {"one": 1}  # the slots are free again
