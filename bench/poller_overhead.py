"""Pages per second through the whole poller (feed, fetch, extraction, raw article) vs trafilatura alone.

A local server on 127.0.0.1 serves a few hundred news-like pages of about 25 KB (German and English,
the article amid menus, teasers, a cookie banner, scripts and a long footer) and an RSS feed listing
them. The poller polls that feed once, one page at a time, into an outlet that keeps nothing; the
baseline runs trafilatura with the same options on the same pages, already in memory. Both run in
this process, in turns (baseline, poller, poller, baseline), so they share cores and load alike. The
server is a thread of this process too: its work counts against the poller, so the figure is high.

    python -m bench.poller_overhead [--quick]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import trafilatura

from bench.synthetic_news import SyntheticArticle, synthetic_articles
from ingest.feed_poller import FeedPoller
from ingest.feed_registry import Feed
from ingest.page_fetcher import FetchPolicy, PageFetcher
from tallywire.topics import DeadLetter, RawArticle
from tests.ingest.feed_server import Answer, FeedSite

GOAL_OVERHEAD = 0.15
NAVIGATION = {"de": ("Politik", "Wirtschaft", "Ausland", "Sport", "Kultur"), "en": ("Politics", "Business", "World",
                                                                                   "Sport", "Culture")}


def news_page(article: SyntheticArticle, url: str) -> bytes:
    """A page shaped like a news site's: the article amid what extraction has to cut away."""
    title = article.text.split(".")[0][:90]
    paragraphs = "".join(f"<p>{line}</p>" for line in article.text.split("\n"))
    sections = NAVIGATION[article.lang]
    menu = "".join(f'<li><a href="/{sections[i % 5].lower()}/{i}">{sections[i % 5]} {i}</a></li>' for i in range(120))
    teasers = "".join(
        f'<div class="teaser"><a href="/artikel/{i}"><img src="/img/{i}.jpg" alt="Bild {i}">'
        f"<h3>{sections[i % 5]}: weitere Meldung {i}</h3><p>Kurzer Anreißer zur Meldung {i}.</p></a></div>"
        for i in range(60)
    )
    script = '<script type="application/ld+json">{"@type":"NewsArticle","k":"' + "x" * 3000 + '"}</script>'
    footer = "".join(f'<a href="/service/{i}">Service {i}</a> ' for i in range(150))
    return (f'<!DOCTYPE html><html lang="{article.lang}"><head><meta charset="utf-8"><title>{title} | {article.source}'
            f'</title><link rel="canonical" href="{url}"><meta name="author" content="{article.source} Redaktion">'
            f'<meta property="article:published_time" content="{article.published_at.isoformat()}">{script}</head>'
            f'<body><header><ul>{menu}</ul></header><div class="cookie">Cookies? <button>OK</button></div><main>'
            f"<article><h1>{title}</h1>{paragraphs}{paragraphs}{paragraphs}</article><aside>{teasers}</aside>"
            f"</main><footer>{footer}</footer></body></html>").encode("utf-8")


class _CountingOutlet:
    def __init__(self) -> None:
        self.published = 0
        self.failed: list[str] = []

    def seen(self, article_id: str) -> bool:
        return False

    def publish(self, raw: RawArticle) -> None:
        self.published += 1

    def dead_letter(self, letter: DeadLetter) -> None:
        self.failed.append(letter.reason)


def _trafilatura_alone(pages: dict[str, bytes]) -> float:
    started = time.perf_counter()
    for url, body in pages.items():
        trafilatura.bare_extraction(body, url=url, with_metadata=True, include_comments=False, include_tables=False)
    return time.perf_counter() - started


def _poller(site: FeedSite, count: int) -> float:
    with tempfile.TemporaryDirectory() as data_dir, PageFetcher(FetchPolicy(
            user_agent="tallywire-bench", per_host_delay_s=0.0, allow=("127.0.0.1",), max_concurrency=1)) as fetcher:
        outlet = _CountingOutlet()
        poller = FeedPoller([Feed("bench", site.url("/bench.xml"), "de", 300.0)], fetcher, outlet, Path(data_dir),
                            concurrency=1)
        started = time.perf_counter()
        poller.poll_once()
        elapsed = time.perf_counter() - started
    if outlet.published != count:
        raise RuntimeError(f"the poller published {outlet.published} of {count} pages: {outlet.failed[:3]}")
    return elapsed


def run(quick: bool) -> dict:
    count = 100 if quick else 400
    site = FeedSite()
    try:
        pages = {}
        items = []
        for article in synthetic_articles(count, seed=11):
            url = site.url(f"/bench/{article.name}.html")
            pages[url] = news_page(article, url)
            site.route(f"/bench/{article.name}.html", Answer(body=pages[url]))
            items.append(f"<item><title>{article.name}</title><link>{url}?utm_source=rss</link></item>")
        feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>{"".join(items)}</channel></rss>'
        site.route("/bench.xml", Answer(body=feed.encode(), content_type="application/rss+xml"))
        _trafilatura_alone(dict(list(pages.items())[:5]))  # warm up lxml and trafilatura's caches
        alone = _trafilatura_alone(pages)
        poller = [_poller(site, count), _poller(site, count)]
        alone = min(alone, _trafilatura_alone(pages))
    finally:
        site.close()
    poller_s = min(poller)
    return {
        "pages": count,
        "page_kb": round(sum(map(len, pages.values())) / count / 1024, 1),
        "trafilatura_alone_pages_per_s": round(count / alone, 1),
        "poller_pages_per_s": round(count / poller_s, 1),
        "overhead": round(poller_s / alone - 1, 3),
        "goal_overhead": GOAL_OVERHEAD,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100 pages instead of 400")
    print(json.dumps(run(parser.parse_args().quick)))


if __name__ == "__main__":
    main()
