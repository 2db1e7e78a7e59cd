"""Pages per second through the poller's fetch-and-extract path vs trafilatura alone on the same pages.

The pages (``bench.news_site``) are saved in a folder and served on 127.0.0.1; both sides run on one
core in this process, the baseline on the pages already in memory.

    python -m bench.poller_overhead [--quick]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import trafilatura

from bench.news_site import NewsSite, save_pages
from bench.result_table import Goal, Row
from tallywire.testkit.synthetic_news import synthetic_articles
from ingest.article_extractor import extract_article
from ingest.page_fetcher import PageFetcher

GOAL_OVERHEAD = 0.15


def trafilatura_alone(body: bytes) -> None:
    """What the poller's extraction would cost without tallywire around it."""
    trafilatura.bare_extraction(body, with_metadata=True, include_comments=False, include_tables=False)


def measure(count: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        pages = save_pages(list(synthetic_articles(count, seed=11)), Path(folder))
        site = NewsSite(Path(folder))
        fetcher = PageFetcher("tallywire-bench", 10, 5 * 1024 * 1024, 3, 0.0, ["127.0.0.1"], deadline_s=60,
                              robots_cache_s=86400)
        try:
            started = time.perf_counter()
            for body in pages.values():
                trafilatura_alone(body)
            alone = time.perf_counter() - started
            started = time.perf_counter()
            for name in pages:
                page = fetcher.fetch(site.url(name), accept=("html",))
                extract_article(page.body, page.url)
            poller = time.perf_counter() - started
        finally:
            fetcher.close()
            site.close()
    return {
        "pages": count,
        "trafilatura_alone_pages_per_s": round(count / alone, 1),
        "poller_pages_per_s": round(count / poller, 1),
        "overhead": round(poller / alone - 1, 3),
        "goal_overhead": GOAL_OVERHEAD,
    }


def rows(result: dict) -> list[Row]:
    return [Row("poller fetch + extract, one core", result["poller_pages_per_s"], "pages/s",
                result["trafilatura_alone_pages_per_s"], "trafilatura alone, one core",
                Goal(round(1 / (1 + GOAL_OVERHEAD), 3), "at_least", "ratio"), f"{result['pages']} pages")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100 pages instead of 400")
    print(json.dumps(measure(100 if parser.parse_args().quick else 400)))


if __name__ == "__main__":
    main()
