"""Where a restart of the embedded pipeline begins, and the state it gets back without a full replay.

The embedded broker forgets everything when it stops, and tallywire used to replay its whole journal
into the fresh one: at 15-20 articles/s, hours for a journal of 100,000. Now a restart replays only the
records after the restart point, the journal offset before which every article was wholly handled
(grouped, its figures extracted and judged for alerts, everything stored). What the skipped articles
left behind is durable elsewhere: their rows in ClickHouse, the grouping's records of the window in the
data directory (``processors.stories_agent``), the feeds' state in ``feed-state.json``. The one piece
kept only in a broker's changelog is the alerts stage's table of alerted values: the figures that
raised the alerts ClickHouse holds are sent through that stage again, in the order they alerted,
which rebuilds the table (their alerts are stored already, so nothing is sent twice).

The point moves on only in a process that runs every stage and sees every raw article (``run`` with
both roles and no other worker: ``HandledWatch``); any other layout replays the journal from the start,
as before. It names the journal file by its inode: a compaction that replaced the file before the point
was saved leaves a point that matches no file, and the whole journal is replayed.
"""

from __future__ import annotations

import json
from pathlib import Path
import logging
import os
from dataclasses import dataclass
from datetime import timedelta

from kafka import KafkaProducer

from ingest.article_journal import ArticleJournal
from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import alerted_figures
from tallywire.core.private_files import write_private
from tallywire.core.progress import Progress
from tallywire.core.settings import Settings
from tallywire.core.topics import FIGURES, utcnow

log = logging.getLogger(__name__)


@dataclass
class RestartPoint:
    journal: ArticleJournal

    @property
    def path(self) -> Path:
        return self.journal.path.with_name("handled.json")

    def load(self) -> int:
        try:
            saved = json.loads(open(self.path, "rb").read())
        except (OSError, ValueError):
            return 0
        if saved.get("inode") != os.stat(self.journal.path).st_ino or saved.get("offset", 0) > self.journal.end():
            log.warning("the restart point %s is not this journal's: the whole journal is replayed", self.path)
            return 0
        return int(saved["offset"])

    def save(self, offset: int) -> None:
        inode = os.stat(self.journal.path).st_ino
        write_private(self.path, json.dumps({"offset": offset, "inode": inode}).encode())


@dataclass(frozen=True)
class Resume:
    start: int  # the journal offset this start replays from
    skipped: bool  # whether records before the restart point are left out (or were compacted away)


def resume(settings: Settings, journal: ArticleJournal, tracked: bool) -> Resume:
    """Where this start replays the journal from; compacts what lies before it (before the broker starts,
    while no other process can append). ``tracked``: this process moves the point on."""
    if not tracked:
        return Resume(0, skipped=False)
    point = RestartPoint(journal)
    start = point.load()
    if start:
        compacted = journal.compact(start, utcnow() - timedelta(days=settings.journal_retention_days))
        if compacted != start:
            point.save(compacted)
            start = compacted
    return Resume(start, skipped=start > 0 or journal.seen_path.exists())


def restore_alerted_values(settings: Settings, bootstrap: str, progress: Progress) -> int:
    """Send the figures of every stored alert to the alerts stage again, oldest alert first (see the
    module's docstring); returns how many."""
    clickhouse = ClickHouse(settings.resolved_clickhouse_dsn, settings.clickhouse_password_value)
    try:
        figures = alerted_figures(clickhouse)
    finally:
        clickhouse.close()
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", max_request_size=4 * 1024 * 1024)
    try:
        for figure in figures:
            producer.send(FIGURES.name, key=figure.key.encode("utf-8"), value=figure.to_bytes())
        producer.flush(timeout=60)
    finally:
        producer.close(timeout=10)
    progress.note_produced(FIGURES.name, len(figures))
    return len(figures)


class HandledWatch:
    """Moves the restart point on to the journal's end whenever every record up to it is handled: each
    of its articles done with by the first stage here, and every stage of this process drained (so
    what they produced from them, figures, alerts and rows, is handled and stored too)."""

    def __init__(self, journal: ArticleJournal, start: int, progress: Progress) -> None:
        self.journal = journal
        self.point = RestartPoint(journal)
        self.progress = progress
        progress.track_articles = True
        self._scanned = self._saved = start
        self._moved = False
        self._pending: set[str] = set()  # ids of the records between the point and _scanned

    def caught_up(self) -> bool:
        """Whether this run has moved the point, it stands at the journal's end and nothing is in flight."""
        return self._moved and self._saved == self.journal.end() and self.progress.drained()

    def check(self) -> None:
        end = self.journal.end()
        self._pending.update(self.journal.ids(self._scanned, end))
        self._scanned = end
        if self._pending and self.progress.handled_and_drained(self._pending):
            self.point.save(end)
            self._saved = end
            self._moved = True
            self._pending.clear()
