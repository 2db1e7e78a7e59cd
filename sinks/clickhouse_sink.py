"""Write topic records into ClickHouse tables, each id once.

A batch may be a replay (a worker restarted before committing its offsets): the sink inserts only
the ids not stored yet, so ClickHouse holds every record exactly once and plain ``count()`` is
right. The tables are ReplacingMergeTree by id as well, for the case of two sinks racing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from tallywire.core.alert_rules import same_value
from sinks.clickhouse_client import ClickHouse
from tallywire.core.topics import (
    ALERTS, ARTICLES, DEAD_LETTERS, FIGURES, Alert, DeadLetter, Figure, TopicRecord, TopicSpec, stable_id,
)

log = logging.getLogger(__name__)

PAYLOAD_EXCERPT_BYTES = 2048


@dataclass(frozen=True)
class TableMapping:
    table: str
    id_column: str
    columns: tuple[str, ...]
    row: Callable[[Any], dict[str, Any]]


def _fields(record: TopicRecord) -> dict[str, Any]:
    return record.model_dump()


def _alert_row(alert: Any) -> dict[str, Any]:
    row = _fields(alert)
    row["published_at"] = alert.published_at or alert.created_at
    # Revisions of one alert are rows of their own; the same revision replayed is not.
    row["record_id"] = stable_id(alert.alert_id, alert.revision, alert.kind, alert.figure_id, alert.previous_value)
    return row


def _dead_letter_row(letter: DeadLetter) -> dict[str, Any]:
    payload = letter.payload
    return {
        "letter_id": dead_letter_id(letter),
        "stage": letter.stage,
        "reason": letter.reason,
        "topic": letter.topic,
        "url": letter.url,
        "payload_excerpt": payload[:PAYLOAD_EXCERPT_BYTES].decode("utf-8", errors="replace"),
        "payload_bytes": letter.payload_bytes or len(payload),
        "at": letter.at,
    }


def dead_letter_id(letter: DeadLetter) -> str:
    # The time is left out: the same bad message replayed is one dead letter.
    return stable_id(letter.stage, letter.topic, letter.reason, letter.url, letter.payload_b64)


_ARTICLE_COLUMNS = (
    "article_id", "url", "source", "title", "author", "text", "lang", "duplicate_of", "story_id", "event_id",
    "story_similarity", "event_similarity", "grouping_params", "published_at", "published_source",
    "fetched_at", "partial",
)
_FIGURE_COLUMNS = (
    "figure_id", "article_id", "story_id", "event_id", "source", "url", "title", "published_at", "value",
    "value_low", "value_high", "qualifier", "status", "category", "counted", "force", "location", "attribution",
    "sentence", "span_start", "span_end", "mentions", "confidence", "lang", "extractor_version",
)
ALERT_COLUMNS = (
    "alert_id", "kind", "revision", "record_id", "category", "force", "location", "value", "qualifier", "status",
    "previous_value", "change", "figure_id", "article_id", "story_id", "title", "url", "source", "published_at", "attribution", "sentence",
    "outlets", "created_at",
)
_DEAD_LETTER_COLUMNS = ("letter_id", "stage", "reason", "topic", "url", "payload_excerpt", "payload_bytes", "at")

TABLES: dict[str, TableMapping] = {
    ARTICLES.name: TableMapping("articles", "article_id", _ARTICLE_COLUMNS, _fields),
    FIGURES.name: TableMapping("figures", "figure_id", _FIGURE_COLUMNS, _fields),
    ALERTS.name: TableMapping("alerts", "record_id", ALERT_COLUMNS, _alert_row),
    DEAD_LETTERS.name: TableMapping("dead_letters", "letter_id", _DEAD_LETTER_COLUMNS, _dead_letter_row),
}


class ClickHouseSink:
    def __init__(self, clickhouse: ClickHouse, alert_tolerance: float = 0.0) -> None:
        self.clickhouse = clickhouse
        self.alert_tolerance = alert_tolerance

    def write(self, spec: TopicSpec, records: Sequence[TopicRecord]) -> list[TopicRecord]:
        """Insert the records whose ids are not stored yet; returns those (the new ones), in order."""
        mapping = TABLES[spec.name]
        if spec is ALERTS:
            records = self._as_remembered(cast("Sequence[Alert]", records))  # the alerts topic holds alerts
        rows = [mapping.row(record) for record in records]
        by_id: dict[str, tuple[TopicRecord, dict[str, Any]]] = {}
        for record, row in zip(records, rows):
            by_id.setdefault(row[mapping.id_column], (record, row))
        if not by_id:
            return []
        stored = {
            found
            for (found,) in self.clickhouse.rows(
                f"SELECT {mapping.id_column} FROM {mapping.table} WHERE {mapping.id_column} IN %(ids)s",
                {"ids": list(by_id)},
            )
        }
        new = [(record, row) for key, (record, row) in by_id.items() if key not in stored]
        if new:
            self.clickhouse.insert(mapping.table, [[row[c] for c in mapping.columns] for _, row in new], mapping.columns)
        log.debug("%s: %d records, %d new", mapping.table, len(records), len(new))
        return [record for record, _ in new]

    def _as_remembered(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Alerts as ClickHouse remembers their series: a new alert id whose series and status hold an
        alert of that value already is left out, and an alert id sent once stays an alert.

        An agent that lost its state (the embedded broker's memory store, rebuilt by a journal replay)
        meets a series' figures anew; in another order it would alert on 12,700 when 12,500 was alerted,
        or call 12,500 a back-fill. ClickHouse, not the agent, remembers that, so the replay changes neither."""
        if not alerts:
            return []
        alerted = dict(self.clickhouse.rows(
            "SELECT alert_id, max(kind = 'alert') FROM alerts WHERE alert_id IN %(ids)s GROUP BY alert_id",
            {"ids": sorted({a.alert_id for a in alerts})}))
        fresh = [a for a in alerts if a.kind == "alert" and a.alert_id not in alerted]
        values: dict[tuple[str, str], list[float]] = {}
        if fresh:
            for key, status, value in self.clickhouse.rows(
                "SELECT concat(category, '/', force, '/', location) AS key, status, value FROM alert_chain "
                "WHERE key IN %(keys)s", {"keys": sorted({f"{a.category}/{a.force}/{a.location}" for a in fresh})}):
                values.setdefault((key, status), []).append(value)
        kept = []
        for alert in alerts:
            known = values.get((f"{alert.category}/{alert.force}/{alert.location}", alert.status), [])
            if alert in fresh and any(same_value(alert.value, value, self.alert_tolerance) for value in known):
                continue
            kept.append(alert.model_copy(update={"kind": "alert"}) if alert.kind == "backfill" and alerted.get(alert.alert_id)
                        else alert)
        if len(kept) < len(alerts):
            log.info("%d replayed alerts of values already alerted left out", len(alerts) - len(kept))
        return kept


