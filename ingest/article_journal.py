"""Every raw article tallywire has accepted, kept in the data directory (JSON lines, append-only).

It is the seen-state (an article already in it is not pushed again, across restarts) and the way the
memory-only embedded broker gets its history back: on start, tallywire replays the journal into it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from tallywire.topics import PoisonMessage, RawArticle

log = logging.getLogger(__name__)


class ArticleJournal:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._ids: set[str] = set()
        path.parent.mkdir(parents=True, exist_ok=True)
        for raw in self.replay():
            self._ids.add(raw.article_id)

    def __len__(self) -> int:
        return len(self._ids)

    def seen(self, article_id: str) -> bool:
        return article_id in self._ids

    def append(self, raw: RawArticle) -> bool:
        """Record ``raw``; False when its id is already recorded."""
        with self._lock:
            if raw.article_id in self._ids:
                return False
            with self.path.open("ab") as out:
                out.write(raw.to_bytes() + b"\n")
            self._ids.add(raw.article_id)
            return True

    def replay(self) -> Iterator[RawArticle]:
        if not self.path.exists():
            return
        with self.path.open("rb") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    yield RawArticle.decode(line.rstrip(b"\n"))
                except PoisonMessage as exc:
                    # A torn last line after a crash: the article was never acknowledged, so skip it.
                    log.warning("journal %s line %d skipped: %s", self.path, number, exc.reason)
