"""What each stage has produced and handled, to tell when a pipeline in one process is drained.

The embedded broker reports wrong end offsets, so "drained" cannot come from consumer lag: it is
decided from counts instead. Every topic's consumers are declared; the pipeline is drained when each
consumer has handled as many messages of each topic as were produced to it.

The same counts make the progress line ``tallywire run`` prints while it runs (``line``, ``ProgressMeter``).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable

from tallywire.core.topics import ALERTS, ARTICLES, DEAD_LETTERS, FIGURES

# Events (see ``note_event``) the progress line shows.
FEEDS_POLLED = "feeds_polled"
NEW_ARTICLES = "new_articles"  # raw articles not seen before that the broker accepted (replays are not new)
# The poller's count of feed entries read and of their fates besides a new article (ingest.feed_poller.PollSummary).
FEED_ENTRIES = "feed_entries"
DUPLICATE_ENTRIES = "duplicate_entries"
DEAD_ENTRIES = "dead_entries"


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
        self.hosts: Counter[tuple[str, str]] = Counter()  # (host, fate) of the feed entries fetched from it
        # Raw articles whose first stage is done with them, until the restart point passes them
        # (tallywire.app.restart): the ids, since counts cannot tell them from those other processes push.
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

    def note_host(self, host: str, fate: str) -> None:
        """A feed entry fetched from ``host`` ended as ``fate`` (stored, partial, duplicate, dead_letter, retry)."""
        with self._lock:
            self.hosts[(host, fate)] += 1

    def host_counts(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self.hosts)

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

    def work(self) -> tuple[int, int]:
        """(handled, to handle): the messages this process's stages handled, and all they have been given
        so far (each message once per stage that consumes its topic)."""
        with self._lock:
            pairs = [(stage, topic) for topic, stages in self.consumers.items() for stage in stages]
            return (sum(min(self.handled[pair], self.produced[pair[1]]) for pair in pairs),
                    sum(self.produced[topic] for _, topic in pairs))

    def line(self, articles_per_s: float | None = None) -> str:
        _, _, events = self.counts()
        stored = {spec: events.get(stored_event(spec.name), 0) for spec in (ARTICLES, FIGURES, ALERTS, DEAD_LETTERS)}
        rate = "" if articles_per_s is None else f" ({articles_per_s:.1f}/s)"
        return (f"{events.get(FEEDS_POLLED, 0)} feeds polled, {events.get(NEW_ARTICLES, 0)} new articles "
                f"({events.get(FEED_ENTRIES, 0)} entries: {events.get(DUPLICATE_ENTRIES, 0)} duplicates, "
                f"{events.get(DEAD_ENTRIES, 0)} dead letters); stored "
                f"{stored[ARTICLES]} articles{rate}, {stored[FIGURES]} figures, {stored[ALERTS]} alerts, "
                f"{stored[DEAD_LETTERS]} dead letters; lag {self.lag()}")


class ProgressMeter:
    """The progress line as it changes: ``Progress.line`` with the rate of stored articles since the last
    reading and, where no more input is coming (``bounded``), a bar of the work handled with its ETA."""

    BAR_WIDTH = 20

    def __init__(self, progress: Progress, bounded: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self.progress = progress
        self.bounded = bounded
        self._clock = clock
        self._last = (clock(), 0, 0)  # (when, stored articles, handled messages)

    def reading(self) -> tuple[str, str]:
        """(the counts with the rate, the bar with its percentage and ETA or "" where there is none)."""
        now, (done, total) = self._clock(), self.progress.work()
        stored = self.progress.counts()[2].get(stored_event(ARTICLES.name), 0)
        then, stored_then, done_then = self._last
        self._last = (now, stored, done)
        elapsed = max(now - then, 1e-9)
        line = self.progress.line((stored - stored_then) / elapsed)
        if not self.bounded or not total:
            return line, ""
        # Of the work known so far: a stage's output adds work for the next, so the share can fall back.
        filled = round(self.BAR_WIDTH * done / total)
        speed = (done - done_then) / elapsed
        eta = "done" if done >= total else f"ETA {(total - done) / speed:.0f}s" if speed > 0 else "ETA ?"
        return line, f"[{'#' * filled}{'-' * (self.BAR_WIDTH - filled)}] {done * 100 // total}% {eta}"
