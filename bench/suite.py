"""Which measurements a benchmark run makes, at which sizes, in which order, and the rows they give.

Quick mode is sized to finish in under three minutes on a 2-core machine (CI runs it); full mode is
the one whose results go into bench/RESULTS.md.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

from bench import broker_overhead, end_to_end, figure_extraction, poller_overhead, sink_throughput, stage_profile, story_stage
from bench.result_table import BenchRun, Goal, Row


@dataclass(frozen=True)
class Sizes:
    text_articles: int
    html_pages: int
    latency_seconds: float
    broker_messages: int
    story_stored: tuple[int, ...]
    story_measured: int
    figure_rounds: int  # times the five seed articles
    sink_rows_per_size: int
    poller_pages: int
    profile_articles: int


MODES = {
    "quick": Sizes(text_articles=20, html_pages=10, latency_seconds=3, broker_messages=2_000, story_stored=(1_000, 5_000),
                   story_measured=20, figure_rounds=20, sink_rows_per_size=5_000, poller_pages=20, profile_articles=5),
    "full": Sizes(text_articles=500, html_pages=200, latency_seconds=30, broker_messages=20_000,
                  story_stored=(10_000, 100_000, 1_000_000), story_measured=200, figure_rounds=400,
                  sink_rows_per_size=100_000, poller_pages=400, profile_articles=100),
}
MEASUREMENTS = ("end_to_end", "broker", "story_stage", "figures", "sink", "poller", "profile")


def story_rows(result: dict) -> list[Row]:
    by_stored = result["by_stored"]
    smallest, largest = min(by_stored, key=int), max(by_stored, key=int)
    rows = [Row(f"story stage at {int(stored):,} stored", by_stored[stored]["ms_per_article"], "ms/article")
            for stored in sorted(by_stored, key=int)]
    rows.append(Row(f"story stage cost at {int(largest):,} vs {int(smallest):,} stored", by_stored[largest]["ms_per_article"],
                    "ms/article", by_stored[smallest]["ms_per_article"], f"at {int(smallest):,} stored",
                    Goal(result["goal_cost_ratio"], "at_most", "ratio")))
    rows.append(Row("story store, memory per stored article", result["bytes_per_article"], "bytes"))
    return rows


def run_suite(mode: str, only: tuple[str, ...] = MEASUREMENTS, say: Callable[[str], None] | None = None) -> BenchRun:
    sizes = MODES[mode]
    say = say or (lambda line: print(line, file=sys.stderr, flush=True))
    run = BenchRun(mode)
    steps: list[tuple[str, str, Callable[[], dict]]] = [
        ("end_to_end", "the pipeline end to end (a real `tallywire run`)",
         lambda: end_to_end.measure(sizes.text_articles, sizes.html_pages, sizes.latency_seconds)),
        ("broker", "the broker alone", lambda: broker_overhead.measure(sizes.broker_messages)),
        ("story_stage", "the story stage by stored articles",
         lambda: story_stage.measure(list(sizes.story_stored), sizes.story_measured)),
        ("figures", "figure extraction", lambda: figure_extraction.measure(sizes.figure_rounds)),
        ("sink", "the ClickHouse sink", lambda: sink_throughput.measure(sizes.sink_rows_per_size)),
        ("poller", "the poller vs trafilatura, one core", lambda: poller_overhead.measure(sizes.poller_pages)),
        ("profile", "where an article's time goes (cProfile)", lambda: stage_profile.measure(sizes.profile_articles)),
    ]
    for number, (name, what, measure) in enumerate((step for step in steps if step[0] in only), 1):
        say(f"[{number}/{len(only)}] {what} ...")
        started = time.monotonic()
        run.details[name] = measure()
        say(f"      done in {time.monotonic() - started:.0f} s")
    run.rows = _rows(run.details)
    return run


def _rows(details: dict[str, dict]) -> list[Row]:
    rows: list[Row] = []
    text_rate = details["end_to_end"]["text"]["articles_per_s"] if "end_to_end" in details else None
    if "end_to_end" in details:
        rows += end_to_end.rows(details["end_to_end"])
    if "broker" in details:
        rows += broker_overhead.rows(details["broker"], text_rate)
    if "story_stage" in details:
        rows += story_rows(details["story_stage"])
    if "figures" in details:
        rows += figure_extraction.rows(details["figures"])
    if "sink" in details:
        rows += sink_throughput.rows(details["sink"])
    if "poller" in details:
        rows += poller_overhead.rows(details["poller"])
    return rows
