-- One row per alert and channel once the channel has an outcome: the sink sends an alert only while it
-- has no row here (the anti-join in sinks/alert_deliveries.py), so a crash between the alert's insert
-- and its delivery is repaired on the next start, and a delivered alert is not sent again.
-- outcome 'delivered': the channel confirmed it (webhook 2xx, SMTP accepted), at delivered_at.
-- outcome 'dead_letter': the channel gave up after its retries (last_error says why); it is not retried.
-- Alerts stored before this table existed went out through the old in-memory queue and are not resent
-- (the sink reads this migration's applied_at).

CREATE TABLE IF NOT EXISTS alert_deliveries
(
    alert_id      String,
    channel       LowCardinality(String),
    outcome       LowCardinality(String),
    last_error    String,
    delivered_at  Nullable(DateTime64(3, 'UTC')),
    recorded_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(recorded_at)
ORDER BY (channel, alert_id);
