"""A str -> bytes mapping kept in a SQLite file of the data directory, shared by the processes on it.

The embedded broker keeps changelogs in memory only, so a Faust table backed by it is empty after every
restart and has to be rebuilt by replaying everything that wrote it. State kept here survives a kill -9
(each write is a committed transaction in WAL mode; a power cut may lose the last ones) and is read back
in milliseconds. Every process on the data directory opens the same file: SQLite's own locking orders
their writes, and a worker taking over a partition reads what the previous owner wrote.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, MutableMapping
from pathlib import Path

from tallywire.core.private_files import private_dir

# How long a writer waits for another process's write to finish before SQLite gives up.
BUSY_TIMEOUT_S = 30.0


class DurableMap(MutableMapping[str, bytes]):
    def __init__(self, path: Path, table: str = "entries") -> None:
        private_dir(path.parent)
        self.path = path
        self._table = table
        self._lock = threading.Lock()
        # One connection used from the event loop and executor threads, serialised by the lock.
        self._db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
        path.chmod(0o600)
        self._db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a committed write survives the process's death, not a power cut; FULL would
        # fsync every article for a guarantee the journal (which is fsynced) already gives on replay.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(f"CREATE TABLE IF NOT EXISTS {table} (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        self._seen_version = self._data_version()

    def _data_version(self) -> int:
        # SQLite's count of commits by other connections to the file, as this connection sees it.
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    def written_elsewhere(self) -> bool:
        """Whether another process (or connection) has committed a write since this was opened or last
        asked: what was derived from the entries in memory is stale only then."""
        with self._lock:
            version = self._data_version()
            changed, self._seen_version = version != self._seen_version, version
        return changed

    def __getitem__(self, key: str) -> bytes:
        with self._lock:
            row = self._db.execute(f"SELECT value FROM {self._table} WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return row[0]

    def __setitem__(self, key: str, value: bytes) -> None:
        with self._lock:
            self._db.execute(f"INSERT OR REPLACE INTO {self._table} (key, value) VALUES (?, ?)", (key, value))

    def __delitem__(self, key: str) -> None:
        with self._lock:
            if self._db.execute(f"DELETE FROM {self._table} WHERE key = ?", (key,)).rowcount == 0:
                raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        # In the order written, as a changelog would give them back: the grouper's posting lists keep
        # the latest ids, and its ties go to the first stored.
        with self._lock:
            keys = [key for (key,) in self._db.execute(f"SELECT key FROM {self._table} ORDER BY rowid")]
        return iter(keys)

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute(f"SELECT count(*) FROM {self._table}").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
