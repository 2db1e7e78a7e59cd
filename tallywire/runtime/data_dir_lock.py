"""One owner per data directory for each thing in it that only one process may run: the embedded broker
(with ``broker.json`` and the replay of the journal into it) and chDB.

A process takes its locks before it touches anything else in the directory, without waiting: a second
``tallywire run`` is refused at once, instead of failing on chDB's own lock after it has journaled its
articles and removed the first pipeline's ``broker.json``. Each is an ``flock`` on a file of its own,
so that the broker's and chDB's owners may be two processes (``run --roles process`` beside ``worker
--roles sink``). The kernel releases a lock when its process ends, even by SIGKILL: no stale lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from tallywire.core.errors import TallywireError
from tallywire.core.private_files import open_private, private_dir, write_all

BROKER = "broker"
CLICKHOUSE = "clickhouse"
# What the owner of each lock runs, and what to do instead of starting a second one.
_HELD = {
    BROKER: ("the pipeline and its embedded broker",
             "use `tallywire ingest FILE` to add articles to the running pipeline, and `tallywire sql`, "
             "`lag`, `query` or `report` to look at it; `tallywire worker --roles process` adds a worker"),
    CLICKHOUSE: ("the ClickHouse sink on the data directory's chDB",
                 "`tallywire sql` and `query` read through it; `tallywire worker --roles process` adds a "
                 "processing worker; only one sink may write this chDB"),
}


class DataDirBusy(TallywireError):
    """Another live process owns what this one would run on the data directory."""


@contextmanager
def own_data_dir(data_dir: Path, parts: tuple[str, ...]) -> Iterator[None]:
    """Hold the locks of ``parts`` (of BROKER, CLICKHOUSE) on ``data_dir`` for the block; the directory is
    created owner-only first. DataDirBusy at once if another process holds one."""
    private_dir(data_dir)
    with ExitStack() as held:
        for part in parts:
            held.callback(os.close, _lock(data_dir, part))
        yield


def refuse_if_busy(data_dir: Path, parts: tuple[str, ...]) -> None:
    """DataDirBusy now if another process holds a lock of ``parts``, without taking any: a command calls it
    before its slow imports (Faust, the stages) so that a second one is refused in well under a second.
    ``own_data_dir`` still decides; this only answers early."""
    for part in parts:
        try:
            fd = os.open(_lock_path(data_dir, part), os.O_RDONLY)
        except FileNotFoundError:
            continue
        _flock_now(fd, data_dir, part)
        os.close(fd)  # releases the probe's own lock with it


def _lock(data_dir: Path, part: str) -> int:
    fd = open_private(_lock_path(data_dir, part), os.O_RDWR)
    _flock_now(fd, data_dir, part)
    # Who owns it, for the message of the process refused next.
    os.ftruncate(fd, 0)
    write_all(fd, json.dumps({"pid": os.getpid(), "command": " ".join(["tallywire", *sys.argv[1:]])}).encode())
    return fd


def _lock_path(data_dir: Path, part: str) -> Path:
    return data_dir / f"{part}.lock"


def _flock_now(fd: int, data_dir: Path, part: str) -> None:
    """Lock ``fd`` without waiting; DataDirBusy, with ``fd`` closed, if another process holds the lock."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise _busy(data_dir, part) from None


def _busy(data_dir: Path, part: str) -> DataDirBusy:
    what, instead = _HELD[part]
    try:
        owner = json.loads(_lock_path(data_dir, part).read_text())
        who = f"pid {owner['pid']} (`{owner['command']}`)"
    except (OSError, ValueError, KeyError):
        who = "another process (its pid is not written yet)"
    return DataDirBusy(f"{data_dir} is in use: {who} runs {what} there",
                       hint=f"{instead}; or stop that process first (Ctrl-C)")
