"""Articles per second of the figure extractor alone, per core, on the seed articles repeated.

Per core means per second of this process's CPU time: on a machine shared with other work the wall
clock would measure the neighbours too.

    python -m bench.figure_extraction [--quick]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.result_table import Goal, Row
from tallywire.core.text_cleanup import clean_text
from processors.figure_extractor import extract_figures

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
GOAL_ARTICLES_PER_S = 300


def measure(rounds: int) -> dict:
    texts = [clean_text(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    for text in texts:  # warm the regex caches and the word frequencies the gazetteer loads on first use
        extract_figures(text, "de")
    started, cpu_started = time.perf_counter(), time.process_time()
    figures = sum(len(extract_figures(text, "de")) for _ in range(rounds) for text in texts)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    articles = rounds * len(texts)
    return {
        "articles": articles,
        "figures": figures,
        "seconds": round(elapsed, 3),
        "cpu_seconds": round(cpu, 3),
        "articles_per_s": round(articles / cpu, 1),
        "goal_articles_per_s": GOAL_ARTICLES_PER_S,
    }


def rows(result: dict) -> list[Row]:
    return [Row("figure extraction per core (CPU time)", result["articles_per_s"], "articles/s",
                goal=Goal(GOAL_ARTICLES_PER_S, "at_least", "value"),
                note=f"{result['articles']} seed articles, {result['figures']} figures")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="200 articles instead of 2,000")
    print(json.dumps(measure(40 if parser.parse_args().quick else 400)))


if __name__ == "__main__":
    main()
