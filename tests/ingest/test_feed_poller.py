"""The poller against a real HTTP server on 127.0.0.1: formats, conditional GET, politeness, bad input."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from prometheus_client import generate_latest

from ingest.article_journal import ArticleJournal
from ingest.article_size import SizeLimits
from ingest.feed_poller import FeedPoller, PollLimits, declares_entities
from ingest.feed_registry import Feed, load_feeds
from ingest.page_fetcher import FetchError, PageFetcher
from ingest.url_canon import canonical_url
from tallywire.core.errors import ConfigError
from tallywire.runtime.metrics import registry_of
from tallywire.core.progress import Progress
from tallywire.core.topics import DeadLetter, RawArticle
from tests.ingest.feed_server import BLOCK_PAGE_KINDS, BLOCK_PAGES, CRAFTED_LINKS, FeedSite, page, rss_of_links


class JournalOutlet:
    """The poller's outlet with the real journal as seen-state, and lists instead of Kafka."""

    def __init__(self, path: Path) -> None:
        self.journal = ArticleJournal(path)
        self.published: list[RawArticle] = []
        self.letters: list[DeadLetter] = []

    def seen(self, article_id: str) -> bool:
        return self.journal.seen(article_id)

    def publish(self, raw: RawArticle, wait: bool = False) -> None:  # noqa: ARG002 - always recorded at once
        self.journal.append(raw)
        self.published.append(raw)

    def dead_letter(self, letter: DeadLetter) -> None:
        self.letters.append(letter)


@pytest.fixture
def site() -> Iterator[FeedSite]:
    served = FeedSite()
    yield served
    served.close()


MAX_BYTES = 2 * 1024 * 1024
DEADLINE_S = 1.5
# What a cut may take beyond the deadline: the robots.txt request before it, and closing the socket.
SLACK_S = 1.0


# The settings' defaults, but a failed entry is final at once, as if no retry were configured.
LIMITS = PollLimits(max_entries=100, feed_budget_s=300.0, entry_attempts=1,
                    sizes=SizeLimits(max_message_bytes=1_000_000, max_article_chars=100_000))


def fetcher(allow: bool = True, deadline_s: float = 30.0, max_bytes: int = MAX_BYTES,
            robots_cache_s: float = 86400.0) -> PageFetcher:
    # A read timeout longer than any test: only the deadline can stop a slow server here.
    return PageFetcher("tallywire-test", timeout_s=30, max_bytes=max_bytes, max_redirects=3,
                       per_host_delay_s=0.0, allow=["127.0.0.1"] if allow else [], deadline_s=deadline_s,
                       robots_cache_s=robots_cache_s)


def poller(site: FeedSite, tmp_path: Path, *paths: str, deadline_s: float = 30.0, max_bytes: int = MAX_BYTES,
           limits: PollLimits = LIMITS) -> tuple[FeedPoller, JournalOutlet]:
    feeds = [Feed(name=p.strip("/").replace("/", "-"), url=site.url(p), language="de", interval_s=60) for p in paths]
    outlet = JournalOutlet(tmp_path / "journal.jsonl")
    client = fetcher(deadline_s=deadline_s, max_bytes=max_bytes)
    return FeedPoller(feeds, client, outlet, tmp_path / "feed-state.json", limits), outlet


def test_new_entries_of_rss_atom_and_rdf_become_raw_articles(site: FeedSite, tmp_path: Path) -> None:
    polling, outlet = poller(site, tmp_path, "/rss.xml", "/atom.xml", "/rdf.xml")
    summary = polling.poll_once()
    assert summary.new_articles == 4 and summary.failures == 0
    assert {raw.title for raw in outlet.published} == {"a1", "a2", "a3", "a4"}
    first = next(raw for raw in outlet.published if raw.title == "a1")
    assert "11.000 nordkoreanische Soldaten" in first.text and "Impressum" not in first.text
    assert first.url == site.url("/articles/a1.html") and first.origin == "feed" and first.published_at is not None


def test_the_second_poll_is_conditional_and_parses_nothing(site: FeedSite, tmp_path: Path) -> None:
    polling, outlet = poller(site, tmp_path, "/rss.xml")
    polling.poll_once()
    second = polling.poll_once()
    assert second.not_modified == 1 and second.new_articles == 0
    headers = [h for path, h in site.requests if path == "/rss.xml"][-1]
    assert headers["If-None-Match"] == '"v1"' and headers["If-Modified-Since"].startswith("Thu, 07 Nov 2024")


