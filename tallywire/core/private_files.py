"""Files and folders only their owner may read or enter: the data directory holds article texts,
alerts and the addresses of the running pipeline, which other local users have no business reading.

Modes are set explicitly, not left to the umask, and existing paths from older versions are tightened.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """``path`` made (with its parents) and closed to everyone but its owner."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    path.chmod(DIR_MODE)
    return path


def open_private(path: Path, flags: int) -> int:
    """``os.open`` of ``path``, created if missing; readable and writable by its owner only."""
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def write_private(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` durably and at once: readers see the old content or the new."""
    temporary = path.with_name(f"{path.name}.tmp")
    fd = open_private(temporary, os.O_WRONLY | os.O_TRUNC)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    temporary.replace(path)


def write_all(fd: int, data: bytes) -> None:
    """``os.write`` until all of ``data`` is written: one call may write less."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
