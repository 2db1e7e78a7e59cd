"""Every raw article tallywire has accepted, kept in the data directory (one framed record a line, append-only).

It is the seen-state (an article already in it is not pushed again, across restarts) and the way the
memory-only embedded broker gets its history back: on start, tallywire replays the journal into it.

A record is ``<length> <crc32 hex> <RawArticle JSON>\\n``: a crash mid-write leaves a record whose
length or checksum does not match, and it is told apart from a whole one. Lines that start with ``{``
are the bare JSON lines journals were written in before; they are still read.

Several processes append (``run``, ``ingest``, ``poll``): each append, and each repair, holds an
exclusive ``flock`` on the journal, so a reader under the lock sees only whole records, and a torn
tail is always a crashed writer's.

A record the pipeline has wholly handled (``tallywire.app.restart``) is needed again only to be told apart
from a new article, so ``compact`` moves the ids of those older than the retention to ``seen-ids`` (one
id a line) and drops their records: the journal holds what is not handled yet and the retention's days.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from tallywire.core.private_files import open_private, private_dir, write_all, write_private
from tallywire.core.topics import PoisonMessage, RawArticle

log = logging.getLogger(__name__)

ID_KEY = b'"article_id":"'
# How much of the end the tail repair reads first; it reads further back until it finds a whole record.
TAIL_WINDOW_BYTES = 64 * 1024


class CorruptRecord(ValueError):
    """A journal line that is not a whole record: torn by a crash, or damaged."""


def frame(raw: RawArticle) -> bytes:
    payload = raw.to_bytes()
    return b"%d %08x %s\n" % (len(payload), zlib.crc32(payload), payload)


def unframe_line(line: bytes) -> bytes:
    """The payload of one journal line (without its newline); CorruptRecord if it is not whole."""
    if line.startswith(b"{"):
        return line  # the bare JSON line of the format before framing
    try:
        length, checksum, payload = line.split(b" ", 2)
        whole = int(length) == len(payload) and int(checksum, 16) == zlib.crc32(payload)
    except ValueError:
        whole = False
    if not whole:
        raise CorruptRecord(f"length or checksum does not match ({len(line)} bytes)")
    return payload


def unframe(line: bytes) -> RawArticle:
    """The article of one journal line (without its newline); CorruptRecord if it is not whole."""
    payload = unframe_line(line)
    try:
        return RawArticle.decode(payload)
    except PoisonMessage as exc:
        raise CorruptRecord(exc.reason) from None


def record_id(payload: bytes) -> str:
    """The article id of a record's payload, without reading it as an article: decoding 100,000 records
    took seconds at every start, for their ids alone. The key's quotes appear unescaped only as a key,
    and an article's record holds no nested object with one."""
    start = payload.find(ID_KEY)
    if start < 0:
        return json.loads(payload)["article_id"]
    start += len(ID_KEY)
    return payload[start:payload.index(b'"', start)].decode("utf-8")


