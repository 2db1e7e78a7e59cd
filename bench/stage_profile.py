"""Where an article's time goes: the pipeline's stage functions run one after another in this process,
on the same kind of articles as the end-to-end benchmarks, first timed stage by stage, then under
cProfile for the functions that cost most.

What the pipeline adds around them (broker hops, Faust, JSON between stages, waiting for a batch) is
the end-to-end time per article minus the sum of these stages.

    python -m bench.stage_profile [--articles N]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.news_site import page_html
from bench.pipeline_process import raw_article
from tallywire.testkit.synthetic_news import synthetic_articles
from ingest.article_extractor import extract_article
from processors.figures_agent import figures_of
from processors.sentence_embedder import embed
from processors.story_grouping import StoryGrouper
from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink
from sinks.migrations import apply_migrations
from tallywire.core.topics import ARTICLES, FIGURES, Article, RawArticle


def _stages(count: int, seed: int, clickhouse: ClickHouse) -> Counter[str]:
    """CPU seconds spent in each stage over ``count`` fresh articles (CPU, not wall: the machine may be
    shared; chDB's threads count, as they are this process's)."""
    spent: Counter[str] = Counter()

    def timed(stage: str, function, *args):  # noqa: ANN001, ANN202
        started = time.process_time()
        result = function(*args)
        spent[stage] += time.process_time() - started
        return result

    grouper, sink = StoryGrouper(), ClickHouseSink(clickhouse)
    articles, figures = [], []
    for synthetic in synthetic_articles(count, seed=seed, copy_share=0.2, translation_share=0.1):
        page = page_html(synthetic.name, synthetic.text)
        extracted = timed("page extraction (trafilatura, HTML only)", extract_article, page, "https://bench.invalid/")
        raw = raw_article(synthetic, f"profile-{seed}").model_copy(update={"text": extracted.text or synthetic.text})
        raw = timed("raw article JSON out and in", RawArticle.decode, raw.to_bytes())
        grouping = timed("story grouping (embedding, copies, stories, events)", grouper.assign,
                         raw.article_id, raw.text, raw.lang, raw.published_at)
        article = Article.from_raw(raw, duplicate_of=grouping.duplicate_of, story_id=grouping.story_id,
                                   event_id=grouping.event_id)
        article = timed("article JSON out and in", Article.decode, article.to_bytes())
        found = timed("figure extraction", figures_of, article)
        articles.append(article)
        figures.extend(found)
    timed("sink (articles and figures into chDB, one batch each)", sink.write, ARTICLES, articles)
    timed("sink (articles and figures into chDB, one batch each)", sink.write, FIGURES, figures)
    return spent


def measure(count: int, top: int = 12) -> dict:
    embed(["Das Modell wird vor der Messung geladen."])  # start-up, not per-article cost
    with tempfile.TemporaryDirectory() as folder:
        clickhouse = ClickHouse(f"chdb://{Path(folder) / 'ch'}")
        apply_migrations(clickhouse)
        spent = _stages(count, 43, clickhouse)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        _stages(count, 47, clickhouse)  # other articles: the embedding cache must not answer
        profiler.disable()
        clickhouse.close()
    stats = pstats.Stats(profiler)
    by_own_time = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    return {
        "articles": count,
        "ms_per_article": {stage: round(seconds * 1000 / count, 2) for stage, seconds in spent.most_common()},
        "top_functions_by_own_time": [
            {"function": f"{Path(file).name}:{line} {name}", "calls": calls, "own_s": round(own, 3), "cumulative_s": round(cumulative, 3)}
            for (file, line, name), (_, calls, own, cumulative, _) in by_own_time
        ],
    }


def to_markdown(result: dict) -> str:
    lines = [f"Stage by stage, {result['articles']} articles in one process (`bench/stage_profile.py`):", "",
             "| stage | CPU ms per article |", "| --- | --- |"]
    lines += [f"| {stage} | {ms:g} |" for stage, ms in result["ms_per_article"].items()]
    lines += ["", "cProfile (CPU time), functions by own time:", "", "| function | calls | own s | cumulative s |",
              "| --- | --- | --- | --- |"]
    lines += [f"| `{f['function']}` | {f['calls']} | {f['own_s']} | {f['cumulative_s']} |" for f in result["top_functions_by_own_time"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100, help="articles per pass (default: 100)")
    result = measure(parser.parse_args().articles)
    print(json.dumps(result, indent=1))
    print(to_markdown(result))


if __name__ == "__main__":
    main()
