"""Poll feeds: find new entries, fetch and extract their pages, and hand raw articles to an outlet.

Per feed the poller keeps, in a JSON file in the data directory, the ETag and Last-Modified of the
last answer (a 304 costs no parsing), the consecutive failures and when to poll next: a feed that keeps
failing is polled at exponentially longer intervals, never hammered. Every failure is logged once and
becomes a dead letter with its reason; the poller goes on with the next entry and the next feed.

Every entry ends as an article, a known duplicate or a dead letter, whatever its link or page holds: one
crafted link once stopped the poll, and every restart stopped on it again. A captcha, consent wall or
paywall teaser served with status 200 (``ingest/block_page.py``) makes the feed entry's own text a
``partial`` article, or, when the entry has none, a transient failure: tried again on later polls, then a
dead letter with its kind. A failed entry is remembered in the feed state and dead-lettered once (a
transient failure after its last attempt, each attempt backed off from the one before), so a feed of
100,000 bad entries does not write them again on every poll. One poll of a feed fetches at most ``max_entries``
new entries, for at most ``feed_budget_s``; the rest wait for the feed's next poll.

``stop`` (from another thread) ends a poll between two entries: the feed it was in stays due, so the next
start takes its remaining entries at once.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import feedparser
import lxml.etree
import lxml.html

from ingest.article_extractor import ExtractedArticle, extract_article
from ingest.article_size import SizeLimits, TooLarge
from ingest.block_page import block_page
from ingest.feed_registry import Feed
from ingest.language_guess import guess_language
from ingest.page_fetcher import FetchError, PageFetcher
from ingest.publication_date import FeedDate, publication_date
from tallywire.core.text_cleanup import clean_text
from ingest.url_canon import article_id_for, canonical_url
from tallywire.runtime.backoff import Backoff
from tallywire.core.errors import BrokerError
from tallywire.core.progress import DEAD_ENTRIES, DUPLICATE_ENTRIES, FEED_ENTRIES, FEEDS_POLLED, Progress
from tallywire.core.settings import Settings, load_settings
from tallywire.core.topics import DeadLetter, RawArticle, stable_id, utcnow

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
    # ``wait``: return only once the article is delivered and ``seen``. The poller waits for each: a crash
    # after its next fetch must not leave a page it has fetched unseen, to be fetched again on the next start.
    def publish(self, raw: RawArticle, wait: bool = False) -> None: ...
    def dead_letter(self, letter: DeadLetter) -> None: ...


@dataclass(frozen=True)
class PollLimits:
    max_entries: int  # new entries fetched per feed and poll
    feed_budget_s: float  # time spent fetching one feed's entries per poll
    entry_attempts: int  # polls that try an entry failing transiently
    sizes: SizeLimits
    published_floor: datetime = datetime.combine(Settings.model_fields["published_floor"].default, datetime.min.time(),
                                                 timezone.utc)  # earlier publication dates are refused
    concurrency: int = Settings.model_fields["fetch_concurrency"].default  # hosts polled at once

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> PollLimits:
        settings = settings or load_settings()
        return cls(settings.poll_max_entries, settings.poll_feed_budget_s, settings.entry_attempts,
                   SizeLimits.from_settings(settings),
                   datetime.combine(settings.published_floor, datetime.min.time(), timezone.utc),
                   settings.fetch_concurrency)


@dataclass
class FeedState:
    etag: str = ""
    last_modified: str = ""
    failures: int = 0
    next_poll: float = 0.0  # epoch seconds
    # Failed attempts per entry (``entry_key``) still in the feed; at ``entry_attempts`` it is dead-lettered
    # and skipped from then on, as a stored article is.
    failed_entries: dict[str, int] = field(default_factory=dict)
    # When an entry that failed transiently (a timeout, 5xx, a block page) is tried again, epoch seconds: the
    # feed's interval after the first failure, doubled after each further one.
    retry_at: dict[str, float] = field(default_factory=dict)


@dataclass
class PollSummary:
    """What one poll did. Every entry of the feeds read has one fate: ``entries`` = ``new_articles`` (stored)
    + ``duplicates`` + ``dead_entries`` + ``deferred`` + ``retrying``; the last two are entries whose fate a
    later poll decides."""

    feeds: int = 0
    not_modified: int = 0
    new_articles: int = 0
    partial: int = 0  # of the new articles, those with the feed entry's text only (their page was a block page)
    failures: int = 0  # dead letters sent: entries' and feeds'
    entries: int = 0  # entries in the feeds read (an unchanged feed's are not read)
    duplicates: int = 0  # entries whose article is stored already, by their link or their page's canonical URL
    dead_entries: int = 0  # entries dead-lettered, in this poll or an earlier one
    deferred: int = 0  # entries left for the next poll by the caps
    retrying: int = 0  # entries that failed transiently, tried again on the next poll
    published_ids: list[str] = field(default_factory=list)

    def add(self, other: PollSummary) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)

    def line(self) -> str:
        deferred = f", {self.deferred} entries left for the next poll" if self.deferred else ""
        retrying = f", {self.retrying} to try again" if self.retrying else ""
        partial = f" ({self.partial} partial)" if self.partial else ""
        return (f"polled {self.feeds} feeds ({self.not_modified} unchanged): "
                f"{self.new_articles} new articles, {self.failures} failures; {self.entries} entries: "
                f"{self.new_articles} stored{partial}, {self.duplicates} duplicates, {self.dead_entries} dead letters"
                f"{deferred}{retrying}")


class _TryAgain(Exception):  # noqa: N818 - a verdict, not an error
    """An entry refused for now: its dead letter is sent once its last attempt failed too."""

    def __init__(self, letter: DeadLetter) -> None:
        super().__init__(letter.reason)
        self.letter = letter


def entry_key(link: str, entry: dict | None = None) -> str:
    """What the feed state remembers a failed entry by: its link as given, which may be no valid URL; an
    entry without a link by its id or title."""
    if link:
        return stable_id("entry", link)
    entry = entry or {}
    return stable_id("entry without link", entry.get("id") or entry.get("title") or "")


class FeedPoller:
    """Polls the feeds with a pool of ``fetch_concurrency`` threads. The feeds of one host (by their URL)
    are one task, polled in order by one thread, so threads do not queue at one host; the fetcher lets each
    host serve one request at a time whoever asks (an aggregator's entries on many hosts included)."""

    def __init__(self, feeds: list[Feed], fetcher: PageFetcher, outlet: ArticleOutlet, state_path: Path,
                 limits: PollLimits | None = None, progress: Progress | None = None) -> None:
        self.feeds, self.fetcher, self.outlet, self.state_path = feeds, fetcher, outlet, state_path
        self.limits = limits or PollLimits.from_settings()
        self.progress = progress or Progress()
        self.stopping = threading.Event()
        self._broken = threading.Event()  # a thread lost the broker: the others stop too
        self.state = self._load_state()
        self._state_lock = threading.Lock()
        # Each feed's state as last saved, written by the thread that polls it: no thread reads a state
        # another is changing.
        self._saved = {name: asdict(state) for name, state in self.state.items()}

    def stop(self) -> None:
        self.stopping.set()

    def _halted(self) -> bool:
        return self.stopping.is_set() or self._broken.is_set()

    def poll_once(self, only_due: bool = False) -> PollSummary:
        self._broken.clear()
        for feed in self.feeds:
            self.state.setdefault(feed.name, FeedState())
        due = [feed for feed in self.feeds if not (only_due and time.time() < self.state[feed.name].next_poll)]
        by_host: dict[str, list[Feed]] = {}
        for feed in due:
            by_host.setdefault(_host(feed.url), []).append(feed)
        summary = PollSummary()
        if not by_host:
            return summary
        workers = min(self.limits.concurrency, len(by_host))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="poller") as pool:
            done = [pool.submit(self._poll_feeds, group) for group in by_host.values()]
            broken: BrokerError | None = None
            for future in done:
                try:
                    summary.add(future.result())
                except BrokerError as exc:
                    broken = broken or exc
        if broken:
            raise broken  # nothing can be delivered, dead letters neither: stop; the next start polls again
        return summary

    def _poll_feeds(self, feeds: list[Feed]) -> PollSummary:
        summary = PollSummary()
        for feed in feeds:
            if self._halted():
                break
            state = self.state[feed.name]
            summary.feeds += 1
            self.progress.note_event(FEEDS_POLLED)
            before = summary.entries, summary.duplicates, summary.dead_entries
            try:
                self._poll_feed(feed, state, summary)
            except BrokerError:
                self._broken.set()
                raise
            except Exception as exc:  # noqa: BLE001 - whatever one feed holds, the other feeds are polled
                log.exception("polling feed %s failed", feed.name)
                self._feed_failed(feed, state, summary, _raised(exc), None)
            after = summary.entries, summary.duplicates, summary.dead_entries
            for event, was, now in zip((FEED_ENTRIES, DUPLICATE_ENTRIES, DEAD_ENTRIES), before, after):
                self.progress.note_event(event, now - was)
            self._save_state(feed.name, state)
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
        if self._take_entries(feed, state, parsed.entries, summary, _feed_built(parsed)):
            # Kept only once every entry is done with: a 304 on the next poll would hide entries a capped
            # poll left, or entries to try again.
            state.etag, state.last_modified = fetched.etag, fetched.last_modified
        elif self._halted():
            return  # still due: the next start takes the entries this poll left at once, not an interval later
        self._feed_ok(feed, state)

    def _take_entries(self, feed: Feed, state: FeedState, entries: list[dict], summary: PollSummary,
                      built: datetime | None) -> bool:
        """Take the entries not handled yet, within the caps, and count each one's fate; whether every entry
        is done with (none was left for the next poll, none is to be tried again)."""
        links = [entry.get("link") or "" for entry in entries]
        keys = [entry_key(link, entry) for entry, link in zip(entries, links)]
        dates = [_entry_date(entry) for entry in entries]
        # One date on every entry is the feed's writing time, not each article's publication.
        shared = len(entries) > 1 and len(set(dates)) == 1 and dates[0] is not None
        # Entries that left the feed cannot come back through it: forgetting them bounds the state.
        state.failed_entries = {key: n for key, n in state.failed_entries.items() if key in set(keys)}
        state.retry_at = {key: at for key, at in state.retry_at.items() if key in set(keys)}
        summary.entries += len(entries)
        deadline = time.monotonic() + self.limits.feed_budget_s
        taken = left = 0
        for entry, link, key, entry_date in zip(entries, links, keys, dates):
            if state.failed_entries.get(key, 0) >= self.limits.entry_attempts:
                summary.dead_entries += 1  # dead-lettered by an earlier poll, once
                continue
            if self._seen(link):
                summary.duplicates += 1
                continue
            if time.time() < state.retry_at.get(key, 0.0):
                summary.retrying += 1  # backed off: a later poll tries it
                continue
            # One entry at least, however small the budget: a poll that takes none never gets anywhere.
            if self._halted() or taken == self.limits.max_entries or (taken and time.monotonic() >= deadline):
                left += 1
                continue
            taken += 1
            feed_date = FeedDate(entry_date, built, shared) if entry_date else None
            self._take_entry(feed, state, entry, link, key, feed_date, summary)
        summary.deferred += left
        return not left and all(n >= self.limits.entry_attempts for n in state.failed_entries.values())

    def _seen(self, link: str) -> bool:
        """Whether an entry's article is stored already."""
        if not link:
            return False
        try:
            return self.outlet.seen(article_id_for(link))
        except ValueError:
            return False  # a link no URL parser takes: the fetch refuses it with the reason

    def _take_entry(self, feed: Feed, state: FeedState, entry: dict, link: str, key: str, feed_date: FeedDate | None,
                    summary: PollSummary) -> None:
        """Fetch, extract and publish one entry; whatever fails on its link or page makes it a failed entry."""
        transient = False
        try:
            outcome = self._publish_entry(feed, entry, link, feed_date, summary)
        except BrokerError:
            raise
        except FetchError as exc:
            outcome, transient = DeadLetter.of("fetcher", exc.reason, url=link), exc.transient
        except _TryAgain as exc:
            outcome, transient = exc.letter, True
        except Exception as exc:  # noqa: BLE001 - whatever a link or page holds, the poll goes on
            log.exception("entry %s of feed %s failed", link, feed.name)
            outcome = DeadLetter.of("fetcher", _raised(exc), url=link)
        host = _host(link) if link else _host(feed.url)
        if isinstance(outcome, str):
            self.progress.note_host(host, outcome)
            state.failed_entries.pop(key, None)
            state.retry_at.pop(key, None)
            return
        attempts = state.failed_entries.get(key, 0) + 1 if transient else self.limits.entry_attempts
        state.failed_entries[key] = attempts
        if attempts < self.limits.entry_attempts:
            state.retry_at[key] = time.time() + _backoff(feed).delay(attempts - 1)
            log.warning("fetcher: %s (%s), tried again in %d s", outcome.reason, link,
                        state.retry_at[key] - time.time())
            summary.retrying += 1
            self.progress.note_host(host, "retry")
            return
        state.retry_at.pop(key, None)
        summary.dead_entries += 1
        self.progress.note_host(host, "dead_letter")
        self._dead_letter(outcome, summary)

    def _publish_entry(self, feed: Feed, entry: dict, link: str, feed_date: FeedDate | None,
                       summary: PollSummary) -> DeadLetter | str:
        """Publish the entry's article, or count it a duplicate, and say which (stored, partial, duplicate); the
        dead letter when it has no link, or its page has no article or one too large. A block page makes the
        feed entry's own text a partial article; without that text, ``_TryAgain``."""
        if not link:
            return DeadLetter.of("fetcher", "feed entry without a link", json.dumps(entry, default=str).encode(),
                                 url=feed.url)
        page = self.fetcher.fetch(link, accept=PAGE_TYPES)
        extracted = extract_article(page.body, page.url)
        blocked = block_page(page.body, extracted.text)
        html = page.body
        if blocked:
            # The site showed a challenge, wall or teaser instead of the article: its text, title and dates are
            # the wall's. The feed's own text of the entry says what the article is, so it is stored, marked
            # partial; without it the page is asked for again later, as challenges and rate limits pass.
            text = clean_text(_entry_text(entry))
            if not text.strip():
                raise _TryAgain(DeadLetter.of("fetcher", blocked.reason, page.body, url=link))
            extracted, html = ExtractedArticle(text=text), b""
        text = extracted.text or clean_text(_entry_text(entry))
        if not text.strip():
            return DeadLetter.of("fetcher", "no article text in the page or the feed entry", page.body[:4096], url=link)
        url = canonical_url(extracted.canonical_url or page.url or link)
        article_id = article_id_for(url)
        if article_id != article_id_for(link) and self.outlet.seen(article_id):
            summary.duplicates += 1  # its page names a stored article as its canonical URL
            return "duplicate"
        lang = feed.language or extracted.language or guess_language(text)
        # trafilatura's date is htmldate's original date of the page: read once, used as one signal.
        dated = publication_date(html, url, feed=feed_date, lang=lang, floor=self.limits.published_floor,
                                 htmldate_reading=extracted.date)
        try:
            text, truncated_from = self.limits.sizes.fit(text)
            self.outlet.publish(RawArticle(
                article_id=article_id, url=url, source=feed.name, title=extracted.title or entry.get("title", ""),
                author=extracted.author or entry.get("author", ""), text=text, lang=lang,
                published_at=dated.published_at, published_source=dated.source, fetched_at=utcnow(), origin="feed",
                feed=feed.name, truncated_from=truncated_from, partial=bool(blocked),
            ), wait=True)
        except TooLarge as exc:
            return DeadLetter.of("fetcher", exc.reason, page.body, url=link)
        summary.new_articles += 1
        summary.partial += bool(blocked)
        summary.published_ids.append(article_id)
        return "partial" if blocked else "stored"

    def _feed_ok(self, feed: Feed, state: FeedState) -> None:
        state.failures = 0
        state.next_poll = time.time() + feed.interval_s

    def _feed_failed(self, feed: Feed, state: FeedState, summary: PollSummary, reason: str,
                     retry_after_s: float | None, payload: bytes = b"") -> None:
        state.failures += 1
        state.next_poll = time.time() + _backoff(feed).delay(state.failures - 1, retry_after_s)
        self._dead_letter(DeadLetter.of("poller", f"feed {feed.name}: {reason}", payload[:4096], url=feed.url), summary)

    def _dead_letter(self, letter: DeadLetter, summary: PollSummary) -> None:
        summary.failures += 1
        log.warning("%s: %s (%s)", letter.stage, letter.reason, letter.url)
        self.outlet.dead_letter(letter)

    def _load_state(self) -> dict[str, FeedState]:
        try:
            return {name: FeedState(**state) for name, state in json.loads(self.state_path.read_text()).items()}
        except (OSError, ValueError, TypeError):
            return {}

    def _save_state(self, name: str, state: FeedState) -> None:
        with self._state_lock:
            self._saved[name] = asdict(state)
            self.state_path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.state_path.with_suffix(".tmp")
            temporary.write_text(json.dumps(self._saved))
            temporary.replace(self.state_path)


def _host(url: str) -> str:
    try:
        return urlsplit(url).netloc.lower()
    except ValueError:
        return url  # no valid URL: a task of its own, whose fetch fails with the reason


def _backoff(feed: Feed) -> Backoff:
    """The wait of a failing feed or entry: the feed's interval, doubled per failure. No jitter: each feed keeps
    its own interval, so failing feeds are already spread out, and none must be polled sooner than a healthy one."""
    return Backoff(feed.interval_s, feed.interval_s * MAX_BACKOFF_FACTOR, jitter=0.0)


def _raised(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


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


def _entry_date(entry: dict) -> datetime | None:
    """The entry's own date: its publication, else its update (feedparser gives both in UTC)."""
    return _struct_time(entry.get("published_parsed") or entry.get("updated_parsed"))


def _feed_built(parsed: feedparser.FeedParserDict) -> datetime | None:
    """When the feed says it was written (RSS lastBuildDate, Atom updated)."""
    return _struct_time(parsed.feed.get("updated_parsed"))


def _struct_time(parsed: object) -> datetime | None:
    try:
        return datetime(*parsed[:6]).replace(tzinfo=timezone.utc) if parsed else None  # type: ignore[index]
    except (TypeError, ValueError):
        return None
