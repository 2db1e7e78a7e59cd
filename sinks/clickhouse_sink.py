"""Write topic records into ClickHouse tables, each id once.

A batch may be a replay (a worker restarted before committing its offsets): the sink inserts only
the ids not stored yet, so ClickHouse holds every record exactly once and plain ``count()`` is
right. The tables are ReplacingMergeTree by id as well, for the case of two sinks racing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sinks.clickhouse_client import ClickHouse
from tallywire.topics import (
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


def _article_row(article: Any) -> dict[str, Any]:
    row = _fields(article)
    row["published_at"] = article.published_at or article.fetched_at
    return row


def _alert_row(alert: Any) -> dict[str, Any]:
    row = _fields(alert)
    row["published_at"] = alert.published_at or alert.created_at
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
    "story_similarity", "event_similarity", "grouping_params", "published_at", "fetched_at",
)
_FIGURE_COLUMNS = (
    "figure_id", "article_id", "story_id", "event_id", "source", "url", "title", "published_at", "value",
    "value_low", "value_high", "qualifier", "status", "category", "counted", "force", "location", "attribution",
    "sentence", "span_start", "span_end", "mentions", "confidence", "lang", "extractor_version",
)
ALERT_COLUMNS = (
    "alert_id", "category", "force", "location", "value", "qualifier", "status", "previous_value", "change",
    "figure_id", "article_id", "story_id", "title", "url", "source", "published_at", "attribution", "sentence",
    "outlets", "created_at",
)
_DEAD_LETTER_COLUMNS = ("letter_id", "stage", "reason", "topic", "url", "payload_excerpt", "payload_bytes", "at")

TABLES: dict[str, TableMapping] = {
    ARTICLES.name: TableMapping("articles", "article_id", _ARTICLE_COLUMNS, _article_row),
    FIGURES.name: TableMapping("figures", "figure_id", _FIGURE_COLUMNS, _fields),
    ALERTS.name: TableMapping("alerts", "alert_id", ALERT_COLUMNS, _alert_row),
    DEAD_LETTERS.name: TableMapping("dead_letters", "letter_id", _DEAD_LETTER_COLUMNS, _dead_letter_row),
}


class ClickHouseSink:
    def __init__(self, clickhouse: ClickHouse) -> None:
        self.clickhouse = clickhouse

    def write(self, spec: TopicSpec, records: Sequence[TopicRecord]) -> list[TopicRecord]:
        """Insert the records whose ids are not stored yet; returns those (the new ones), in order."""
        mapping = TABLES[spec.name]
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
    """The figure of every stored alert, in the order the alerts were raised (tallywire.restart)."""
    columns = ", ".join(f"f.{column} AS {column}" for column in _FIGURE_COLUMNS)
    rows = clickhouse.rows(
        f"SELECT {columns} FROM figures AS f"
        " INNER JOIN (SELECT figure_id, min(created_at) AS raised FROM alerts GROUP BY figure_id) AS a"
        " ON f.figure_id = a.figure_id ORDER BY a.raised, f.figure_id LIMIT 1 BY f.figure_id"
    )
    return [Figure(**dict(zip(_FIGURE_COLUMNS, row))) for row in rows]
