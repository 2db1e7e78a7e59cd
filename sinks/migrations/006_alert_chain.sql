-- Alerts follow publication order (processors/alert_series.py): an alert id gets another row, with a
-- higher revision, when an earlier-published report changes its previous value or takes it over. kind
-- says whether it went to the channels ('alert'), was recorded late and sent nowhere ('backfill') or
-- turned out to repeat an earlier report ('superseded'). record_id names one revision's content: the
-- sink stores each once, so a replay adds no row. Rows stored before this migration are revision 0.
ALTER TABLE alerts
    ADD COLUMN IF NOT EXISTS kind LowCardinality(String) DEFAULT 'alert' AFTER alert_id,
    ADD COLUMN IF NOT EXISTS revision UInt32 AFTER kind,
    ADD COLUMN IF NOT EXISTS record_id String DEFAULT alert_id AFTER revision,
    MODIFY ORDER BY (category, force, location, alert_id, revision);

-- The chain as the figures known so far place it: each alert id once, at its highest revision, without
-- the superseded ones. Read alerts here, not in the table.
CREATE VIEW IF NOT EXISTS alert_chain AS
SELECT *
FROM (SELECT * FROM alerts FINAL ORDER BY revision DESC, ingested_at DESC LIMIT 1 BY alert_id)
WHERE kind != 'superseded';
