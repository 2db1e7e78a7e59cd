"""Articles per second and latency through the whole embedded pipeline, each beside its baseline.

- from text: synthetic articles (copies and translations among them) produced straight onto
  raw-articles.v1, until every article and every figure of them is in ClickHouse;
- from HTML: the same kind of articles as saved news pages on a local server, taken by the feed poller
  in this process (fetch, trafilatura, publish) while the pipeline process does the rest; the baseline
  is trafilatura alone on the same pages in as many processes as this process may use cores;
- latency: articles produced at a steady rate, each timed from its send to its row in ClickHouse.

Every measurement first waits until the pipeline has handled a few warm-up articles: the consumer group
join and the embedding model's load are start-up costs, not throughput.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from bench.news_site import FEED_NAME, NewsSite, save_feed, save_pages
from bench.pipeline_process import BenchError, BenchPipeline, expected_figures, raw_article
from bench.poller_overhead import trafilatura_alone
from bench.result_table import Goal, Row
from tallywire.testkit.synthetic_news import synthetic_articles
from ingest.feed_poller import FeedPoller, PollLimits
from ingest.feed_registry import Feed
from ingest.page_fetcher import PageFetcher

GOAL_TEXT_ARTICLES_PER_S = 100
GOAL_HTML_SHARE_OF_TRAFILATURA = 0.8
GOAL_P95_S = 2.0
WARM_UP_ARTICLES = 5
COPY_SHARE, TRANSLATION_SHARE = 0.2, 0.1


def usable_cores() -> int:
    return len(os.sched_getaffinity(0))


def warm_up(pipeline: BenchPipeline, timeout_s: float) -> float:
    raws = [raw_article(a, "warm-up") for a in synthetic_articles(WARM_UP_ARTICLES, seed=3)]
    started = time.time()
    for raw in raws:
        pipeline.outlet.publish(raw)
    pipeline.outlet.flush()
    pipeline.wait_visible(raws, expected_figures(raws), timeout_s)
    return time.time() - started


def text_throughput(pipeline: BenchPipeline, count: int, timeout_s: float) -> dict:
    articles = list(synthetic_articles(count, seed=31, copy_share=COPY_SHARE, translation_share=TRANSLATION_SHARE))
    raws = [raw_article(a, "text") for a in articles]
    figures = expected_figures(raws)
    cpu_before = pipeline.cpu_seconds()
    started = time.time()
    for raw in raws:
        pipeline.outlet.publish(raw)
    pipeline.outlet.flush()
    finished = pipeline.wait_visible(raws, figures, timeout_s)
    cpu = pipeline.cpu_seconds() - cpu_before
    return {
        "articles": count,
        "copies": sum(1 for a in articles if a.copy_of),
        "translations": sum(1 for a in articles if a.translation_of),
        "figures": figures,
        "seconds": round(finished - started, 3),
        "articles_per_s": round(count / (finished - started), 2),
        "cpu_ms_per_article": round(cpu * 1000 / count, 1),
    }


def _trafilatura_file(path: str) -> None:
    trafilatura_alone(Path(path).read_bytes())


def trafilatura_pages_per_s(paths: list[Path], cores: int) -> float:
    """Trafilatura alone on the saved pages, in ``cores`` processes started and warmed beforehand."""
    with ProcessPoolExecutor(cores, mp_context=get_context("spawn")) as pool:
        list(pool.map(_trafilatura_file, [str(p) for p in paths[:cores]]))
        started = time.perf_counter()
        list(pool.map(_trafilatura_file, [str(p) for p in paths], chunksize=max(1, len(paths) // (8 * cores))))
        return len(paths) / (time.perf_counter() - started)


def html_throughput(pipeline: BenchPipeline, count: int, timeout_s: float) -> dict:
    articles = list(synthetic_articles(count, seed=37, copy_share=COPY_SHARE, translation_share=TRANSLATION_SHARE))
    with tempfile.TemporaryDirectory() as folder:
        site_folder = Path(folder)
        pages = save_pages(articles, site_folder)
        site = NewsSite(site_folder)
        save_feed(articles, site_folder, site.base)
        cores = usable_cores()
        baseline = trafilatura_pages_per_s([site_folder / name for name in pages], cores)
        settings = pipeline.settings
        fetcher = PageFetcher.from_settings(settings)
        feed = Feed("bench-site", site.url(FEED_NAME), "", settings.poll_interval_s)
        poller = FeedPoller([feed], fetcher, pipeline.outlet, Path(folder) / "feed-state.json",
                            PollLimits.from_settings(settings))
        already = len(pipeline.outlet.published)
        try:
            cpu_before = pipeline.cpu_seconds()
            started = time.time()
            summary = poller.poll_once()
            pipeline.outlet.flush()
            polled = time.time() - started
            raws = pipeline.outlet.published[already:]
            if summary.new_articles != count:
                raise BenchError(f"the poller took {summary.new_articles} of {count} pages: {summary.line()}; "
                                 "its warnings above say why")
            finished = pipeline.wait_visible(raws, expected_figures(raws), timeout_s)
            cpu = pipeline.cpu_seconds() - cpu_before
        finally:
            fetcher.close()
            site.close()
    return {
        "pages": count,
        "cores": cores,
        "trafilatura_alone_pages_per_s": round(baseline, 2),
        "poll_seconds": round(polled, 3),
        "seconds": round(finished - started, 3),
        "articles_per_s": round(count / (finished - started), 2),
        "cpu_ms_per_article": round(cpu * 1000 / count, 1),
    }


def latency(pipeline: BenchPipeline, rate_per_s: float, seconds: float, timeout_s: float) -> dict:
    count = max(1, round(rate_per_s * seconds))
    raws = [raw_article(a, "latency") for a in synthetic_articles(count, seed=41, copy_share=COPY_SHARE,
                                                                  translation_share=TRANSLATION_SHARE)]
    figures = expected_figures(raws)
    sent_at = {}
    started = time.monotonic()
    for index, raw in enumerate(raws):
        time.sleep(max(0.0, started + index / rate_per_s - time.monotonic()))
        sent_at[raw.article_id] = time.time()
        pipeline.outlet.publish(raw)
        pipeline.outlet.flush()
    sending = time.monotonic() - started
    pipeline.wait_visible(raws, figures, timeout_s)
    delays = sorted(at / 1000 - sent_at[article_id] for article_id, at in pipeline.ingested_ms("articles", list(sent_at)))
    cuts = statistics.quantiles(delays, n=100, method="inclusive")
    return {
        "articles": count,
        "rate_per_s": rate_per_s,
        "achieved_send_rate_per_s": round(count / sending, 2) if sending else None,
        "p50_s": round(cuts[49], 3),
        "p95_s": round(cuts[94], 3),
        "max_s": round(delays[-1], 3),
    }


def measure(text_articles: int, html_pages: int, latency_seconds: float, timeout_s: float = 600) -> dict:
    with tempfile.TemporaryDirectory() as folder, BenchPipeline(Path(folder) / "data") as pipeline:
        return {
            "warm_up_seconds": round(warm_up(pipeline, timeout_s), 2),
            "text": text_throughput(pipeline, text_articles, timeout_s),
            "html": html_throughput(pipeline, html_pages, timeout_s),
            "latency": latency(pipeline, 10.0, latency_seconds, timeout_s),
        }


def rows(result: dict) -> list[Row]:
    text, html, delay = result["text"], result["html"], result["latency"]
    return [
        Row(f"end to end from HTML, {html['cores']} cores", html["articles_per_s"], "articles/s",
            html["trafilatura_alone_pages_per_s"], f"trafilatura alone, {html['cores']} processes",
            Goal(GOAL_HTML_SHARE_OF_TRAFILATURA, "at_least", "ratio"),
            f"{html['pages']} pages: poller → broker → agents → ClickHouse"),
        Row("end to end from HTML, CPU per article", html["cpu_ms_per_article"], "ms",
            note="every process on the path: poller, broker, pipeline"),
        Row(f"end to end from text, {usable_cores()} cores", text["articles_per_s"], "articles/s",
            goal=Goal(GOAL_TEXT_ARTICLES_PER_S, "at_least", "value"),
            note=f"{text['articles']} articles ({text['copies']} copies, {text['translations']} translations), "
                 f"{text['figures']} figures"),
        Row("end to end from text, CPU per article", text["cpu_ms_per_article"], "ms",
            note="every process on the path: producer, broker, pipeline"),
        Row("latency p50, produce → in ClickHouse", delay["p50_s"], "s",
            note=f"{delay['articles']} articles at {delay['rate_per_s']:g}/s"),
        Row("latency p95, produce → in ClickHouse", delay["p95_s"], "s", goal=Goal(GOAL_P95_S, "at_most", "value"),
            note=f"{delay['articles']} articles at {delay['rate_per_s']:g}/s"),
    ]
