"""The rows a benchmark run produces, and the JSON and Markdown they are written as.

A row is one figure with the baseline it is compared with, measured in the same run on the same
machine, so that the ratio means something even on a loaded machine. A goal is either a least or a
most value of the row's ratio (when it has a baseline) or of its value (when it has none).
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Goal:
    bound: float
    kind: Literal["at_least", "at_most"]
    of: Literal["value", "ratio"]

    def holds(self, value: float | None, ratio: float | None) -> bool | None:
        measured = value if self.of == "value" else ratio
        if measured is None:
            return None
        return measured >= self.bound if self.kind == "at_least" else measured <= self.bound

    def describe(self, unit: str) -> str:
        sign = "≥" if self.kind == "at_least" else "≤"
        return f"{self.of} {sign} {self.bound:,g}" + (f" {unit}" if self.of == "value" else "")


@dataclass(frozen=True)
class Row:
    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    goal: Goal | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        return self.goal.holds(self.value, self.ratio) if self.goal else None

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline,
            "baseline_name": self.baseline_name,
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "goal": self.goal.describe(self.unit) if self.goal else None,
            "met": self.met,
            "note": self.note,
        }


@dataclass
class BenchRun:
    mode: str
    rows: list[Row] = field(default_factory=list)
    details: dict[str, dict] = field(default_factory=dict)  # each measurement's full output
    started: str = field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))
    machine: dict = field(default_factory=lambda: machine_description())

    def as_dict(self) -> dict:
        return {"mode": self.mode, "started": self.started, "machine": self.machine,
                "rows": [row.as_dict() for row in self.rows], "details": self.details}


def machine_description() -> dict:
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "cpus_total": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def to_json(run: BenchRun) -> str:
    return json.dumps(run.as_dict(), indent=1, default=str)


def to_markdown(run: BenchRun) -> str:
    machine = run.machine
    lines = [
        f"Mode {run.mode}, started {run.started}, {machine['platform']}, Python {machine['python']}, "
        f"{machine['cpus_usable']} of {machine['cpus_total']} CPUs usable, load average {machine['load_average_1m']} "
        "at the start.",
        "",
        "| measurement | value | baseline (same run) | ratio | goal | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in run.rows:
        baseline = f"{_number(row.baseline)} ({row.baseline_name})" if row.baseline is not None else "—"
        met = {True: "yes", False: "**no**", None: "—"}[row.met]
        name = row.name + (f" ({row.note})" if row.note else "")
        lines.append(
            f"| {name} | {_number(row.value)} {row.unit} | {baseline} | {_number(row.ratio)} | "
            f"{row.goal.describe(row.unit) if row.goal else '—'} | {met} |"
        )
    return "\n".join(lines) + "\n"


def print_result(result: dict, out: Path | None) -> None:
    """A long-run benchmark's JSON result on stdout, and in ``out`` when given."""
    text = json.dumps(result, indent=2)
    print(text)
    if out:
        out.write_text(text + "\n")
