"""Polling news pages that are not about conflict raises no alert (issue 20, "Done when").

The pages in tests/data/non_conflict_pages are reviews, sports, business, elections, science and
culture, in German and English, full of numbers that are no figures: scores, crowds, prices, votes,
staff, and the armies of video games and films. They are served from 127.0.0.1 with one RSS feed
(German) and one Atom feed (English), polled once by the real ``tallywire poll`` into a running
pipeline; once every stage has handled them, the alerts table must be empty.
"""

from __future__ import annotations

import html
import re
import shutil
import urllib.request
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest

from bench.news_site import NewsSite
from tallywire.core.errors import INTERRUPTED
from tests.conftest import REPO
from tallywire.testkit.cli_runner import count, free_port, sql_rows, start_tallywire, tallywire, wait_for_queries, wait_until
from tests.e2e.test_metrics import metric
from tests.e2e.test_poison_messages import CONSUMERS

pytestmark = pytest.mark.e2e

PAGES = REPO / "tests" / "data" / "non_conflict_pages"
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
PUBLISHED = re.compile(r'<meta property="article:published_time" content="([^"]+)"')
# What the report shows of a figure or an alert: enough to see why it is no figure.
SERIES = "replaceRegexpOne(url, '.*/', '') AS page, value, category, force, location, status, sentence"


def page_entries(lang: str) -> list[tuple[str, str, datetime]]:
    """(file name, title, published) of the pages in ``lang``: the file name starts with the language."""
    entries = []
    for path in sorted(PAGES.glob(f"{lang}-*.html")):
        page = path.read_text(encoding="utf-8")
        title = escape(html.unescape(TITLE.search(page).group(1).strip()))  # an HTML entity is no XML entity
        entries.append((path.name, title, datetime.fromisoformat(PUBLISHED.search(page).group(1))))
    return entries


def rss_feed(base: str, entries: list[tuple[str, str, datetime]]) -> str:
    items = "".join(f"<item><title>{title}</title><link>{base}/pages/{name}</link>"
                    f"<pubDate>{format_datetime(published)}</pubDate></item>" for name, title, published in entries)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Nachrichten</title>{items}</channel></rss>'


def atom_feed(base: str, entries: list[tuple[str, str, datetime]]) -> str:
    items = "".join(f"<entry><title>{title}</title><link href={quoteattr(f'{base}/pages/{name}')}/>"
                    f"<id>{base}/pages/{name}</id><updated>{published.isoformat()}</updated></entry>"
                    for name, title, published in entries)
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>{items}</feed>'


def described(row: dict) -> str:
    """A figure or alert as an analyst reads it: its page, value, series and the sentence it came from."""
    return (f"{row['page']}: {float(row['value']):,.10g} {row['category']} / {row['force'] or '?'} / "
            f"{row['location'] or '?'} ({row['status']}) {row['sentence']!r}")


def drained(metrics_url: str, articles: int) -> bool:
    """Every stage of the pipeline has handled all the poller's articles and everything made from them.
    Counts, not consumer lag: the embedded broker reports end offsets a batch low (tallywire.core.progress)."""
    try:
        text = urllib.request.urlopen(metrics_url, timeout=5).read().decode()
    except OSError:
        return False

    def counted(name: str, **labels: str) -> float:
        try:
            return metric(text, name, **labels)
        except AssertionError:  # a counter appears with its first message
            return 0.0

    for topic, stages in CONSUMERS.items():
        # The raw articles were produced by the poller's process, not by the one serving these metrics.
        produced = articles if topic == "raw-articles.v1" else counted("tallywire_messages_produced_total", topic=topic)
        if any(counted("tallywire_messages_handled_total", stage=stage, topic=topic) < produced for stage in stages):
            return False
    return counted("tallywire_messages_handled_total", stage="sink", topic="articles.v1") >= articles


def test_polling_non_conflict_pages_raises_no_alert(tmp_path: Path) -> None:
    site_folder = tmp_path / "site"
    shutil.copytree(PAGES, site_folder / "pages")
    site = NewsSite(site_folder)
    german, english = page_entries("de"), page_entries("en")
    (site_folder / "de.xml").write_text(rss_feed(site.base, german), encoding="utf-8")
    (site_folder / "en.xml").write_text(atom_feed(site.base, english), encoding="utf-8")
    registry = tmp_path / "feeds.yaml"
    registry.write_text(f"- name: pages-de\n  url: {site.url('de.xml')}\n  language: de\n"
                        f"- name: pages-en\n  url: {site.url('en.xml')}\n  language: en\n")
    total = len(german) + len(english)
    assert total >= 50, "the issue asks for 50 or more pages"
    data_dir = tmp_path / "data"
    port = free_port()
    env = {"TALLYWIRE_FETCH_ALLOW": "127.0.0.1", "TALLYWIRE_PER_HOST_DELAY_S": "0"}
    running = start_tallywire(data_dir, "run", **env, TALLYWIRE_METRICS_PORT=str(port))
    try:
        wait_for_queries(running, data_dir)
        done = tallywire(data_dir, "poll", "--feeds", str(registry), "--once", timeout=150, **env)
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"all {total} new articles are stored" in done.stdout, done.stdout
        wait_until(lambda: drained(f"http://127.0.0.1:{port}/metrics", total), 60, "every stage to handle the pages")

        figures = sql_rows(data_dir, f"SELECT {SERIES} FROM figures ORDER BY page, span_start")
        alerts = sql_rows(data_dir, f"SELECT {SERIES} FROM alerts ORDER BY page, value")
        letters = sql_rows(data_dir, "SELECT stage, reason, url FROM dead_letters")
        report = "\n".join([f"{len(alerts)} alerts:", *map(described, alerts), f"{len(figures)} figures:",
                            *map(described, figures), f"{len(letters)} dead letters:", *map(str, letters)])
        print(report)
        assert count(data_dir, "SELECT uniqExact(article_id) AS n FROM articles") == total
        assert alerts == [], report
        # Issue 20: "a game review, a sports report or a company's layoffs yields none".
        assert figures == [], report
        # A dead letter means a page's figures were lost, so its lack of alerts would prove nothing.
        assert letters == [], report
    finally:
        assert running.stop() == INTERRUPTED, running.output
        site.close()
