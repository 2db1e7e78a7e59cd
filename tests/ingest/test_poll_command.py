"""tallywire poll --once against a running pipeline: feed articles end in ClickHouse, then it exits."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from tests.e2e.cli_runner import free_port, sql_rows, start_tallywire, tallywire, wait_for_queries, wait_until
from tests.e2e.test_metrics import metric
from tests.ingest.feed_server import FeedSite

pytestmark = pytest.mark.e2e


def test_poll_once_pushes_new_articles_and_waits_until_they_are_stored(tmp_path: Path) -> None:
    site = FeedSite()
    registry = tmp_path / "feeds.yaml"
    registry.write_text(f"- name: site-rss\n  url: {site.url('/rss.xml')}\n  language: de\n"
                        f"- name: site-atom\n  url: {site.url('/atom.xml')}\n  language: de\n")
    data_dir = tmp_path / "data"
    env = {"TALLYWIRE_FETCH_ALLOW": "127.0.0.1", "TALLYWIRE_PER_HOST_DELAY_S": "0"}
    running = start_tallywire(data_dir, "run", **env)
    try:
        wait_for_queries(running, data_dir)
        done = tallywire(data_dir, "poll", "--feeds", str(registry), "--once", **env)
        assert done.returncode == 0, done.stderr
        assert "3 new articles" in done.stdout and "all 3 new articles are stored" in done.stdout
        rows = sql_rows(data_dir, "SELECT source, title FROM articles ORDER BY title")
        assert [(r["source"], r["title"]) for r in rows] == [("site-rss", "a1"), ("site-rss", "a2"), ("site-atom", "a3")]
        again = tallywire(data_dir, "poll", "--feeds", str(registry), "--once", **env)
        assert "0 new articles" in again.stdout
    finally:
        assert running.stop() == 0, running.output
        site.close()


def test_a_polling_poller_answers_health_and_counts_what_it_pushed(tmp_path: Path) -> None:
    """Compose's healthcheck asks the poller's /health like every other tallywire process's."""
    site = FeedSite()
    registry = tmp_path / "feeds.yaml"
    registry.write_text(f"- name: site-rss\n  url: {site.url('/rss.xml')}\n  language: de\n")
    data_dir = tmp_path / "data"
    env = {"TALLYWIRE_FETCH_ALLOW": "127.0.0.1", "TALLYWIRE_PER_HOST_DELAY_S": "0"}
    running = start_tallywire(data_dir, "run", **env)
    port = free_port()
    poller = None
    try:
        wait_for_queries(running, data_dir)
        poller = start_tallywire(data_dir, "poll", "--feeds", str(registry), **env, TALLYWIRE_METRICS_PORT=str(port))
        base = f"http://127.0.0.1:{port}"

        def pushed_both() -> bool:
            try:
                text = urllib.request.urlopen(f"{base}/metrics", timeout=5).read().decode()
                return metric(text, "tallywire_messages_produced_total", topic="raw-articles.v1") == 2
            except (OSError, AssertionError):
                return False

        wait_until(lambda: pushed_both() or not poller.alive(), 90, "the poller's /metrics counting 2 raw articles")
        assert poller.alive(), poller.output
        assert urllib.request.urlopen(f"{base}/health", timeout=5).status == 200
    finally:
        if poller is not None:
            assert poller.stop() in (0, 130), poller.output
        assert running.stop() == 0, running.output
        site.close()
