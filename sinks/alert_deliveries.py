"""The durable record of which alert went out on which channel: the ``alert_deliveries`` table.

The alert dispatcher asks it what is stored but has no outcome on a channel yet (an anti-join of
``alerts`` and ``alert_deliveries``) and writes an outcome once the channel has one. A crash between
an alert's insert and its delivery therefore leaves the alert pending, and the next start sends it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ALERT_COLUMNS
from tallywire.core.topics import Alert

MIGRATION = "004_alert_deliveries.sql"
DELIVERED, DEAD_LETTER = "delivered", "dead_letter"

_PENDING = f"""
SELECT {", ".join(ALERT_COLUMNS)}
FROM alert_chain
WHERE kind = 'alert'
  AND ingested_at >= greatest(
        (SELECT min(applied_at) FROM schema_migrations WHERE name = %(migration)s),
        now64(3) - toIntervalSecond(%(max_age_s)s))
  AND ingested_at <= now64(3) - toIntervalMillisecond(%(settled_ms)s)
  AND alert_id NOT IN (SELECT alert_id FROM alert_deliveries WHERE channel = %(channel)s)
ORDER BY ingested_at, alert_id
LIMIT %(limit)s
"""


def _utc(value: object) -> object:
    """chDB hands back UTC times without their zone; the payload of a resent alert keeps the zone of
    the first one."""
    return value.replace(tzinfo=timezone.utc) if isinstance(value, datetime) and value.tzinfo is None else value


class AlertDeliveries:
    def __init__(self, clickhouse: ClickHouse, max_age_h: float) -> None:
        self.clickhouse = clickhouse
        self.max_age_s = int(max_age_h * 3600)

    def pending(self, channel: str, limit: int, settled_s: float) -> list[Alert]:
        """Alerts stored at least ``settled_s`` ago, within the max age, with no outcome on ``channel``:
        oldest first, at most ``limit``. Those stored before delivery records existed are left out."""
        rows = self.clickhouse.rows(_PENDING, {
            "migration": MIGRATION, "max_age_s": self.max_age_s, "settled_ms": int(settled_s * 1000),
            "channel": channel, "limit": limit,
        })
        return [Alert.model_validate(dict(zip(ALERT_COLUMNS, map(_utc, row)))) for row in rows]

    def recorded(self, channel: str, alert_ids: Sequence[str]) -> set[str]:
        """Which of ``alert_ids`` already have an outcome on ``channel``."""
        return {found for (found,) in self.clickhouse.rows(
            "SELECT alert_id FROM alert_deliveries WHERE channel = %(channel)s AND alert_id IN %(ids)s",
            {"channel": channel, "ids": list(alert_ids)},
        )}

    def record(self, channel: str, alert_id: str, error: str = "") -> None:
        """The channel's outcome: delivered now, or (with ``error``) given up as a dead letter."""
        delivered_at = None if error else datetime.now(timezone.utc)
        self.clickhouse.insert(
            "alert_deliveries",
            [(alert_id, channel, DEAD_LETTER if error else DELIVERED, error, delivered_at)],
            ("alert_id", "channel", "outcome", "last_error", "delivered_at"),
        )
