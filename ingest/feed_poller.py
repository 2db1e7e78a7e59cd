"""Poll feeds: find new entries, fetch and extract their pages, and hand raw articles to an outlet.

Per feed the poller keeps, in ``feed-state.json`` in its data directory, the ETag and Last-Modified
of the last answer (a 304 costs no parsing), the consecutive failures and when to poll next (a feed
that keeps failing is polled at exponentially longer intervals, never hammered), and the entry links
it is done with (so that an entry whose page failed for good is not fetched again every poll).
The outlet's ``seen`` is the authority on what was published: a new poller on the same outlet pushes
no article twice, even without its state file.

Every failure is logged once, with feed and URL, and becomes a dead letter with its reason; the
poller goes on with the next entry or feed. Feeds are polled in a few threads at once (they wait on
the network, not the CPU); the fetcher keeps each host's requests apart.
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import ParseError
from xml.sax import SAXException

import defusedxml
import defusedxml.ElementTree
import feedparser
from feedparser.exceptions import CharacterEncodingUnknown

from ingest.article_extractor import ExtractedArticle, extract_article
from ingest.feed_registry import Feed
from ingest.page_fetcher import Fetched, IngestError, PageFetcher
from ingest.url_canon import article_id_for, canonical_url, preferred_url
from tallywire.topics import DeadLetter, RawArticle, utcnow

log = logging.getLogger(__name__)

STATE_FILE = "feed-state.json"
# Feeds are served under many types, HTML included; feedparser tells a feed from something else.
FEED_TYPES = ("xml", "rss", "atom", "rdf", "html", "text/plain", "octet-stream")
PAGE_TYPES = ("html",)
MAX_BACKOFF_FACTOR = 64
REMEMBERED_LINKS = 1000  # per feed; far more than the entries a feed lists at once


class MalformedFeed(IngestError):
    """The feed's bytes are not a feed that can be read (or safely parsed)."""

    stage = "poller"


class ArticleOutlet(Protocol):
    """Where the poller delivers. ``seen`` must hold every article ever published, across restarts."""

    def seen(self, article_id: str) -> bool: ...
    def publish(self, raw: RawArticle) -> None: ...
    def dead_letter(self, letter: DeadLetter) -> None: ...