def test_a_restarted_poller_pushes_no_article_twice(site: FeedSite, tmp_path: Path) -> None:
    polling, outlet = poller(site, tmp_path, "/rss.xml", "/atom.xml")
    polling.poll_once()
    (tmp_path / "feed-state.json").unlink()  # even without the conditional-GET state
    restarted, again = poller(site, tmp_path, "/rss.xml", "/atom.xml")
    assert restarted.poll_once().new_articles == 0 and again.published == []


def test_robots_txt_disallow_is_honoured(site: FeedSite, tmp_path: Path) -> None:
    polling, outlet = poller(site, tmp_path, "/private/feed.xml")
    assert polling.poll_once().failures == 1
    assert "robots.txt" in outlet.letters[0].reason
    assert "/private/feed.xml" not in site.paths()


def test_robots_txt_is_read_again_after_its_cache_lifetime(site: FeedSite) -> None:
    client = fetcher(robots_cache_s=0.5)
    client.fetch(site.url("/rss.xml"))
    client.fetch(site.url("/atom.xml"))
    assert site.paths().count("/robots.txt") == 1
    time.sleep(0.6)
    client.fetch(site.url("/rss.xml"))
    assert site.paths().count("/robots.txt") == 2


def test_429_with_retry_after_delays_the_next_request(site: FeedSite) -> None:
    client = fetcher()
    with pytest.raises(FetchError) as refused:
        client.fetch(site.url("/limited.xml"))
    assert refused.value.retry_after_s == 1.0
    started = time.monotonic()
    assert client.fetch(site.url("/limited.xml")).status == 200
    assert time.monotonic() - started >= 0.9


def test_a_failing_feed_is_backed_off(site: FeedSite, tmp_path: Path) -> None:
    polling, _ = poller(site, tmp_path, "/missing.xml")
    polling.poll_once()
    polling.poll_once()
    state = polling.state["missing.xml"]
    assert state.failures == 2 and state.next_poll - time.time() > 100  # 60 s interval, doubled
    assert polling.poll_once(only_due=True).feeds == 0


@pytest.mark.parametrize(
    ("path", "reason"),
    [("/loop", "redirects"), ("/huge.html", "larger than"), ("/bomb.html", "larger than")],
)
def test_hostile_pages_are_refused_with_a_reason(site: FeedSite, path: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason):
        fetcher().fetch(site.url(path))


