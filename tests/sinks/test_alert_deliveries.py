"""The delivery record on chDB: what is pending per channel, oldest first, and what an outcome settles."""

from __future__ import annotations

from pathlib import Path

from sinks.alert_deliveries import AlertDeliveries
from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink
from sinks.migrations import apply_migrations
from tallywire.core.topics import ALERTS
from tests.alerts.test_channels import alert


def test_pending_is_stored_alerts_without_an_outcome_on_the_channel(tmp_path: Path) -> None:
    clickhouse = ClickHouse(f"chdb://{tmp_path / 'ch'}")
    apply_migrations(clickhouse)
    stored = [alert(value) for value in (1000, 2000, 3000)]
    ClickHouseSink(clickhouse).write(ALERTS, stored)
    deliveries = AlertDeliveries(clickhouse, max_age_h=24)

    assert deliveries.pending("webhook:a", 2, settled_s=0) == stored[:2]  # the whole alert, zone included
    deliveries.record("webhook:a", stored[0].alert_id)
    deliveries.record("webhook:a", stored[1].alert_id, error="webhook: HTTP 404")
    assert deliveries.pending("webhook:a", 10, settled_s=0) == stored[2:]
    assert deliveries.recorded("webhook:a", [a.alert_id for a in stored]) == {stored[0].alert_id, stored[1].alert_id}
    # Another channel has its own record; a round leaves alone what was stored in the last interval.
    assert deliveries.pending("email", 10, settled_s=0) == stored
    assert deliveries.pending("email", 10, settled_s=60) == []
    assert sorted(clickhouse.rows("SELECT outcome, last_error, delivered_at IS NULL FROM alert_deliveries")) == [
        ("dead_letter", "webhook: HTTP 404", True), ("delivered", "", False),
    ]


def test_alerts_stored_before_the_delivery_records_existed_are_not_resent(tmp_path: Path) -> None:
    clickhouse = ClickHouse(f"chdb://{tmp_path / 'ch'}")
    apply_migrations(clickhouse)
    ClickHouseSink(clickhouse).write(ALERTS, [alert(1000)])
    # As if the table came with an upgrade after this alert was stored (and sent by the old queue).
    clickhouse.command("ALTER TABLE schema_migrations UPDATE applied_at = now64(3) + 1 WHERE name = '004_alert_deliveries.sql'"
                       " SETTINGS mutations_sync = 1")
    assert AlertDeliveries(clickhouse, max_age_h=24).pending("log", 10, settled_s=0) == []
