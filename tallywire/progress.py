"""What each stage has produced and handled, to tell when a pipeline in one process is drained.

The embedded broker reports wrong end offsets, so "drained" cannot come from consumer lag: it is
decided from counts instead. Every topic's consumers are declared; the pipeline is drained when each
consumer has handled as many messages of each topic as were produced to it.
"""

from __future__ import annotations

import threading
from collections import Counter


class Progress:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.produced: Counter[str] = Counter()
        self.handled: Counter[tuple[str, str]] = Counter()
        self.consumers: dict[str, set[str]] = {}
        self.events: Counter[str] = Counter()

    def consumes(self, stage: str, topic: str) -> None:
        with self._lock:
            self.consumers.setdefault(topic, set()).add(stage)

    def note_produced(self, topic: str, count: int = 1) -> None:
        with self._lock:
            self.produced[topic] += count

    def note_handled(self, stage: str, topic: str, count: int = 1) -> None:
        with self._lock:
            self.handled[(stage, topic)] += count

    def note_event(self, event: str, count: int = 1) -> None:
        """Something worth counting that is not a message: a duplicate found, an alert delivered."""
        with self._lock:
            self.events[event] += count

    def counts(self) -> tuple[dict[str, int], dict[tuple[str, str], int], dict[str, int]]:
        with self._lock:
            return dict(self.produced), dict(self.handled), dict(self.events)

    def drained(self) -> bool:
        with self._lock:
            return all(
                self.handled[(stage, topic)] >= self.produced[topic]
                for topic, stages in self.consumers.items()
                for stage in stages
            )

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            shown = {f"produced {t}": n for t, n in self.produced.items()}
            shown.update({f"{s} handled {t}": n for (s, t), n in self.handled.items()})
            return shown
