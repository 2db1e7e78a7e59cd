"""``tallywire sql`` in its own process refuses a second statement and reading files, with no pipeline
running (it opens chDB itself) and with one (it asks the endpoint): the message says why, the exit
code is non-zero, and the table is still there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sinks.clickhouse_client import ClickHouse
from sinks.migrations import apply_migrations
from sinks.query_endpoint import QueryEndpoint
from tallywire.core.settings import Settings
from tallywire.testkit.cli_runner import sql_rows, tallywire

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["direct", "endpoint"])
def data_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    settings = Settings(data_dir=tmp_path / "data")
    clickhouse = ClickHouse(settings.resolved_clickhouse_dsn)
    apply_migrations(clickhouse)
    if request.param == "direct":
        clickhouse.close()  # nobody holds chDB: the command opens it itself
        yield settings.data_dir
        return
    endpoint = QueryEndpoint(settings)  # this process owns chDB, as a running pipeline would
    endpoint.start()
    try:
        yield settings.data_dir
    finally:
        endpoint.stop()
        clickhouse.close()


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT 1; DROP TABLE articles", "refused: only one statement per query (found ';' at position 9)"),
    ("SELECT * FROM file('/etc/passwd', 'LineAsString')", "refused: file() reaches outside the database"),
])
def test_sql_refuses_with_a_clear_message_and_runs_nothing(data_dir: Path, sql: str, expected: str) -> None:
    done = tallywire(data_dir, "sql", sql, timeout=60)
    assert done.returncode != 0 and done.stdout == ""
    assert expected in done.stderr, done.stderr
    assert {"name": "articles"} in sql_rows(data_dir, "SHOW TABLES")