class ArticleJournal:
    """``fsync_interval_ms``: 0 syncs every record before ``append`` returns; more syncs at most that
    often, and on ``close`` (a power cut may then lose the records of the last interval)."""

    def __init__(self, path: Path, fsync_interval_ms: float = 0.0) -> None:
        self.path = path
        self.fsync_interval_s = fsync_interval_ms / 1000
        self._thread_lock = threading.Lock()
        self._ids: set[str] = set()
        self._synced_at = time.monotonic()
        self._unsynced = False
        private_dir(path.parent)
        self.seen_path = path.with_name("seen-ids")
        self._fd = open_private(path, os.O_RDWR | os.O_APPEND)
        with self._locked():
            self._repair_tail()
        if self.seen_path.exists():
            self._ids.update(self.seen_path.read_text().split())
        self._ids.update(self.ids(0, self.end()))

    def __len__(self) -> int:
        return len(self._ids)

    def seen(self, article_id: str) -> bool:
        return article_id in self._ids

    def append(self, raw: RawArticle) -> bool:
        """Record ``raw``; False when its id is already recorded."""
        record = frame(raw)
        with self._locked():
            if raw.article_id in self._ids:
                return False
            # A writer that crashed since the last repair left a torn record: a record written after it
            # would be glued onto it and lost with it.
            size = os.fstat(self._fd).st_size
            if size and os.pread(self._fd, 1, size - 1) != b"\n":
                self._repair_tail()
            write_all(self._fd, record)
            self._unsynced = True
            if time.monotonic() - self._synced_at >= self.fsync_interval_s:
                self._sync()
            self._ids.add(raw.article_id)
            return True

    def end(self) -> int:
        """The offset just past the last whole record (every write before it is complete)."""
        with self._locked():
            return os.fstat(self._fd).st_size

    def replay(self, start: int = 0) -> Iterator[RawArticle]:
        """Every whole record from offset ``start`` on, in order; a damaged one is logged and skipped."""
        for offset, line in self._lines(start):
            try:
                yield unframe(line)
            except CorruptRecord as exc:
                log.warning("journal %s: the record at byte %d is skipped: %s", self.path, offset, exc)

    def ids(self, start: int, end: int) -> Iterator[str]:
        """The article ids of the whole records between the offsets ``start`` and ``end``."""
        for _, line in self._lines(start, end):
            try:
                yield record_id(unframe_line(line))
            except (CorruptRecord, ValueError, KeyError):
                pass  # replay logs it

    def _lines(self, start: int = 0, end: int | None = None) -> Iterator[tuple[int, bytes]]:
        """(offset, line without its newline) from ``start`` to ``end`` (the end now: records appended
        meanwhile belong to a later read)."""
        end = self.end() if end is None else end
        with self.path.open("rb") as lines:
            lines.seek(start)
            offset = start
            while offset < end:
                line = lines.readline()
                if not line:
                    break  # another process cut a torn record after the snapshot
                yield offset, line.rstrip(b"\n")
                offset += len(line)

    def compact(self, handled_end: int, older_than: datetime) -> int:
        """Drop the journal's first records while they lie before offset ``handled_end`` (wholly handled)
        and were fetched before ``older_than``, keeping their ids in ``seen-ids``. Returns where the
        records not yet handled begin in the compacted journal. Records are appended in about the order
        they were fetched, so the old ones are a prefix: the rest is copied as bytes, unread, and only
        once the prefix is a quarter of the journal, so that a restart does not rewrite the whole file
        for a few records. Only while no other process appends (before the broker starts): they would
        go on writing to the replaced file."""
        dropped: list[str] = []
        cut = 0
        for offset, line in self._lines(0, handled_end):
            try:
                raw = unframe(line)
            except CorruptRecord:
                cut = offset + len(line) + 1  # logged by every replay so far; a compaction is where it goes
                continue
            if raw.fetched_at >= older_than:
                break
            dropped.append(raw.article_id)
            cut = offset + len(line) + 1
        if cut * 4 < self.end():
            return handled_end
        seen = open_private(self.seen_path, os.O_WRONLY | os.O_APPEND)
        try:
            write_all(seen, "".join(f"{article_id}\n" for article_id in dropped).encode())
            os.fsync(seen)
        finally:
            os.close(seen)
        with self._locked():
            write_private(self.path, self._read_from(cut))
            os.close(self._fd)
            self._fd = open_private(self.path, os.O_RDWR | os.O_APPEND)
        log.info("journal %s: the first %d records (handled, fetched before %s) dropped, %d bytes kept", self.path,
                 len(dropped), older_than.isoformat(timespec="seconds"), self.end())
        return handled_end - cut

    def _read_from(self, offset: int) -> bytes:
        return os.pread(self._fd, os.fstat(self._fd).st_size - offset, offset)

    def close(self) -> None:
        with self._locked():
            if self._unsynced:
                self._sync()
        os.close(self._fd)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with self._thread_lock:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)

    def _sync(self) -> None:
        os.fsync(self._fd)
        self._synced_at = time.monotonic()
        self._unsynced = False

    def _repair_tail(self) -> None:
        """Cut the journal back to the end of its last whole record (held under the lock). The bytes cut
        go to a side file first, so a repair never loses anything silently."""
        size = os.fstat(self._fd).st_size
        end = self._last_whole_end(size)
        if end == size:
            return
        kept = self.path.with_name(f"{self.path.name}.torn-{end}-{time.time_ns()}")
        write_private(kept, os.pread(self._fd, size - end, end))
        os.ftruncate(self._fd, end)
        os.fsync(self._fd)
        log.warning("journal %s: cut %d bytes of a torn record at byte %d; they are kept in %s",
                    self.path, size - end, end, kept)

    def _last_whole_end(self, size: int) -> int:
        """The offset just past the last whole record of the first ``size`` bytes (0 if none is whole)."""
        window = TAIL_WINDOW_BYTES
        while True:
            start = max(0, size - window)
            chunk = os.pread(self._fd, size - start, start)
            # The chunk's lines, the last first; bytes after the last newline are never a whole record.
            stop = chunk.rfind(b"\n")
            while stop >= 0:
                begin = chunk.rfind(b"\n", 0, stop) + 1
                if begin == 0 and start > 0:
                    break  # this line may begin before the chunk: read further back
                try:
                    unframe(chunk[begin:stop])
                except CorruptRecord:
                    stop = begin - 1
                    continue
                return start + stop + 1
            if start == 0:
                return 0
            window *= 4
