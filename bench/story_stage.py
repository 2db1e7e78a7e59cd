"""Articles per second of the story grouping stage with many articles already stored, and the bytes a
stored article takes.

    python -m bench.story_stage [--quick]      # 10k and 100k stored (--quick: 1k and 10k)

The store is filled with synthetic news (``tallywire.testkit.synthetic_news``): a pool of articles whose features
are stored again and again under new ids, spread over six days of the window, so that filling 100k
takes a minute or two, not an hour of embedding. The synthetic vocabulary is small, so every posting
list is full: the worst case for the candidate search. Then fresh articles go through the stage in its
two parts, timed apart: ``article_features`` (embedding; does not depend on the store) and
``StoryGrouper.assign_features`` (candidates, decision, store update; the part that could grow).
``bytes_written_per_article`` is what one new article writes into the records, i.e. what the
changelog-backed table sends per article (the index is derived in memory and never sent).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from datetime import timedelta

from tallywire.testkit.synthetic_news import synthetic_articles
from processors.article_features import ArticleFeatures, article_features
from processors.story_grouping import Grouping, StoredArticle, StoryGrouper

POOL = 300
MEASURED = 200
GOAL_COST_RATIO = 1.5


def _pool() -> list[ArticleFeatures]:
    return [
        article_features(a.name, a.text, a.lang, a.published_at)
        for a in synthetic_articles(POOL, seed=11, copy_share=0.0)
    ]


class _CountingStore(dict):
    """Records that count the bytes written into them: what a changelog-backed table would send."""

    written = 0

    def __setitem__(self, key: str, value: bytes) -> None:
        self.written += len(key) + len(value)
        super().__setitem__(key, value)


def _filled(count: int, pool: list[ArticleFeatures]) -> StoryGrouper:
    grouper = StoryGrouper(_CountingStore())
    first = min(f.published_at for f in pool)
    for index in range(count):
        article_id = f"stored-{index:07d}"
        published = first + timedelta(days=index * 6 / count)
        features = replace(pool[index % len(pool)], article_id=article_id, published_at=published)
        grouping = Grouping("", article_id, article_id, 0.0, 0.0)
        grouper.store_article(StoredArticle(published.date().isoformat(), grouping, features))
        if index % 20_000 == 19_999:
            print(f"  stored {index + 1:,} of {count:,}", file=sys.stderr, flush=True)
    return grouper


def measure(stored_counts: list[int], measured: int = MEASURED) -> dict:
    """Per-article cost of the stage with each count of articles already stored (JSON-able)."""
    pool = _pool()
    fresh_articles = list(synthetic_articles(measured, seed=23))
    latest = max(f.published_at for f in pool) + timedelta(days=5)
    started = time.perf_counter()
    fresh = [
        article_features(f"fresh-{i}", a.text, a.lang, latest + timedelta(minutes=i))
        for i, a in enumerate(fresh_articles)
    ]
    features_s = (time.perf_counter() - started) / measured
    by_stored = {}
    bytes_per_article = 0.0
    for count in stored_counts:
        print(f"filling a store with {count:,} articles", file=sys.stderr, flush=True)
        grouper = _filled(count, pool)
        kept = list(grouper.records.items()) + list(grouper.index.items())
        bytes_per_article = sum(len(k) + len(v) for k, v in kept) / count
        written_before = grouper.records.written
        started = time.perf_counter()
        for features in fresh:
            grouper.assign_features(features)
        store_s = (time.perf_counter() - started) / measured
        written = (grouper.records.written - written_before) / measured
        by_stored[str(count)] = {
            "articles_per_s": round(1 / (features_s + store_s), 1),
            "ms_per_article": round((features_s + store_s) * 1000, 3),
            "features_ms_per_article": round(features_s * 1000, 3),
            "store_ms_per_article": round(store_s * 1000, 3),
            "bytes_per_article": round(bytes_per_article),
            "bytes_written_per_article": round(written),
        }
        del grouper
    smallest, largest = by_stored[str(min(stored_counts))], by_stored[str(max(stored_counts))]
    return {
        "measured_articles": measured,
        "by_stored": by_stored,
        "cost_ratio": round(largest["ms_per_article"] / smallest["ms_per_article"], 3),
        "store_cost_ratio": round(largest["store_ms_per_article"] / smallest["store_ms_per_article"], 3),
        "bytes_per_article": round(bytes_per_article),
        "goal_cost_ratio": GOAL_COST_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k stored articles instead of 10k and 100k")
    result = measure([1_000, 10_000] if parser.parse_args().quick else [10_000, 100_000])
    result["meets_goal"] = result["cost_ratio"] <= GOAL_COST_RATIO
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
