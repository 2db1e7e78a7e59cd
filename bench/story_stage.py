"""Articles per second of the story grouping stage with many articles already stored, and the bytes a
stored article takes.

    python -m bench.story_stage [--quick]

The store is filled with synthetic news (``bench.synthetic_news``): a pool of embedded articles whose
records are stored again and again under new ids, so that filling 100k takes a minute, not an hour of
embedding. The synthetic vocabulary is small, so every posting list is full: the worst case for the
candidate search. Then fresh articles go through ``assign``; their embeddings are made beforehand and
timed apart, since the model's cost does not depend on the store.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import timedelta

import numpy as np

from bench.synthetic_news import synthetic_articles
from ingest.text_cleanup import clean_text
from processors.copy_detector import band_keys, copy_signature
from processors.event_matcher import candidate_signals
from processors.sentence_embedder import embed, embed_article, quantise
from processors.story_grouping import Grouping, StoredArticle, StoryGrouper

POOL = 300
MEASURED = 200
GOAL_COST_RATIO = 1.5


def _filled(count: int) -> StoryGrouper:
    grouper = StoryGrouper()
    pool = list(synthetic_articles(POOL, seed=11, copy_share=0.0))
    prepared = []
    for article in pool:
        cleaned = clean_text(article.text)
        vectors = embed_article(cleaned)
        minhash = copy_signature(cleaned)
        keys = tuple([f"c:{k}" for k in band_keys(minhash)] + [f"k:{k}" for k in candidate_signals(cleaned, vectors.document)])
        prepared.append((article, keys, minhash, quantise(vectors.document), quantise(vectors.sentences)))
    for index in range(count):
        article, keys, minhash, document, sentences = prepared[index % POOL]
        article_id = f"stored-{index:07d}"
        day = (article.published_at + timedelta(days=index * 6 / count)).date().isoformat()
        grouping = Grouping("", article_id, article_id, 0.0, 0.0)
        grouper.store_article(StoredArticle(article_id, article.lang, day, keys, grouping, minhash, document, sentences))
    return grouper


def _embed_seconds(fresh: list) -> float:
    """Model time per article; it also leaves the embeddings cached for the timed grouping runs."""
    embed(["Das Modell wird vor der Messung geladen."])
    started = time.perf_counter()
    for article in fresh:
        embed_article(clean_text(article.text))
    return (time.perf_counter() - started) / len(fresh)


def _measure(stored: int, fresh: list, embed_s: float) -> dict:
    grouper = _filled(stored)
    stored_bytes = sum(len(k) + len(v) for k, v in grouper.store.items()) / stored
    started = time.perf_counter()
    for index, article in enumerate(fresh):
        grouper.assign(f"fresh-{index}", article.text, article.lang, None)
    grouping_s = (time.perf_counter() - started) / len(fresh)
    return {
        "stored": stored,
        "embed_ms_per_article": round(embed_s * 1000, 2),
        "grouping_ms_per_article": round(grouping_s * 1000, 2),
        "articles_per_s": round(1 / (embed_s + grouping_s), 1),
        "bytes_per_stored_article": round(stored_bytes),
    }


def run(quick: bool) -> dict:
    small, large = (1_000, 10_000) if quick else (10_000, 100_000)
    fresh = list(synthetic_articles(MEASURED, seed=23))
    embed_s = _embed_seconds(fresh)
    results = [_measure(small, fresh, embed_s), _measure(large, fresh, embed_s)]
    per_article = [r["embed_ms_per_article"] + r["grouping_ms_per_article"] for r in results]
    ratio = per_article[1] / per_article[0]
    grouping_ratio = results[1]["grouping_ms_per_article"] / results[0]["grouping_ms_per_article"]
    return {
        "measured_articles": MEASURED,
        "runs": results,
        "cost_ratio": round(ratio, 3),
        "grouping_only_cost_ratio": round(grouping_ratio, 3),
        "goal_cost_ratio": GOAL_COST_RATIO,
        "meets_goal": bool(ratio <= GOAL_COST_RATIO),
        "stored_bytes_median_record": int(np.median([len(v) for k, v in _filled(POOL).store.items() if k.startswith("a:")])),
    }


def measure(stored_counts: list[int], measured: int) -> dict:
    """Per-article cost at each stored count, in the shape ``python -m bench`` reads."""
    fresh = list(synthetic_articles(measured, seed=23))
    embed_s = _embed_seconds(fresh)
    runs = {str(stored): _measure(stored, fresh, embed_s) for stored in stored_counts}
    by_stored = {
        stored: {"ms_per_article": round(run["embed_ms_per_article"] + run["grouping_ms_per_article"], 2),
                 "articles_per_s": run["articles_per_s"]}
        for stored, run in runs.items()
    }
    costs = [entry["ms_per_article"] for entry in by_stored.values()]
    return {
        "by_stored": by_stored,
        "cost_ratio": round(costs[-1] / costs[0], 3),
        "bytes_per_article": runs[str(stored_counts[-1])]["bytes_per_stored_article"],
        "goal_cost_ratio": GOAL_COST_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 10k stored articles instead of 10k and 100k")
    print(json.dumps(run(parser.parse_args().quick), indent=1))


if __name__ == "__main__":
    main()
