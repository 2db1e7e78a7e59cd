"""A news site on 127.0.0.1 for the HTML benchmarks: synthetic articles saved as news-sized pages in a
folder, one RSS feed listing them, served by a threaded HTTP server.

The pages are the size and shape of a news site's (about 45 KB): the article inside menus, teasers, a
cookie banner, tracking scripts and a long footer, which is what extraction has to cut away.
"""

from __future__ import annotations

import email.utils
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.sax.saxutils import escape

from tallywire.testkit.synthetic_news import SyntheticArticle

FEED_NAME = "feed.xml"


def page_html(title: str, text: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in text.split("\n"))
    menu = "".join(f'<li><a href="/ressort/{i}">Ressort {i}</a></li>' for i in range(120))
    teasers = "".join(
        f'<div class="teaser"><a href="/artikel/{i}"><img src="/img/{i}.jpg" alt="Bild {i}">'
        f"<h3>Weitere Meldung Nummer {i} aus aller Welt</h3><p>Kurzer Anreißer zur Meldung {i}.</p></a></div>"
        for i in range(60)
    )
    script = '<script type="application/ld+json">' + '{"@type":"NewsArticle","k":"' + "x" * 20000 + '"}</script>'
    footer = "".join(f'<a href="/service/{i}">Service-Link {i}</a> ' for i in range(150))
    return (f"<html><head><title>{escape(title)}</title>{script}</head><body><header><ul>{menu}</ul></header>"
            f'<div class="cookie">Wir verwenden Cookies. <button>Akzeptieren</button></div><main>'
            f"<article><h1>{escape(title)}</h1>{paragraphs}</article>"
            f'<aside>{teasers}</aside></main><footer>{footer}</footer></body></html>').encode("utf-8")


def save_pages(articles: list[SyntheticArticle], folder: Path) -> dict[str, bytes]:
    """Each article as ``<name>.html`` in ``folder``; returns {file name: page bytes}."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = {}
    for article in articles:
        body = page_html(article.name, article.text)
        (folder / f"{article.name}.html").write_bytes(body)
        pages[f"{article.name}.html"] = body
    return pages


def feed_xml(articles: list[SyntheticArticle], base_url: str) -> str:
    """An RSS feed listing each article's page, ``<base_url>/<name>.html``."""
    items = "".join(
        f"<item><title>{article.name}</title><link>{base_url}/{article.name}.html</link>"
        f"<pubDate>{email.utils.format_datetime(article.published_at)}</pubDate></item>"
        for article in articles
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>bench</title>{items}</channel></rss>'


def save_feed(articles: list[SyntheticArticle], folder: Path, base_url: str) -> None:
    (folder / FEED_NAME).write_text(feed_xml(articles, base_url), encoding="utf-8")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class NewsSite:
    """Serves ``folder`` on 127.0.0.1 until ``close``."""

    def __init__(self, folder: Path) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(folder)))
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
