"""What each stage has produced and handled, to tell when a pipeline in one process is drained.

The embedded broker reports wrong end offsets, so "drained" cannot come from consumer lag: it is
decided from counts instead. Every topic's consumers are declared; the pipeline is drained when each
consumer has handled as many messages of each topic as were produced to it.

The same counts make the progress line ``tallywire run`` prints while it runs (``line``).
"""

from __future__ import annotations

import threading
from collections import Counter

from tallywire.topics import ALERTS, ARTICLES, DEAD_LETTERS, FIGURES

# Events (see ``note_event``) the progress line shows.
FEEDS_POLLED = "feeds_polled"
NEW_ARTICLES = "new_articles"  # raw articles not seen before that the broker accepted (replays are not new)


def stored_event(topic: str) -> str:
    """The event of a record of ``topic`` stored in ClickHouse for the first time (a replay stores none)."""
    return f"stored {topic}"


class Progress:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.produced: Counter[str] = Counter()
        self.handled: Counter[tuple[str, str]] = Counter()
        self.consumers: dict[str, set[str]] = {}
        self.events: Counter[str] = Counter()
        # Raw articles whose first stage is done with them, until the restart point passes them
        # (tallywire.restart): the ids, since counts cannot tell them from those other processes push.
        # Kept only in a process that moves the point on (``track_articles``), else nobody forgets them.
        self.track_articles = False
        self._articles_handled: set[str] = set()

    def consumes(self, stage: str, topic: str) -> None:
        with self._lock:
            self.consumers.setdefault(topic, set()).add(stage)

    def note_produced(self, topic: str, count: int = 1) -> None:
        with self._lock:
            self.produced[topic] += count

    def note_handled(self, stage: str, topic: str, count: int = 1) -> None:
        with self._lock:
            self.handled[(stage, topic)] += count

    def note_article_handled(self, article_id: str) -> None:
        if self.track_articles:
            with self._lock:
                self._articles_handled.add(article_id)

    def handled_and_drained(self, article_ids: set[str]) -> bool:
        """Whether every one of ``article_ids`` is handled and every stage drained, at one moment; if so,
        the ids are forgotten."""
        with self._lock:
            if not (article_ids <= self._articles_handled and self._drained()):
                return False
            self._articles_handled -= article_ids
            return True

    def note_event(self, event: str, count: int = 1) -> None:
        """Something worth counting that is not a message: a duplicate found, an alert delivered."""
        with self._lock:
            self.events[event] += count

    def counts(self) -> tuple[dict[str, int], dict[tuple[str, str], int], dict[str, int]]:
        with self._lock:
            return dict(self.produced), dict(self.handled), dict(self.events)

    def drained(self) -> bool:
        with self._lock:
            return self._drained()

    def _drained(self) -> bool:
        return all(
                self.handled[(stage, topic)] >= self.produced[topic]
                for topic, stages in self.consumers.items()
                for stage in stages
            )

    def lag(self) -> int:
        """Messages produced in this process that a stage of it has still to handle."""
        with self._lock:
            return sum(
                max(0, self.produced[topic] - self.handled[(stage, topic)])
                for topic, stages in self.consumers.items()
                for stage in stages
            )

    def line(self) -> str:
        _, _, events = self.counts()
        stored = {spec: events.get(stored_event(spec.name), 0) for spec in (ARTICLES, FIGURES, ALERTS, DEAD_LETTERS)}
        return (f"{events.get(FEEDS_POLLED, 0)} feeds polled, {events.get(NEW_ARTICLES, 0)} new articles; stored "
                f"{stored[ARTICLES]} articles, {stored[FIGURES]} figures, {stored[ALERTS]} alerts, "
                f"{stored[DEAD_LETTERS]} dead letters; lag {self.lag()}")

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            shown = {f"produced {t}": n for t, n in self.produced.items()}
            shown.update({f"{s} handled {t}": n for (s, t), n in self.handled.items()})
            return shown