def stored_alert_ids(clickhouse: ClickHouse, alerts: Sequence[Alert]) -> set[str]:
    """Which of the alerts' ids ClickHouse holds already, in any revision."""
    return {found for (found,) in clickhouse.rows(
        "SELECT DISTINCT alert_id FROM alerts WHERE alert_id IN %(ids)s", {"ids": sorted({a.alert_id for a in alerts})})}


def with_story_outlets(clickhouse: ClickHouse, alerts: Sequence[Alert]) -> list[Alert]:
    """Each alert with the number of outlets whose articles of its story ClickHouse holds so far."""
    stories = sorted({alert.story_id for alert in alerts})
    if not stories:
        return []
    outlets = dict(
        clickhouse.rows(
            "SELECT story_id, uniqExact(source) FROM articles FINAL WHERE story_id IN %(stories)s GROUP BY story_id",
            {"stories": stories},
        )
    )
    return [alert.model_copy(update={"outlets": max(1, int(outlets.get(alert.story_id, 1)))}) for alert in alerts]


def alerted_figures(clickhouse: ClickHouse) -> list[Figure]:
    """The figure of every stored alert, in the order the alerts were raised (tallywire.app.restart)."""
    columns = ", ".join(f"f.{column} AS {column}" for column in _FIGURE_COLUMNS)
    rows = clickhouse.rows(
        f"SELECT {columns} FROM figures AS f"
        " INNER JOIN (SELECT figure_id, min(created_at) AS raised FROM alerts GROUP BY figure_id) AS a"
        " ON f.figure_id = a.figure_id ORDER BY a.raised, f.figure_id LIMIT 1 BY f.figure_id"
    )
    return [Figure(**dict(zip(_FIGURE_COLUMNS, row))) for row in rows]
