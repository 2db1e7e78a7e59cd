"""tallywire poll --once against a running pipeline: feed articles end in ClickHouse, then it exits."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tallywire.core.errors import INTERRUPTED, SOME_INPUTS_FAILED
from tallywire.testkit.cli_runner import free_port, sql_rows, start_tallywire, tallywire, wait_for_queries, wait_until
from tests.e2e.test_metrics import metric
from tests.ingest.feed_server import CRAFTED_LINKS, FeedSite

pytestmark = pytest.mark.e2e
ENV = {"TALLYWIRE_FETCH_ALLOW": "127.0.0.1", "TALLYWIRE_PER_HOST_DELAY_S": "0"}


@contextmanager
def site_and_pipeline(tmp_path: Path, *feeds: tuple[str, str]) -> Iterator[tuple[FeedSite, Path, Path]]:
    """The feed site, a registry of its ``(name, path)`` feeds and the data directory of a running pipeline."""
    site = FeedSite()
    registry = tmp_path / "feeds.yaml"
    registry.write_text("".join(f"- name: {name}\n  url: {site.url(path)}\n  language: de\n" for name, path in feeds))
    data_dir = tmp_path / "data"
    running = start_tallywire(data_dir, "run", **ENV)
    try:
        wait_for_queries(running, data_dir)
        yield site, registry, data_dir
    finally:
        assert running.stop() == INTERRUPTED, running.output
        site.close()


def test_poll_once_pushes_new_articles_and_waits_until_they_are_stored(tmp_path: Path) -> None:
    with site_and_pipeline(tmp_path, ("site-rss", "/rss.xml"), ("site-atom", "/atom.xml")) as (_, registry, data_dir):
        done = tallywire(data_dir, "poll", "--feeds", str(registry), "--once", **ENV)
        assert done.returncode == 0, done.stderr
        assert "3 new articles" in done.stdout and "all 3 new articles are stored" in done.stdout
        rows = sql_rows(data_dir, "SELECT source, title FROM articles ORDER BY title")
        assert [(r["source"], r["title"]) for r in rows] == [("site-rss", "a1"), ("site-rss", "a2"), ("site-atom", "a3")]
        again = tallywire(data_dir, "poll", "--feeds", str(registry), "--once", **ENV)
        assert "0 new articles" in again.stdout


def test_a_polling_poller_answers_health_and_counts_what_it_pushed(tmp_path: Path) -> None:
    """Compose's healthcheck asks the poller's /health like every other tallywire process's."""
    port = free_port()
    with site_and_pipeline(tmp_path, ("site-rss", "/rss.xml")) as (_, registry, data_dir):
        poller = start_tallywire(data_dir, "poll", "--feeds", str(registry), **ENV, TALLYWIRE_METRICS_PORT=str(port))
        base = f"http://127.0.0.1:{port}"

        def pushed_both() -> bool:
            try:
                text = urllib.request.urlopen(f"{base}/metrics", timeout=5).read().decode()
                return metric(text, "tallywire_messages_produced_total", topic="raw-articles.v1") == 2
            except (OSError, AssertionError):
                return False

        try:
            wait_until(lambda: pushed_both() or not poller.alive(), 90, "the poller's /metrics counting 2 raw articles")
            assert poller.alive(), poller.output
            with urllib.request.urlopen(f"{base}/health", timeout=5) as health:
                assert health.status == 200
        finally:
            assert poller.stop() == INTERRUPTED, poller.output


def test_crafted_links_and_a_page_too_large_become_dead_letters_and_the_poll_goes_on(tmp_path: Path) -> None:
    """Each of these links once stopped `tallywire poll`, and every restart stopped on it again; the 4.4 MB
    page failed it with MessageSizeTooLargeError. Later entries and feeds were never polled."""
    feeds = ("site-crafted", "/crafted.xml"), ("site-atom", "/atom.xml")
    with site_and_pipeline(tmp_path, *feeds) as (site, registry, data_dir):
        done = tallywire(data_dir, "poll", "--feeds", str(registry), "--once", **ENV)
        assert done.returncode == SOME_INPUTS_FAILED, done.stderr
        assert "2 new articles, 5 failures" in done.stdout and "all 2 new articles are stored" in done.stdout
        rows = sql_rows(data_dir, "SELECT source, title FROM articles ORDER BY title")
        assert [(r["source"], r["title"]) for r in rows] == [("site-atom", "a3"), ("site-crafted", "good")]
        letters_sql = "SELECT url, reason, payload_bytes FROM dead_letters WHERE stage = 'fetcher' ORDER BY url"
        wait_until(lambda: len(sql_rows(data_dir, letters_sql)) == 5, 60, "five dead letters stored")
        letters = {row["url"]: row for row in sql_rows(data_dir, letters_sql)}
        assert set(letters) == {*CRAFTED_LINKS, site.url("/articles/huge-text.html")}
        assert all(letters[link]["reason"].startswith("invalid URL: ") for link in CRAFTED_LINKS)
        huge = letters[site.url("/articles/huge-text.html")]
        assert "exceeds the message limit" in huge["reason"] and int(huge["payload_bytes"]) > 4_400_000
        again = tallywire(data_dir, "poll", "--feeds", str(registry), "--once", **ENV)
        assert again.returncode == 0 and "0 new articles, 0 failures" in again.stdout  # each dead-lettered once
