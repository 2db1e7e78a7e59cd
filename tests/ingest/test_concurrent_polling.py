"""The poller's pool against 20 real HTTP servers on 127.0.0.1, and every feed entry's fate counted."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ingest.article_size import SizeLimits
from ingest.feed_poller import FeedPoller, PollLimits
from ingest.feed_registry import Feed
from ingest.page_fetcher import PageFetcher
from tallywire.core.progress import Progress
from tallywire.core.topics import DeadLetter, RawArticle
from tests.ingest.feed_server import FeedSite, page

HOSTS, PAGES, ANSWER_S, DELAY_S = 20, 10, 0.2, 0.05


class Outlet:
    def __init__(self) -> None:
        self.published: list[RawArticle] = []
        self.letters: list[DeadLetter] = []
        self._ids: set[str] = set()
        self._lock = threading.Lock()

    def seen(self, article_id: str) -> bool:
        return article_id in self._ids

    def publish(self, raw: RawArticle, wait: bool = False) -> None:  # noqa: ARG002 - recorded at once
        with self._lock:
            self._ids.add(raw.article_id)
            self.published.append(raw)

    def dead_letter(self, letter: DeadLetter) -> None:
        self.letters.append(letter)


class SlowHost:
    """One host (its own port): a feed of PAGES entries, each page answered after ANSWER_S; it counts the
    requests it serves at once and when each began."""

    def __init__(self, n: int) -> None:
        self.in_flight = self.most_in_flight = 0
        self.started: list[float] = []
        lock, host = threading.Lock(), self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                with lock:
                    host.in_flight += 1
                    host.most_in_flight = max(host.most_in_flight, host.in_flight)
                    host.started.append(time.monotonic())
                try:
                    host.answer(self)
                finally:
                    with lock:
                        host.in_flight -= 1

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.n = n
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path == "/feed.xml":
            items = "".join(f"<item><title>h{self.n}p{i}</title><link>{self.base}/p{i}.html</link></item>"
                            for i in range(PAGES))
            body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
            return FeedSite._send(handler, 200, body, "application/rss+xml")
        if handler.path.startswith("/p"):
            time.sleep(ANSWER_S)
            name = f"h{self.n}{handler.path.strip('/').removesuffix('.html')}"
            return FeedSite._send(handler, 200, page(name, "8.000"), "text/html")
        return FeedSite._send(handler, 404, b"", "text/plain")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hosts() -> Iterator[list[SlowHost]]:
    started = [SlowHost(n) for n in range(HOSTS)]
    yield started
    for host in started:
        host.close()


def limits(concurrency: int) -> PollLimits:
    return PollLimits(max_entries=100, feed_budget_s=300.0, entry_attempts=1,
                      sizes=SizeLimits(max_message_bytes=1_000_000, max_article_chars=100_000), concurrency=concurrency)


def poll_all(hosts: list[SlowHost], state: Path, concurrency: int) -> tuple[float, Outlet]:
    feeds = [Feed(name=f"h{host.n}", url=f"{host.base}/feed.xml", language="de", interval_s=60) for host in hosts]
    fetcher = PageFetcher("tallywire-test", timeout_s=30, max_bytes=2 * 1024 * 1024, max_redirects=3,
                          per_host_delay_s=DELAY_S, allow=["127.0.0.1"], deadline_s=30, robots_cache_s=86400)
    outlet = Outlet()
    try:
        started = time.monotonic()
        summary = FeedPoller(feeds, fetcher, outlet, state, limits(concurrency)).poll_once()
        elapsed = time.monotonic() - started
    finally:
        fetcher.close()
    assert summary.new_articles == HOSTS * PAGES == len(outlet.published), summary.line()
    return elapsed, outlet


@pytest.mark.e2e  # polls the 20 slow hosts twice, sequentially first: a minute, the full suite's, not the fast tier's
@pytest.mark.timeout(180)
def test_a_pool_of_8_polls_20_slow_hosts_5_times_faster_and_each_host_serves_one_request_at_a_time(
        hosts: list[SlowHost], tmp_path: Path) -> None:
    sequential, _ = poll_all(hosts, tmp_path / "one.json", concurrency=1)
    for host in hosts:
        host.started.clear()
    concurrent, _ = poll_all(hosts, tmp_path / "eight.json", concurrency=8)
    assert sequential / concurrent >= 5, (sequential, concurrent)
    assert max(host.most_in_flight for host in hosts) == 1
    # The per-host pause holds as the server sees it: each request (robots.txt, feed, pages) begins at least
    # DELAY_S after the one before it, and after its answer.
    gaps = [later - earlier for host in hosts for earlier, later in zip(host.started, host.started[1:])]
    assert min(gaps) >= DELAY_S, min(gaps)
    print(f"20 hosts x 10 pages of {ANSWER_S} s: sequential {sequential:.1f} s, 8 at once {concurrent:.1f} s, "
          f"{sequential / concurrent:.1f}x")


def test_every_entry_is_stored_a_duplicate_or_a_dead_letter_and_the_counts_add_up(tmp_path: Path) -> None:
    site = FeedSite()
    try:
        stored = site.serve("/n/one.html", page("one", "3.000"))
        site.serve("/n/two.html", page("two", "4.000"))
        # Its canonical URL is the first article's: a duplicate found only once the page is read.
        site.serve("/n/copy.html", page("one", "3.000").replace(b"/articles/one.html", stored.encode()))
        links = [stored, site.url("/n/two.html"), stored, site.url("/n/copy.html"), site.url("/n/missing.html"), ""]
        items = "".join(f"<item><title>e{i}</title><link>{link}</link></item>" for i, link in enumerate(links))
        site.serve("/fates.xml", f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode(),
                   "application/rss+xml")
        fetcher = PageFetcher("tallywire-test", timeout_s=30, max_bytes=2 * 1024 * 1024, max_redirects=3,
                              per_host_delay_s=0.0, allow=["127.0.0.1"], deadline_s=30, robots_cache_s=86400)
        outlet, progress = Outlet(), Progress()
        polling = FeedPoller([Feed(name="fates", url=site.url("/fates.xml"), language="de", interval_s=60)], fetcher,
                             outlet, tmp_path / "state.json", limits(8), progress)
        first, second = polling.poll_once(), polling.poll_once()
        fetcher.close()
    finally:
        site.close()
    counts = [(s.entries, s.new_articles, s.duplicates, s.dead_entries) for s in (first, second)]
    # Two stored; the repeated link and the copy are duplicates; the missing page and the linkless entry
    # are dead letters, sent once: the second poll knows all six.
    assert counts == [(6, 2, 2, 2), (6, 0, 4, 2)]
    for summary in (first, second):
        assert summary.new_articles + summary.duplicates + summary.dead_entries == summary.entries
        assert summary.deferred == summary.retrying == 0
    assert sorted(letter.reason for letter in outlet.letters) == ["HTTP 404", "feed entry without a link"]
    assert "6 entries: 2 stored, 2 duplicates, 2 dead letters" in first.line()
    assert "(12 entries: 6 duplicates, 4 dead letters)" in progress.line()  # tallywire run's line, both polls
