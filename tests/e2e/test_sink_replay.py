"""kill -9 the ClickHouse sink between an insert and its offset commit: the redelivered messages add no row."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from kafka import KafkaProducer

from tallywire.core.errors import INTERRUPTED
from tallywire.core.topics import ARTICLES, Article
from tallywire.testkit.cli_runner import (
    Running, broker_bootstrap, count, kill_hard, lag_rows, start_tallywire, wait_for_queries, wait_until,
)

pytestmark = pytest.mark.e2e

MESSAGES = 3000


def _count_direct(data_dir: Path) -> int:
    """With the sink dead nobody owns chDB: sql opens it directly."""
    os.remove(data_dir / "query-endpoint.json")
    return count(data_dir, "SELECT count() AS n FROM articles")


def _committed(data_dir: Path) -> int:
    return sum(row["committed"] for row in lag_rows(data_dir) if row["group"] == "tallywire-sink" and row["topic"] == ARTICLES.name)



def test_a_sink_killed_before_committing_stores_each_message_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    processing = start_tallywire(data_dir, "run", "--roles", "process")
    sinks: list[Running] = []
    try:
        wait_until(lambda: (data_dir / "broker.json").exists(), 60, "the broker")
        # A long commit interval, so that the kill surely falls between the insert and the commit.
        sinks.append(start_tallywire(data_dir, "worker", "--roles", "sink", TALLYWIRE_COMMIT_INTERVAL_S="60"))
        wait_for_queries(sinks[0], data_dir)
        producer = KafkaProducer(bootstrap_servers=broker_bootstrap(data_dir))
        now = datetime(2024, 11, 7, tzinfo=timezone.utc)
        for n in range(MESSAGES):
            article = Article(article_id=f"a{n:05d}", url=f"u{n}", source=f"outlet-{n % 5}", text="Kein Zahlenwert.",
                              story_id=f"s{n}", event_id=f"e{n}", fetched_at=now, published_at=now)
            producer.send(ARTICLES.name, key=article.article_id.encode(), value=article.to_bytes())
        # Closed now, not left to retry the broker once the test stops it: its failed connects' sockets
        # would be collected, with a ResourceWarning, in whichever test runs next.
        producer.close(timeout=60)

        articles = "SELECT count() AS n FROM articles"
        wait_until(lambda: count(data_dir, articles) > 0, 60, "the first insert")
        kill_hard(sinks[0])
        stored = _count_direct(data_dir)
        # Proof that the kill fell between insert and commit: more rows stored than offsets committed,
        # so the restarted sink is handed those messages again.
        assert _committed(data_dir) < stored, "the kill came after the commit; nothing will be redelivered"
        sinks.append(start_tallywire(data_dir, "worker", "--roles", "sink"))
        wait_for_queries(sinks[1], data_dir)
        wait_until(lambda: count(data_dir, articles) >= MESSAGES, 120, f"{MESSAGES} articles")
        time.sleep(3)  # redelivered messages still in flight would show up now
        assert count(data_dir, articles) == MESSAGES
        assert count(data_dir, "SELECT count() AS n FROM (SELECT article_id FROM articles GROUP BY article_id HAVING count() > 1)") == 0
        assert count(data_dir, "SELECT sum(articles) AS n FROM story_sizes") == MESSAGES
        # The sink's lag is visible, and it has now committed everything.
        wait_until(lambda: _committed(data_dir) >= MESSAGES, 30, "the commit")
    finally:
        for sink in sinks:
            sink.stop()
        assert processing.stop() == INTERRUPTED, processing.output
