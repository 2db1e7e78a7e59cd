"""``tallywire run --feeds FILE``: one process polls a local news site of 200 articles and processes them.

Killed with SIGKILL in the middle and started again, it fetches no page twice and stores every article,
figure and alert once; Ctrl-C stops it cleanly; a last ``--until-idle`` run polls each feed and finds
nothing new. The site counts requests and answers per path. To kill at a known point, it holds one
article request unanswered until the kill: that page is asked for again by the restart, and answered
once. (A kill between a page's answer and its journal record, some milliseconds of extraction and
acknowledgement, would fetch that page again on the next start: nothing is lost, one page is fetched twice.)
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench.news_site import feed_xml, page_html
from tallywire.testkit.synthetic_news import SyntheticArticle, synthetic_articles
from ingest.article_journal import ArticleJournal
from processors.figure_extractor import extract_figures
from processors.figures_agent import figure_id
from tallywire.core.errors import INTERRUPTED
from tallywire.testkit.cli_runner import (
    count, doubled_ids, kill_hard, sql_rows, start_tallywire, tallywire, wait_for_queries, wait_until,
)

pytestmark = pytest.mark.e2e

ARTICLES = 200
PER_FEED = 50  # under the poll's cap of entries per feed (100), so one poll takes a whole feed
HOLD_AT = 120  # the article request the site holds unanswered until the test has killed the pipeline
ENV = {
    "TALLYWIRE_FETCH_ALLOW": "127.0.0.1", "TALLYWIRE_PER_HOST_DELAY_S": "0", "TALLYWIRE_PROGRESS_INTERVAL_S": "1",
    # The held request must still be waiting when the test kills the pipeline.
    "TALLYWIRE_FETCH_TIMEOUT_S": "300", "TALLYWIRE_FETCH_DEADLINE_S": "300",
}


class CountingNewsSite:
    """Article pages and RSS feeds of at most PER_FEED articles of one language, on 127.0.0.1."""

    def __init__(self, articles: list[SyntheticArticle]) -> None:
        self.pages = {f"/{article.name}.html": page_html(article.name, article.text) for article in articles}
        self.requested: Counter[str] = Counter()
        self.answered: Counter[str] = Counter()
        self.held = ""
        self.holding, self.released = threading.Event(), threading.Event()
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                site.answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.feeds: dict[str, tuple[str, bytes]] = {}
        for lang in ("de", "en"):
            of_lang = [article for article in articles if article.lang == lang]
            for start in range(0, len(of_lang), PER_FEED):
                xml = feed_xml(of_lang[start:start + PER_FEED], self.base)
                self.feeds[f"/{lang}-{start // PER_FEED}.xml"] = (lang, xml.encode("utf-8"))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def registry(self, path: Path) -> Path:
        # An interval longer than the test: a feed is polled again only if its last poll did not finish.
        path.write_text("".join(f"- name: site{feed.removesuffix('.xml').replace('/', '-')}\n  url: {self.base}{feed}\n"
                                f"  language: {lang}\n  interval: 3600\n" for feed, (lang, _) in self.feeds.items()))
        return path

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.requested[path] += 1
            hold = path in self.pages and not self.held and sum(self.requested[p] for p in self.pages) == HOLD_AT
            if hold:
                self.held = path
        if hold:
            self.holding.set()
            self.released.wait(300)
            handler.close_connection = True
            return  # never answered: the client that asked is gone
        if path in self.pages:
            body, content_type = self.pages[path], "text/html; charset=utf-8"
        elif path in self.feeds:
            body, content_type = self.feeds[path][1], "application/rss+xml"
        else:
            handler.send_error(404)
            return
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        with self._lock:
            self.answered[path] += 1

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def test_run_feeds_killed_and_restarted_fetches_no_page_twice_and_stores_everything_once(tmp_path: Path) -> None:
    site = CountingNewsSite(list(synthetic_articles(ARTICLES, seed=53)))
    registry = site.registry(tmp_path / "feeds.yaml")
    data_dir = tmp_path / "data"
    articles_sql = "SELECT count() AS n FROM articles"
    started = time.monotonic()
    try:
        first = start_tallywire(data_dir, "run", "--feeds", str(registry), **ENV)
        try:
            assert site.holding.wait(120), first.output
            kill_hard(first)  # at once: the article before the held one cannot be stored yet
        finally:
            if first.alive():
                kill_hard(first)
        stored_at_kill = count(data_dir, articles_sql)  # with no pipeline running, sql opens chDB itself
        print(f"killed with {HOLD_AT - 1} pages answered, {stored_at_kill} articles stored, the rest in flight")
        assert stored_at_kill < HOLD_AT - 1, "the pipeline was not in the middle of its work"
        assert "feeds polled" in first.output, first.output

        second = start_tallywire(data_dir, "run", "--feeds", str(registry), **ENV)
        try:
            wait_for_queries(second, data_dir)
            wait_until(lambda: count(data_dir, articles_sql) >= ARTICLES or not second.alive(), 120, "every article")
        finally:
            assert second.stop() == INTERRUPTED, second.output  # Ctrl-C
        assert f"{ARTICLES - (HOLD_AT - 1)} new articles" in second.output.rsplit("progress: ", 1)[1], second.output

        last = tallywire(data_dir, "run", "--feeds", str(registry), "--until-idle", **ENV)
        assert last.returncode == 0, last.stdout + last.stderr
        assert f"progress: {len(site.feeds)} feeds polled, 0 new articles" in last.stdout, last.stdout
    finally:
        site.close()
    elapsed = time.monotonic() - started

    # No page fetched twice: each answered once; the one held at the kill was asked for again.
    pages_requested = {path: n for path, n in site.requested.items() if path in site.pages}
    assert pages_requested == {path: 2 if path == site.held else 1 for path in site.pages}
    assert {path: n for path, n in site.answered.items() if path in site.pages} == dict.fromkeys(site.pages, 1)

    # Every article, figure and alert stored once.
    assert doubled_ids(data_dir) == {}
    assert count(data_dir, "SELECT uniqExact(article_id) AS n FROM articles") == ARTICLES
    journal = ArticleJournal(data_dir / "journal" / "raw-articles.jsonl")
    try:
        raws = list(journal.replay())
    finally:
        journal.close()
    assert len(raws) == ARTICLES
    expected = {figure_id(raw.article_id, found) for raw in raws for found in extract_figures(raw.text, raw.lang)}
    assert {row["figure_id"] for row in sql_rows(data_dir, "SELECT figure_id FROM figures")} == expected
    assert count(data_dir, "SELECT count() AS n FROM alerts") >= 1
    print(f"{len(site.feeds)} feeds, {ARTICLES} pages, {len(expected)} figures, {elapsed:.0f} s in all")
    assert elapsed < 180