@dataclass
class FeedState:
    url: str = ""
    etag: str = ""
    last_modified: str = ""
    failures: int = 0
    next_poll: float = 0.0  # epoch seconds
    done: list[str] = field(default_factory=list)  # ids of entry links seen by the outlet or failed for good


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
    def __init__(self, feeds: list[Feed], fetcher: PageFetcher, outlet: ArticleOutlet, data_dir: Path,
                 concurrency: int = 4, on_progress: Callable[[PollSummary], None] | None = None) -> None:
        self.feeds, self.fetcher, self.outlet = feeds, fetcher, outlet
        self.concurrency, self.on_progress = max(1, concurrency), on_progress
        self.state_path = data_dir / STATE_FILE
        # Guards the outlet, the summary, the state and the claimed ids: feeds are polled in threads.
        self._lock = threading.Lock()
        self._claimed: set[str] = set()  # article ids taken on in this poll, not yet seen by the outlet
        saved = self._load_state()
        # Made here, before any thread runs; the state of feeds no longer in the registry is dropped.
        self.state = {feed.name: _fresh_or(saved.get(feed.name), feed) for feed in feeds}

    def poll_once(self, only_due: bool = True) -> PollSummary:
        """Poll every due feed (every feed if not ``only_due``) once; never raises for a feed's failure."""
        now = time.time()
        due = [feed for feed in self.feeds if not only_due or self.state[feed.name].next_poll <= now]
        summary = PollSummary()
        self._claimed.clear()
        if due:
            with ThreadPoolExecutor(min(self.concurrency, len(due)), thread_name_prefix="feed-poller") as pool:
                for _ in pool.map(lambda feed: self._poll_feed(feed, summary), due):
                    pass
            log.info("%s", summary.line())
        return summary

    def seconds_until_due(self) -> float:
        """How long until the next feed is due; 0 when one is due now."""
        next_poll = min((state.next_poll for state in self.state.values()), default=math.inf)
        return max(0.0, next_poll - time.time())

    def _poll_feed(self, feed: Feed, summary: PollSummary) -> None:
        state = self.state[feed.name]
        try:
            fetched = self.fetcher.fetch(feed.url, state.etag, state.last_modified, accept=FEED_TYPES)
        except IngestError as exc:
            self._feed_failed(feed, state, exc, summary)
            return
        if fetched.not_modified:
            self._feed_done(feed, state, summary, not_modified=True)
            return
        try:
            entries, problem = parse_feed(fetched)
        except MalformedFeed as exc:
            self._feed_failed(feed, state, exc, summary, fetched.body)
            return
        for entry in entries[: feed.options.max_entries]:
            self._take_entry(feed, state, entry, summary)
        if problem:
            # Broken XML with some entries recovered: those are taken, but no ETag is kept, so that the
            # next poll reads the whole feed again.
            self._feed_failed(feed, state, problem, summary, fetched.body)
        else:
            with self._lock:
                state.etag, state.last_modified = fetched.etag, fetched.last_modified
            self._feed_done(feed, state, summary)

    def _take_entry(self, feed: Feed, state: FeedState, entry: dict, summary: PollSummary) -> None:
        link = _entry_link(entry, feed.url)
        if not link:
            log.debug("feed %s: an entry without an http(s) link skipped", feed.name)
            return
        link_id = article_id_for(link)
        if link_id in state.done:
            return
        if not self._claim(link_id):
            self._remember(state, link_id)
            return
        page: Fetched | None = None
        try:
            if feed.options.fetch_pages:
                page = self.fetcher.fetch(link, accept=PAGE_TYPES)
            extracted = extract_article(page.body if page else None, page.url if page else link,
                                        page.charset if page else "", _entry_html(entry))
        except IngestError as exc:
            self._dead_letter(feed, exc, summary, page.body if page else b"")
            if not exc.retryable:
                self._remember(state, link_id)
            return
        url = preferred_url(page.url, extracted.canonical_url) if page else canonical_url(link)
        article_id = article_id_for(url)
        if article_id != link_id and not self._claim(article_id):
            self._remember(state, link_id)  # an article already had under another link
            return
        # Not remembered as done: should the outlet lose it (no broker ack), the next poll tries again.
        self._publish(_raw_article(feed, entry, extracted, url, article_id), summary)

    def _claim(self, article_id: str) -> bool:
        """True when the article is new and this thread now works on it."""
        with self._lock:
            if article_id in self._claimed or self.outlet.seen(article_id):
                return False
            self._claimed.add(article_id)
            return True

    def _publish(self, raw: RawArticle, summary: PollSummary) -> None:
        with self._lock:
            self.outlet.publish(raw)
            summary.new_articles += 1
            summary.published_ids.append(raw.article_id)

    def _remember(self, state: FeedState, link_id: str) -> None:
        with self._lock:
            if link_id not in state.done:
                state.done.append(link_id)
                del state.done[:-REMEMBERED_LINKS]

    def _feed_done(self, feed: Feed, state: FeedState, summary: PollSummary, not_modified: bool = False) -> None:
        with self._lock:
            state.failures = 0
            state.next_poll = time.time() + feed.interval_s
            summary.not_modified += not_modified
        self._feed_polled(summary)

    def _feed_failed(self, feed: Feed, state: FeedState, exc: IngestError, summary: PollSummary,
                     payload: bytes = b"") -> None:
        with self._lock:
            state.failures += 1
            backoff = feed.interval_s * min(2 ** (state.failures - 1), MAX_BACKOFF_FACTOR)
            state.next_poll = time.time() + max(backoff, exc.retry_after_s or 0.0)
        self._dead_letter(feed, exc, summary, payload)
        self._feed_polled(summary)

    def _feed_polled(self, summary: PollSummary) -> None:
        with self._lock:
            summary.feeds += 1
            self._save_state()
            if self.on_progress:
                self.on_progress(summary)

    def _dead_letter(self, feed: Feed, exc: IngestError, summary: PollSummary, payload: bytes) -> None:
        reason = f"feed {feed.name}: {exc.reason}"
        log.warning("%s (%s)", reason, exc.url)
        with self._lock:
            summary.failures += 1
            self.outlet.dead_letter(DeadLetter.of(exc.stage, reason, payload, url=exc.url))

    def _load_state(self) -> dict[str, FeedState]:
        try:
            saved = json.loads(self.state_path.read_text(encoding="utf-8"))
            return {name: FeedState(**state) for name, state in saved.items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("feed state %s unreadable, starting afresh: %s", self.state_path, exc)
            return {}

    def _save_state(self) -> None:
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps({name: asdict(state) for name, state in self.state.items()}), encoding="utf-8")
        temporary.replace(self.state_path)  # atomic: a crash leaves the old state or the new, never half


