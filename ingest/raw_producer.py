"""Push raw articles onto the raw-articles topic with kafka-python (idempotent producer, acks=all).

An article enters the journal only once the broker has acknowledged it, so a crash before the ack
re-pushes it on the next start (at least once), and the stages downstream are idempotent by id.
"""

from __future__ import annotations

import logging

from kafka import KafkaProducer
from kafka.errors import KafkaError

from ingest.article_journal import ArticleJournal
from ingest.article_size import SizeLimits
from tallywire.core.errors import BrokerError
from tallywire.core.progress import NEW_ARTICLES, Progress
from tallywire.core.topics import DEAD_LETTERS, RAW_ARTICLES, DeadLetter, RawArticle

log = logging.getLogger(__name__)


class RawArticleOutlet:
    """Where ingest delivers: ``seen``, ``publish`` and ``dead_letter``; ``flush`` waits for acks."""

    def __init__(self, bootstrap: str, journal: ArticleJournal, progress: Progress | None = None,
                 limits: SizeLimits | None = None) -> None:
        self.journal = journal
        self.limits = limits or SizeLimits.from_settings()
        self.progress = progress or Progress()
        self.failed = 0
        try:
            self._producer = KafkaProducer(
                bootstrap_servers=bootstrap,
                enable_idempotence=True,
                acks="all",
                linger_ms=5,
                max_request_size=4 * 1024 * 1024,
            )
        except KafkaError as exc:
            raise BrokerError(f"cannot reach Kafka at {bootstrap}: {exc}", hint="check TALLYWIRE_KAFKA_BOOTSTRAP") from exc

    def seen(self, article_id: str) -> bool:
        return self.journal.seen(article_id)

    def publish(self, raw: RawArticle, wait: bool = False) -> None:
        """Send ``raw``; ``TooLarge`` when its record exceeds the message limit, which the producer would
        fail on: the caller dead-letters it and goes on. ``wait``: return once Kafka acknowledged it and
        the journal holds it (``flush``)."""
        value = raw.to_bytes()
        self.limits.check("raw article record", len(value))
        self._send(RAW_ARTICLES.name, raw.article_id, value).add_callback(self._accepted, raw)
        if wait:
            self.flush()

    def _accepted(self, raw: RawArticle, _metadata: object) -> None:
        if self.journal.append(raw):
            self.progress.note_event(NEW_ARTICLES)

    def replay_journal(self, start: int = 0) -> int:
        """Push the journaled articles from offset ``start`` on again: the embedded broker lost them when it
        stopped."""
        count = 0
        for raw in self.journal.replay(start):
            self._send(RAW_ARTICLES.name, raw.article_id, raw.to_bytes())
            count += 1
        return count

    def dead_letter(self, letter: DeadLetter) -> None:
        log.warning("dead letter from %s: %s %s", letter.stage, letter.reason, letter.url)
        self._send(DEAD_LETTERS.name, letter.stage, letter.to_bytes())

    def _send(self, topic: str, key: str, value: bytes):  # noqa: ANN202 - kafka-python's future type
        try:
            future = self._producer.send(topic, key=key.encode("utf-8"), value=value)
        except KafkaError as exc:  # no metadata in time, a closed producer: the broker's trouble, not the article's
            raise BrokerError(f"cannot push to {topic}: {exc}", hint="check TALLYWIRE_KAFKA_BOOTSTRAP") from exc
        self.progress.note_produced(topic)
        future.add_errback(self._on_error, topic, key)
        return future

    def _on_error(self, exc: Exception, topic: str, key: str) -> None:
        self.failed += 1
        log.error("could not push %s to %s: %s", key, topic, exc)

    def flush(self, timeout_s: float = 60.0) -> None:
        self._producer.flush(timeout=timeout_s)
        if self.failed:
            raise BrokerError(f"{self.failed} messages were not acknowledged by Kafka", hint="see the log above")

    def close(self) -> None:
        self._producer.close(timeout=10)
        self.journal.close()
