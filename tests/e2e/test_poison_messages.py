"""Poison messages on every topic end as dead letters with their reason; the agents keep running."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from kafka import KafkaProducer

from tallywire.core.errors import INTERRUPTED
from tallywire.core.topics import (
    ALERTS,
    ALL_TOPICS,
    ARTICLE_FEATURES,
    ARTICLES,
    DEAD_LETTERS,
    FIGURES,
    RAW_ARTICLES,
    ArticleWithFeatures,
    Figure,
    TopicSpec,
    utcnow,
)
from tallywire.testkit.cli_runner import sql_rows, start_tallywire, wait_for_queries, wait_until

pytestmark = pytest.mark.e2e

CONSUMERS = {
    RAW_ARTICLES.name: {"story-features"},
    ARTICLE_FEATURES.name: {"stories"},
    ARTICLES.name: {"figures", "sink"},
    FIGURES.name: {"alerts", "sink"},
    ALERTS.name: {"sink"},
    DEAD_LETTERS.name: {"sink"},
}


def poisons(spec: TopicSpec) -> dict[str, bytes]:
    return {
        "not-json": b"\x00\xffnot json at all",
        "wrong-version": json.dumps({"schema_version": 99}).encode(),
        "missing-fields": json.dumps({"schema_version": spec.record.SCHEMA_VERSION}).encode(),
        "five-megabytes": b'{"schema_version": 1, "text": "' + b"x" * (5 * 1024 * 1024) + b'"}',
    }


def test_every_poison_message_becomes_a_dead_letter(tmp_path: Path) -> None:
    running = start_tallywire(tmp_path, "run", "--seeds", "seeds/")
    try:
        wait_for_queries(running, tmp_path)
        bootstrap = json.loads((tmp_path / "broker.json").read_text())["bootstrap"]
        producer = KafkaProducer(bootstrap_servers=bootstrap, max_request_size=8 * 1024 * 1024)
        for spec in ALL_TOPICS:
            for name, payload in poisons(spec).items():
                producer.send(spec.name, key=name.encode(), value=payload)
        # A well-formed record whose features are not: refused by the grouping stage, not crashed on.
        producer.send(ARTICLE_FEATURES.name, key=b"bad-features", value=ArticleWithFeatures(
            article_id="bad", url="x", source="x", text="x", fetched_at=utcnow(), features_b64="AAAA").to_bytes())
        # A well-formed figure the sink cannot write (no publication time for its time series): the sink
        # raises on it, keeps it as a dead letter and stores what comes after it.
        producer.send(FIGURES.name, key=b"no-time", value=Figure(
            figure_id="no-time", article_id="a", story_id="s", value=1, value_low=1, value_high=1).to_bytes())
        producer.flush(timeout=30)
        producer.close()
        # Every stage that reads a topic refuses its poison on its own: one dead letter per stage.
        expected = sum(len(stages) for stages in CONSUMERS.values()) * len(poisons(RAW_ARTICLES)) + 2

        def letters() -> list[dict]:
            return sql_rows(tmp_path, "SELECT stage, topic, reason, payload_bytes FROM dead_letters")

        wait_until(lambda: len(letters()) >= expected, 90, f"{expected} dead letters")
        time.sleep(2)
        rows = letters()
        assert len(rows) == expected
        unreadable = [row for row in rows if row["reason"].startswith("unreadable features")]
        assert [row["stage"] for row in unreadable] == ["stories"]
        unwritable = [row for row in rows if row["reason"].startswith("sink raised")]
        assert [(row["stage"], row["topic"]) for row in unwritable] == [("sink", FIGURES.name)], unwritable
        by_reader: dict[tuple[str, str], list[dict]] = {}
        for row in rows:
            if row in unreadable or row in unwritable:
                continue
            by_reader.setdefault((row["topic"], row["stage"]), []).append(row)
        assert set(by_reader) == {(topic, stage) for topic, stages in CONSUMERS.items() for stage in stages}
        for reader, found in by_reader.items():
            reasons = " | ".join(row["reason"] for row in found)
            for expected_reason in ("not UTF-8 JSON", "schema_version 99", "Field required", "exceeds"):
                assert expected_reason in reasons, (reader, reasons)
            assert max(int(row["payload_bytes"]) for row in found) > 5 * 1024 * 1024, reader
        # The agents kept running: the seeds still went all the way through.
        assert [int(r["n"]) for r in sql_rows(tmp_path, "SELECT count() AS n FROM articles")] == [5]
    finally:
        code = running.stop()
    assert code == INTERRUPTED, running.output
