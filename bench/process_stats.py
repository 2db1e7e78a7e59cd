"""What the benchmarks read about other processes from /proc: CPU time, peak memory, descendants.

CPU seconds are the figure that survives a busy machine: wall-clock rates fall when other work shares
the cores, the CPU an article costs does not (much).
"""

from __future__ import annotations

import os
import re
from pathlib import Path


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a live process has used (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int) -> tuple[float, float] | None:
    """The process's peak resident set so far (VmHWM) and its resident set now (VmRSS), in MiB, from
    one read of its status; None once it is gone. Unlike the peak, the current figure shows whether
    memory levels off or keeps growing."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = [re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE) for field in ("VmHWM", "VmRSS")]
    if not all(found):
        return None
    peak, now = (int(match.group(1)) / 1024 for match in found)
    return peak, now


def descendants(root: int) -> list[int]:
    """Every live process below ``root``: children, their children, and so on."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, frontier = [], [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        found += children
        frontier = children
    return found