def _fresh_or(saved: FeedState | None, feed: Feed) -> FeedState:
    """The saved state of ``feed``, or a fresh one for a new feed or a feed that moved."""
    return saved if saved is not None and saved.url == feed.url else FeedState(url=feed.url)


def parse_feed(fetched: Fetched) -> tuple[list[dict], MalformedFeed | None]:
    """The entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, and what is wrong with its XML when some
    entries could be recovered from a broken feed. MalformedFeed when nothing can be read."""
    _refuse_entity_declarations(fetched)
    content_type = fetched.content_type or "application/xml"
    headers = {"content-type": f"{content_type}; charset={fetched.charset}" if fetched.charset else content_type,
               "content-location": fetched.url}
    try:
        parsed = feedparser.parse(fetched.body, response_headers=headers)
    except Exception as exc:  # noqa: BLE001 - feedparser's own bugs on odd input must not stop the poller
        raise MalformedFeed(f"feed parser failed: {type(exc).__name__}: {exc}", fetched.url) from exc
    broken = parsed.get("bozo_exception")
    problem = None
    # Other bozo exceptions (a wrong declared encoding, an unusual content type) do not lose entries.
    if isinstance(broken, (SAXException, CharacterEncodingUnknown)):
        problem = MalformedFeed(f"malformed feed ({len(parsed.entries)} entries recovered): {broken}", fetched.url)
    if not parsed.entries and (problem or not parsed.version):
        raise problem or MalformedFeed("not an RSS or Atom feed", fetched.url)
    return parsed.entries, problem


def _refuse_entity_declarations(fetched: Fetched) -> None:
    """Entity declarations are how entity expansion (billion laughs) and external entities attack a
    parser, and no real feed needs them; feedparser's strict parser would expand them."""
    try:
        defusedxml.ElementTree.fromstring(fetched.body)
    except defusedxml.DefusedXmlException as exc:
        raise MalformedFeed(f"feed declares XML entities, refused: {exc!r}", fetched.url) from exc
    except (ParseError, ValueError):
        pass  # broken XML: feedparser tells what can be recovered


def _entry_link(entry: dict, feed_url: str) -> str:
    link = entry.get("link") or (entry.get("id") if entry.get("guidislink") else "") or ""
    link = urljoin(feed_url, link.strip()) if link.strip() else ""
    return link if urlsplit(link).scheme in ("http", "https") else ""


def _entry_html(entry: dict) -> str:
    """The entry's own text as HTML: its content, else its summary."""
    content = entry.get("content") or []
    return (content[0].get("value") if content else "") or entry.get("summary") or ""


def _raw_article(feed: Feed, entry: dict, extracted: ExtractedArticle, url: str, article_id: str) -> RawArticle:
    published = entry.get("published_parsed") or entry.get("updated_parsed")
    return RawArticle(
        article_id=article_id, url=url, source=feed.name,
        # The feed's title is the editor's; a page's <title> often carries the site's name as well.
        title=(entry.get("title") or extracted.title or "").strip(),
        author=(extracted.author or entry.get("author") or "").strip(),
        text=extracted.text, lang=feed.language,
        published_at=datetime(*published[:6], tzinfo=timezone.utc) if published else extracted.published_at,
        fetched_at=utcnow(), origin="feed", feed=feed.name,
    )