def refusal(client: PageFetcher, url: str) -> tuple[FetchError, float, int]:
    """The error a fetch ends with, the seconds it took, and the most memory allocated meanwhile."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(FetchError) as refused:
            client.fetch(url)
        return refused.value, time.monotonic() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("path", ["/articles/slow.html", "/endless.xml", "/slow-headers.xml"])
def test_slow_and_endless_responses_are_cut_at_the_deadline(site: FeedSite, path: str) -> None:
    error, seconds, peak = refusal(fetcher(deadline_s=DEADLINE_S), site.url(path))
    assert "1.5 s deadline" in error.reason
    assert DEADLINE_S <= seconds < DEADLINE_S + SLACK_S
    assert peak < MAX_BYTES


def test_an_endless_fast_body_stops_at_the_size_limit_in_bounded_memory(site: FeedSite) -> None:
    error, seconds, peak = refusal(fetcher(deadline_s=30), site.url("/flood.xml"))
    assert error.reason == f"larger than {MAX_BYTES} bytes"
    assert seconds < 5
    # The body held is at most the limit; one chunk more and the decoders' buffers on top.
    assert peak < 2 * MAX_BYTES


def test_slow_feeds_and_pages_become_dead_letters_with_the_reason(site: FeedSite, tmp_path: Path) -> None:
    polling, outlet = poller(site, tmp_path, "/endless.xml", "/slow-article.xml", deadline_s=DEADLINE_S)
    started = time.monotonic()
    summary = polling.poll_once()
    assert time.monotonic() - started < 2 * (DEADLINE_S + SLACK_S)
    assert summary.failures == 2 and outlet.published == []
    letters = {letter.stage: letter for letter in outlet.letters}
    assert letters["poller"].reason == "feed endless.xml: no complete response within the 1.5 s deadline (slow or endless)"
    assert letters["fetcher"].url == site.url("/articles/slow.html?utm_source=rss#top")
    assert "deadline" in letters["fetcher"].reason
    assert polling.state["endless.xml"].failures == 1  # backed off like any failing feed


def test_broken_and_odd_feeds_end_as_dead_letters_or_correct_parses(site: FeedSite, tmp_path: Path) -> None:
    polling, outlet = poller(site, tmp_path, "/truncated.xml", "/cp1252.xml", "/laughs.xml")
    polling.poll_once()
    assert [raw.title for raw in outlet.published] == ["a5"]  # windows-1252 read correctly
    reasons = " | ".join(letter.reason for letter in outlet.letters)
    assert "truncated.xml" not in reasons or "malformed" in reasons
    assert "laughs" in reasons  # entity expansion refused, not expanded


def test_entity_declarations_are_refused_in_every_encoding(site: FeedSite, tmp_path: Path) -> None:
    polling, outlet = poller(site, tmp_path, "/laughs-utf16.xml", "/xxe.xml", "/xxe-parameter.xml")
    assert polling.poll_once().failures == 3
    assert outlet.published == []
    assert all(letter.reason.endswith("feed declares XML entities: refused") for letter in outlet.letters)
    assert "/evil.dtd" not in site.paths()  # the external DTD was not fetched


@given(before=st.binary(max_size=64), after=st.binary(max_size=64),
       encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-be", "utf-32", "utf-32-be", "cp037", "windows-1252"]))
def test_an_entity_declaration_is_found_in_any_encoding_anywhere(before: bytes, after: bytes, encoding: str) -> None:
    declaration = '<!DOCTYPE r [<!ENTITY e "x">]>'.encode(encoding)
    assert declares_entities(before + declaration + after)


def test_feeds_in_wrong_or_unknown_encodings_are_read_and_garbage_is_a_dead_letter(site: FeedSite, tmp_path: Path) -> None:
    polling, outlet = poller(site, tmp_path, "/mislabeled.xml", "/unknown-charset.xml", "/garbage.xml")
    polling.poll_once()
    assert sorted(raw.title for raw in outlet.published) == ["a8", "a9"]
    mislabeled_page = next(raw for raw in outlet.published if raw.title == "a8")
    assert "nordkoreanische Soldaten" in mislabeled_page.text
    mislabeled_page.text.encode("utf-8")  # no lone surrogates from undecodable bytes
    [letter] = outlet.letters
    assert letter.reason.startswith("feed garbage.xml: malformed feed")


def test_crafted_links_and_a_page_too_large_are_dead_letters_and_the_poll_goes_on(site: FeedSite, tmp_path: Path) -> None:
    polling, outlet = poller(site, tmp_path, "/crafted.xml", "/atom.xml", max_bytes=5 * 1024 * 1024)
    summary = polling.poll_once()
    assert sorted(raw.title for raw in outlet.published) == ["a3", "good"]  # after them, and the next feed
    assert summary.new_articles == 2 and summary.failures == 5
    reasons = {letter.url: letter.reason for letter in outlet.letters}
    assert set(reasons) == {*CRAFTED_LINKS, site.url("/articles/huge-text.html")}
    assert all(reasons[link].startswith("invalid URL: ") for link in CRAFTED_LINKS)
    huge = next(letter for letter in outlet.letters if "huge-text" in letter.url)
    assert "exceeds the message limit of 1000000 bytes" in huge.reason
    assert huge.payload_bytes > 4_400_000 and len(huge.payload) == 256 * 1024  # the page's size and head
    assert polling.poll_once().failures == 0  # each was dead-lettered once: remembered, not fetched again
    assert site.paths().count("/articles/huge-text.html") == 1


def test_a_final_failure_is_dead_lettered_at_once_a_transient_one_after_its_last_attempt(
        site: FeedSite, tmp_path: Path) -> None:
    two_attempts = replace(LIMITS, entry_attempts=2)
    polling, outlet = poller(site, tmp_path, "/failing.xml", limits=two_attempts)
    polling.poll_once()
    assert [(letter.url, letter.reason) for letter in outlet.letters] == [(site.url("/gone.html"), "HTTP 404")]
    waiting = polling.poll_once()  # at once: the transient failure waits its backoff, the feed's interval (60 s)
    assert waiting.retrying == 1 and site.paths().count("/broken.html") == 1
    state = polling.state["failing.xml"]
    state.retry_at = dict.fromkeys(state.retry_at, 0.0)  # the interval has passed
    polling.poll_once()
    assert [letter.reason for letter in outlet.letters] == ["HTTP 404", "HTTP 500"]
    assert site.paths().count("/gone.html") == 1 and site.paths().count("/broken.html") == 2
    restarted, again = poller(site, tmp_path, "/failing.xml", limits=two_attempts)  # the feed state remembers them across restarts
    assert restarted.poll_once().failures == 0 and again.letters == []
    assert site.paths().count("/gone.html") == 1 and site.paths().count("/broken.html") == 2


def test_one_poll_of_a_feed_takes_at_most_the_capped_entries_and_the_rest_on_the_next(
        site: FeedSite, tmp_path: Path) -> None:
    polling, outlet = poller(site, tmp_path, "/rss.xml", limits=replace(LIMITS, max_entries=1))
    first = polling.poll_once()
    assert first.new_articles == 1 and first.deferred == 1 and "1 entries left for the next poll" in first.line()
    second = polling.poll_once()  # not answered 304: the first poll left an entry, so it kept no ETag
    assert second.new_articles == 1 and second.deferred == 0
    assert polling.poll_once().not_modified == 1
    assert sorted(raw.title for raw in outlet.published) == ["a1", "a2"]


def test_one_poll_of_a_feed_stops_fetching_at_its_time_budget(site: FeedSite, tmp_path: Path) -> None:
    """Three pages that each take the whole fetch deadline: without the budget the poll lasts three deadlines."""
    polling, outlet = poller(site, tmp_path, "/slow-pages.xml", deadline_s=DEADLINE_S,
                             limits=replace(LIMITS, feed_budget_s=0.5))
    started = time.monotonic()
    summary = polling.poll_once()
    assert time.monotonic() - started < DEADLINE_S + 2 * SLACK_S
    assert summary.failures == 1 and summary.deferred == 2


def test_private_addresses_are_refused_unless_allowed(site: FeedSite) -> None:
    with pytest.raises(FetchError, match="private address"):
        fetcher(allow=False).fetch(site.url("/rss.xml"))
    with pytest.raises(FetchError, match="only http and https"):
        fetcher().fetch("file:///etc/passwd")


def test_canonical_urls_drop_tracking_and_fragments() -> None:
    assert canonical_url("HTTPS://Example.org/a?utm_source=x&b=2&fbclid=y&a=1#top") == "https://example.org/a?a=1&b=2"
    assert canonical_url("http://example.org:80") == "http://example.org/"


def test_the_registry_says_what_is_wrong(tmp_path: Path) -> None:
    registry = tmp_path / "feeds.yaml"
    registry.write_text("- name: x\n  url: ftp://example.org/feed\n  language: de\n")
    with pytest.raises(ConfigError, match="not an http"):
        load_feeds(registry, 60)
    registry.write_text("- name: x\n  language: de\n")
    with pytest.raises(ConfigError, match="lacks url"):
        load_feeds(registry, 60)
    assert len(load_feeds(Path(__file__).resolve().parents[2] / "seeds" / "feeds.yaml", 60)) == 4


def test_block_pages_served_with_200_are_dead_letters_with_their_kind_and_articles_about_them_are_stored(
        site: FeedSite, tmp_path: Path) -> None:
    pages = sorted(BLOCK_PAGES.glob("*.html")) + sorted((BLOCK_PAGES / "articles").glob("*.html"))
    links = [(page.stem, site.serve(f"/{page.parent.name}/{page.name}", page.read_bytes())) for page in pages]
    site.serve("/block-pages.xml", rss_of_links(links), "application/rss+xml")
    polling, outlet = poller(site, tmp_path, "/block-pages.xml")
    summary = polling.poll_once()
    kinds = {letter.url.rsplit("/", 1)[1]: letter.reason.split(" (")[0] for letter in outlet.letters}
    assert kinds == BLOCK_PAGE_KINDS and {letter.stage for letter in outlet.letters} == {"fetcher"}
    articles = len(pages) - len(BLOCK_PAGE_KINDS)
    assert articles >= 6 and summary.new_articles == len(outlet.published) == articles
    assert summary.failures == len(BLOCK_PAGE_KINDS)
    letter = next(letter for letter in outlet.letters if letter.url.endswith("/datadome-captcha.html"))
    assert letter.payload == (BLOCK_PAGES / "datadome-captcha.html").read_bytes()
    assert "DataDome" in letter.reason


def test_the_page_dates_an_article_and_a_feed_stamped_with_its_build_time_only_when_the_page_does_not(
        site: FeedSite, tmp_path: Path) -> None:
    built = "Sat, 30 Nov 2024 06:00:00 GMT"
    pages = {
        "jsonld": page("jsonld", "11.000").decode().replace("</head>", '<script type="application/ld+json">'
                                                            '{"@type": "NewsArticle", "datePublished": '
                                                            '"2024-11-05T09:30:00+01:00"}</script></head>'),
        "byline": page("byline", "11.000").decode().replace(
            "<article>", '<article><p class="autor">Veröffentlicht am 04.11.2024, 12:00 Uhr</p>'),
        "undated": page("undated", "11.000").decode(),
    }
    items = "".join(f"<item><title>{name}</title><link>{site.serve(f'/d/{name}.html', html.encode())}</link>"
                    f"<pubDate>{built}</pubDate></item>" for name, html in pages.items())
    site.serve("/dated.xml", f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><lastBuildDate>'
                             f"{built}</lastBuildDate>{items}</channel></rss>".encode(), "application/rss+xml")
    polling, outlet = poller(site, tmp_path, "/dated.xml")
    polling.poll_once()
    dated = {raw.title: (raw.published_at.isoformat() if raw.published_at else None, raw.published_source)
             for raw in outlet.published}
    assert dated == {"jsonld": ("2024-11-05T08:30:00+00:00", "jsonld"), "byline": ("2024-11-04T12:00:00+00:00", "byline"),
                     "undated": ("2024-11-30T06:00:00+00:00", "feed")}


def test_a_block_page_keeps_the_feed_text_as_a_partial_article_or_is_asked_for_again_later(
        site: FeedSite, tmp_path: Path) -> None:
    wall = (BLOCK_PAGES / "consent-wall-de.html").read_bytes()
    teaser = "Nach Angaben des Generalstabs sind etwa 11.000 nordkoreanische Soldaten in der Region Kursk."
    items = "".join(f"<item><title>{name}</title><link>{site.serve(f'/wall/{name}.html', wall)}</link>{extra}</item>"
                    for name, extra in (("with-text", f"<description>{teaser}</description>"), ("bare", "")))
    site.serve("/walls.xml", f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode(),
               "application/rss+xml")
    progress = Progress()
    polling, outlet = poller(site, tmp_path, "/walls.xml", limits=replace(LIMITS, entry_attempts=2))
    polling.progress = progress
    first = polling.poll_once()
    [partial] = outlet.published
    assert (partial.title, partial.text, partial.partial) == ("with-text", teaser, True)
    assert (first.new_articles, first.partial, first.retrying, outlet.letters) == (1, 1, 1, [])
    assert "1 stored (1 partial)" in first.line()
    state = polling.state["walls.xml"]
    state.retry_at = dict.fromkeys(state.retry_at, 0.0)  # the feed's interval has passed
    second = polling.poll_once()
    assert (second.duplicates, second.dead_entries) == (1, 1)
    assert [letter.reason.split(" (")[0] for letter in outlet.letters] == ["blocked: consent wall"]
    assert site.paths().count("/wall/bare.html") == 2 and site.paths().count("/wall/with-text.html") == 1
    host = site.base.removeprefix("http://")
    assert progress.host_counts() == {(host, "partial"): 1, (host, "retry"): 1, (host, "dead_letter"): 1}
    exposed = generate_latest(registry_of(progress)).decode()
    assert f'tallywire_host_entries_total{{fate="partial",host="{host}"}} 1.0' in exposed
