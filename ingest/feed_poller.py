"""Poll feeds: find new entries, fetch and extract their pages, and hand raw articles to an outlet.

Per feed the poller keeps, in a JSON file in the data directory, the ETag and Last-Modified of the
last answer (a 304 costs no parsing), the consecutive failures and when to poll next: a feed that keeps
failing is polled at exponentially longer intervals, never hammered. Every failure is logged once and
becomes a dead letter with its reason; the poller goes on with the next feed.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

import feedparser
import lxml.etree
import lxml.html

from ingest.article_extractor import extract_article
from ingest.feed_registry import Feed
from ingest.language_guess import guess_language
from ingest.page_fetcher import FetchError, PageFetcher
from ingest.text_cleanup import clean_text
from ingest.url_canon import article_id_for, canonical_url
from tallywire.topics import DeadLetter, RawArticle, utcnow

log = logging.getLogger(__name__)

FEED_TYPES = ("xml", "rss", "atom", "rdf")
PAGE_TYPES = ("html", "xhtml")
MAX_BACKOFF_FACTOR = 64
# An entity declaration as it looks in each encoding feedparser reads a feed in without an ASCII
# prolog (byte order marks, EBCDIC): looking for the ASCII bytes alone lets a UTF-16 billion laughs through.
_ENTITY_DECLARATIONS = tuple(
    {"<!ENTITY".encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "cp037")}
)


def declares_entities(body: bytes) -> bool:
    """Whether a feed declares XML entities, in any encoding feedparser would read it in."""
    return any(declaration in body for declaration in _ENTITY_DECLARATIONS)


class ArticleOutlet(Protocol):
    def seen(self, article_id: str) -> bool: ...
    def publish(self, raw: RawArticle) -> None: ...
    def dead_letter(self, letter: DeadLetter) -> None: ...


@dataclass
class FeedState:
    etag: str = ""
    last_modified: str = ""
    failures: int = 0
    next_poll: float = 0.0  # epoch seconds


@dataclass
class PollSummary:
    feeds: int = 0
    not_modified: int = 0
    new_articles: int = 0
    failures: int = 0
    published_ids: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"polled {self.feeds} feeds ({self.not_modified} unchanged): "
                f"{self.new_articles} new articles, {self.failures} failures")


class FeedPoller:
    def __init__(self, feeds: list[Feed], fetcher: PageFetcher, outlet: ArticleOutlet, state_path: Path) -> None:
        self.feeds, self.fetcher, self.outlet, self.state_path = feeds, fetcher, outlet, state_path
        self.state = self._load_state()

    def poll_once(self, only_due: bool = False) -> PollSummary:
        summary = PollSummary()
        for feed in self.feeds:
            state = self.state.setdefault(feed.name, FeedState())
            if only_due and time.time() < state.next_poll:
                continue
            summary.feeds += 1
            self._poll_feed(feed, state, summary)
            self._save_state()
        return summary

    def _poll_feed(self, feed: Feed, state: FeedState, summary: PollSummary) -> None:
        try:
            fetched = self.fetcher.fetch(feed.url, state.etag, state.last_modified, accept=FEED_TYPES)
        except FetchError as exc:
            self._feed_failed(feed, state, summary, exc.reason, exc.retry_after_s)
            return
        if fetched.not_modified:
            summary.not_modified += 1
            self._feed_ok(feed, state)
            return
        if declares_entities(fetched.body):
            # Entity declarations are how entity expansion (billion laughs) and external entities attack
            # a parser; no real feed needs them.
            self._feed_failed(feed, state, summary, "feed declares XML entities: refused", None, fetched.body)
            return
        parsed = feedparser.parse(fetched.body, response_headers={"content-type": fetched.content_type or "application/xml"})
        if parsed.bozo and not parsed.entries:
            self._feed_failed(feed, state, summary, f"malformed feed: {parsed.get('bozo_exception')}", None, fetched.body)
            return
        state.etag, state.last_modified = fetched.etag, fetched.last_modified
        self._feed_ok(feed, state)
        for entry in parsed.entries:
            self._take_entry(feed, entry, summary)

    def _take_entry(self, feed: Feed, entry: dict, summary: PollSummary) -> None:
        link = entry.get("link")
        if not link:
            return
        if self.outlet.seen(article_id_for(link)):
            return
        try:
            page = self.fetcher.fetch(link, accept=PAGE_TYPES)
        except FetchError as exc:
            self._dead_letter("fetcher", exc.reason, link, summary)
            return
        extracted = extract_article(page.body, page.url)
        text = extracted.text or clean_text(_entry_text(entry))
        if not text.strip():
            self._dead_letter("fetcher", "no article text in the page or the feed entry", link, summary, page.body[:4096])
            return
        url = canonical_url(extracted.canonical_url or page.url or link)
        article_id = article_id_for(url)
        if article_id != article_id_for(link) and self.outlet.seen(article_id):
            return
        raw = RawArticle(
            article_id=article_id, url=url, source=feed.name, title=extracted.title or entry.get("title", ""),
            author=extracted.author or entry.get("author", ""), text=text,
            lang=feed.language or extracted.language or guess_language(text),
            published_at=_published(entry, extracted.date), fetched_at=utcnow(), origin="feed", feed=feed.name,
        )
        self.outlet.publish(raw)
        summary.new_articles += 1
        summary.published_ids.append(article_id)

    def _feed_ok(self, feed: Feed, state: FeedState) -> None:
        state.failures = 0
        state.next_poll = time.time() + feed.interval_s

    def _feed_failed(self, feed: Feed, state: FeedState, summary: PollSummary, reason: str,
                     retry_after_s: float | None, payload: bytes = b"") -> None:
        state.failures += 1
        backoff = feed.interval_s * min(2 ** (state.failures - 1), MAX_BACKOFF_FACTOR)
        state.next_poll = time.time() + max(backoff, retry_after_s or 0.0)
        self._dead_letter("poller", f"feed {feed.name}: {reason}", feed.url, summary, payload[:4096])

    def _dead_letter(self, stage: str, reason: str, url: str, summary: PollSummary, payload: bytes = b"") -> None:
        summary.failures += 1
        log.warning("%s: %s (%s)", stage, reason, url)
        self.outlet.dead_letter(DeadLetter.of(stage, reason, payload, url=url))

    def _load_state(self) -> dict[str, FeedState]:
        try:
            return {name: FeedState(**state) for name, state in json.loads(self.state_path.read_text()).items()}
        except (OSError, ValueError, TypeError):
            return {}

    def _save_state(self) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps({name: asdict(state) for name, state in self.state.items()}))
        temporary.replace(self.state_path)


def _entry_text(entry: dict) -> str:
    """The feed's own text of an entry (content, else summary), tags removed: the fallback for a page
    in which trafilatura finds no article."""
    content = entry.get("content") or []
    html = content[0].get("value", "") if content else entry.get("summary", "")
    if not html.strip():
        return ""
    try:
        return lxml.html.fromstring(html).text_content()
    except (lxml.etree.ParserError, ValueError):
        return ""


def _published(entry: dict, extracted_date: str) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return datetime(*parsed[:6], tzinfo=timezone.utc)
    try:
        return datetime.fromisoformat(extracted_date).replace(tzinfo=timezone.utc) if extracted_date else None
    except ValueError:
        return None
