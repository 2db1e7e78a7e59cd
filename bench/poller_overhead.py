"""Pages per second through the poller's fetch-and-extract path vs trafilatura alone on the same pages.

A local server on 127.0.0.1 serves a few hundred news-like pages; both sides run on one core in
this process, the baseline on the pages already in memory.

    python -m bench.poller_overhead [--quick]
"""

from __future__ import annotations

import argparse
import json
import time

import trafilatura

from bench.synthetic_news import synthetic_articles
from ingest.article_extractor import extract_article
from ingest.page_fetcher import PageFetcher
from tests.ingest.feed_server import FeedSite

GOAL_OVERHEAD = 0.15


def _html(title: str, text: str) -> bytes:
    """A page the size and shape of a news site's (60-90 KB): the article inside menus, teasers, a
    cookie banner, tracking scripts and a long footer, which is what extraction has to cut away."""
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    menu = "".join(f'<li><a href="/ressort/{i}">Ressort {i}</a></li>' for i in range(120))
    teasers = "".join(
        f'<div class="teaser"><a href="/artikel/{i}"><img src="/img/{i}.jpg" alt="Bild {i}">'
        f"<h3>Weitere Meldung Nummer {i} aus aller Welt</h3><p>Kurzer Anreißer zur Meldung {i}.</p></a></div>"
        for i in range(60)
    )
    script = '<script type="application/ld+json">' + '{"@type":"NewsArticle","k":"' + "x" * 3000 + '"}</script>'
    footer = "".join(f'<a href="/service/{i}">Service-Link {i}</a> ' for i in range(150))
    return (f"<html><head><title>{title}</title>{script}</head><body><header><ul>{menu}</ul></header>"
            f'<div class="cookie">Wir verwenden Cookies. <button>Akzeptieren</button></div><main>'
            f"<article><h1>{title}</h1>{paragraphs}{paragraphs}{paragraphs}</article>"
            f'<aside>{teasers}</aside></main><footer>{footer}</footer></body></html>').encode("utf-8")


def run(quick: bool) -> dict:
    count = 100 if quick else 400
    pages = {f"/bench/{a.name}.html": _html(a.name, a.text) for a in synthetic_articles(count, seed=11)}
    site = FeedSite()
    original = site.answer

    def answer(handler) -> None:  # noqa: ANN001
        body = pages.get(handler.path)
        if body is None:
            return original(handler)
        return site._send(handler, 200, body, "text/html")

    site.answer = answer  # type: ignore[method-assign]
    fetcher = PageFetcher("tallywire-bench", 10, 5 * 1024 * 1024, 3, 0.0, ["127.0.0.1"], deadline_s=60)
    try:
        started = time.perf_counter()
        for body in pages.values():
            trafilatura.bare_extraction(body, with_metadata=True, include_comments=False, include_tables=False)
        alone = time.perf_counter() - started
        started = time.perf_counter()
        for path in pages:
            page = fetcher.fetch(site.url(path), accept=("html",))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100 pages instead of 400")
    print(json.dumps(run(parser.parse_args().quick)))


if __name__ == "__main__":
    main()
