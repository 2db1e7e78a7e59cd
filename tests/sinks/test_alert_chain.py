"""The alert chain on chDB: revisions of an alert are rows, the latest one counts, and a worker that lost
its state and replays a series in another order raises no alert ClickHouse already holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink
from sinks.migrations import apply_migrations
from tallywire.cli import main
from tallywire.core.topics import ALERTS
from tests.alerts.test_alert_series import Series, figure, seed_figures


@pytest.fixture
def sink(tmp_path: Path):  # noqa: ANN201
    clickhouse = ClickHouse(f"chdb://{tmp_path / 'ch'}")
    apply_migrations(clickhouse)
    yield ClickHouseSink(clickhouse, alert_tolerance=0.02)
    clickhouse.close()


def chain(sink: ClickHouseSink) -> list[tuple]:
    return sorted(sink.clickhouse.rows("SELECT value, previous_value, kind FROM alert_chain"))


def test_the_chain_holds_each_alert_at_its_latest_revision(sink: ClickHouseSink) -> None:
    series = Series()
    for item in (figure(11000, day=38), figure(3000, day=29), figure(8000, day=32)):
        sink.write(ALERTS, series.arrive(item))
    assert chain(sink) == [(3000, None, "alert"), (8000, 3000, "alert"), (11000, 8000, "alert")]
    assert sink.clickhouse.rows("SELECT count() FROM alerts")[0][0] == 5  # 11,000 in three revisions


def test_a_replay_with_lost_state_in_another_order_raises_no_new_alert(sink: ClickHouseSink) -> None:
    first, later = figure(12500, day=35), figure(12700, day=40)
    live = Series()
    new = [record for item in (first, later) for record in sink.write(ALERTS, live.arrive(item))]
    assert [(a.value, a.kind) for a in new] == [(12500, "alert")]
    # The worker restarts with an empty table and the replay brings 12,700 first (issue 25).
    replay = Series()
    assert sink.write(ALERTS, replay.arrive(later)) == []
    stored = sink.write(ALERTS, replay.arrive(first))
    assert all(a.kind != "alert" or a.alert_id == new[0].alert_id for a in stored)
    assert chain(sink) == [(12500, None, "alert")]


def test_alerts_lists_the_alerts_of_figures_published_in_the_period(tmp_path: Path,
                                                                     capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    clickhouse = ClickHouse(f"chdb://{tmp_path / 'clickhouse'}")
    apply_migrations(clickhouse)
    series, sink = Series(), ClickHouseSink(clickhouse)
    for item in reversed(seed_figures()):  # processed last: the oldest reports
        sink.write(ALERTS, series.arrive(item))
    clickhouse.close()
    assert main(["alerts", "--since", "2024-11-01", "--until", "2024-11-08", "--format", "json",
                 "--data-dir", str(tmp_path)]) == 0
    rows = [json.loads(line) for line in capsysbinary.readouterr().out.decode().splitlines()]
    assert rows[0]["published_at"] >= rows[-1]["published_at"]  # newest first
    assert sorted((r["published_at"][:10], r["value"], r["previous_value"] or 0) for r in rows) == [
        ("2024-11-01", 8000, 3000), ("2024-11-01", 10000, 0), ("2024-11-07", 11000, 8000)]
