"""The poller against a real HTTP server on 127.0.0.1: feed formats, conditional GET, restarts, bad feeds."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import feedparser
import pytest

from ingest.feed_poller import FeedPoller, PollSummary
from ingest.feed_registry import Feed, FeedOptions
from ingest.page_fetcher import PageFetcher
from tests.ingest.conftest import JournalOutlet
from tests.ingest.feed_server import Answer, FeedSite, page, rss

BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (n, b"".join(b"&lol%d;" % (n - 1) if n > 1 else b"&lol;"
                                                                    for _ in range(10))) for n in range(1, 10))
                  + b']><rss version="2.0"><channel><title>&lol9;</title></channel></rss>')
EXTERNAL_ENTITY = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
                   b'<rss version="2.0"><channel><title>&secret;</title></channel></rss>')


def feed(site: FeedSite, path: str, **options: object) -> Feed:
    return Feed(path.strip("/").replace("/", "-"), site.url(path), "de", 60.0, FeedOptions(**options))


class Rig:
    """A poller on a data directory with a journal outlet; ``restart`` builds a new one on the same two."""

    def __init__(self, feeds: list[Feed], tmp_path: Path, make_fetcher: Callable[..., PageFetcher], **poller: object):
        self.feeds, self.tmp_path, self.make_fetcher, self.poller_args = feeds, tmp_path, make_fetcher, poller
        self.restart()

    def restart(self) -> None:
        self.outlet = JournalOutlet(self.tmp_path / "journal.jsonl")
        data_dir = self.tmp_path / "data"
        self.poller = FeedPoller(self.feeds, self.make_fetcher(), self.outlet, data_dir, **self.poller_args)

    def poll(self, only_due: bool = False) -> PollSummary:
        return self.poller.poll_once(only_due=only_due)


@pytest.fixture
def rig(tmp_path: Path, make_fetcher: Callable[..., PageFetcher]) -> Callable[..., Rig]:
    return lambda feeds, **poller: Rig(feeds, tmp_path, make_fetcher, **poller)


def test_new_entries_of_rss_atom_and_rdf_become_raw_articles(site: FeedSite, rig: Callable[..., Rig]) -> None:
    polling = rig([feed(site, "/rss.xml"), feed(site, "/atom.xml"), feed(site, "/rdf.xml")])
    summary = polling.poll()
    assert (summary.feeds, summary.new_articles, summary.failures) == (3, 4, 0)
    published = {raw.title: raw for raw in polling.outlet.published}
    assert set(published) == {"a1", "a2", "a3", "a4"}
    first = published["a1"]
    assert "etwa 11.000 nordkoreanische Soldaten" in first.text and "Impressum" not in first.text
    assert first.url == site.url("/articles/a1.html")  # tracking and fragment of the feed's link dropped
    assert (first.origin, first.feed, first.source, first.lang) == ("feed", "rss.xml", "rss.xml", "de")
    assert first.published_at is not None and first.published_at.isoformat() == "2024-11-07T10:00:00+00:00"
    assert published["a3"].source == "atom.xml" and published["a4"].published_at is not None
    assert sorted(summary.published_ids) == sorted(raw.article_id for raw in published.values())


def test_the_second_poll_is_conditional_and_parses_nothing(site: FeedSite, rig: Callable[..., Rig],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    polling = rig([feed(site, "/rss.xml")])
    polling.poll()
    parses = []
    monkeypatch.setattr(feedparser, "parse", lambda *args, **kwargs: parses.append(args))
    pages_before = len(site.requests)
    second = polling.poll()
    assert (second.feeds, second.not_modified, second.new_articles) == (1, 1, 0) and parses == []
    last = site.requests_to("/rss.xml")[-1].headers
    assert last["If-None-Match"] == '"v1"' and last["If-Modified-Since"] == "Thu, 07 Nov 2024 10:00:00 GMT"
    assert len(site.requests) == pages_before + 1  # the feed alone


def test_a_restarted_poller_pushes_no_article_twice(site: FeedSite, rig: Callable[..., Rig]) -> None:
    polling = rig([feed(site, "/rss.xml"), feed(site, "/atom.xml")])
    assert polling.poll().new_articles == 3
    polling.restart()
    assert polling.poll().new_articles == 0
    (polling.tmp_path / "data" / "feed-state.json").unlink()  # even without the conditional-GET state
    polling.restart()
    assert polling.poll().new_articles == 0 and polling.outlet.published == []
    assert len(polling.outlet.journal) == 3


def test_only_due_feeds_are_polled(site: FeedSite, rig: Callable[..., Rig]) -> None:
    polling = rig([feed(site, "/rss.xml")])
    assert polling.poll(only_due=True).feeds == 1
    assert polling.poll(only_due=True).feeds == 0
    assert 55 < polling.poller.seconds_until_due() <= 60


def test_a_feed_disallowed_by_robots_txt_is_a_dead_letter(site: FeedSite, rig: Callable[..., Rig]) -> None:
    site.route("/private/feed.xml", Answer(body=rss(site.base, ["a7"]), content_type="application/rss+xml"))
    polling = rig([feed(site, "/private/feed.xml")])
    assert polling.poll().failures == 1
    letter = polling.outlet.letters[0]
    assert letter.stage == "fetcher" and "private-feed.xml: disallowed by robots.txt" in letter.reason
    assert letter.url == site.url("/private/feed.xml") and "/private/feed.xml" not in site.paths()


def test_a_feed_answering_429_is_asked_again_after_retry_after(site: FeedSite, rig: Callable[..., Rig]) -> None:
    answers = iter([Answer(429, headers={"Retry-After": "1"})])
    body = rss(site.base, ["a1"])
    site.route("/limited.xml", lambda _: next(answers, Answer(body=body, content_type="application/rss+xml")))
    polling = rig([feed(site, "/limited.xml")])
    assert polling.poll().new_articles == 1
    first, second = site.requests_to("/limited.xml")
    assert second.at - first.at >= 0.95


def test_a_long_retry_after_postpones_the_feed(site: FeedSite, rig: Callable[..., Rig]) -> None:
    site.route("/busy.xml", Answer(503, headers={"Retry-After": "7200"}))
    polling = rig([feed(site, "/busy.xml")])
    assert polling.poll().failures == 1 and "HTTP 503" in polling.outlet.reasons()
    assert polling.poller.seconds_until_due() > 7000


def test_a_failing_feed_is_backed_off(site: FeedSite, rig: Callable[..., Rig]) -> None:
    polling = rig([feed(site, "/missing.xml")])
    polling.poll()
    polling.poll()
    state = polling.poller.state["missing.xml"]
    assert state.failures == 2 and polling.poller.seconds_until_due() > 100  # 60 s interval, doubled
    assert polling.poll(only_due=True).feeds == 0
    polling.restart()  # the backoff survives a restart
    assert polling.poll(only_due=True).feeds == 0


def test_hostile_and_broken_feeds_end_as_dead_letters_or_parse(site: FeedSite, rig: Callable[..., Rig]) -> None:
    xml = "application/rss+xml"
    site.route("/loop.xml", Answer(302, headers={"Location": "/loop.xml"}))
    whole = rss(site.base, ["a5", "a6"])
    site.route("/truncated.xml", Answer(body=whole[: whole.index(b"a6.html") + 4], content_type=xml))  # mid-link
    site.route("/cp1252.xml", Answer(body=rss(site.base, ["a8"], "windows-1252", "Größte Nachrichten für Köln")
                                     .replace(b"<title>a8", "<title>Grüße aus Köln".encode("windows-1252")),
                                     content_type="text/xml"))
    site.route("/laughs.xml", Answer(body=BILLION_LAUGHS, content_type=xml))
    site.route("/external.xml", Answer(body=EXTERNAL_ENTITY, content_type=xml))
    site.route("/not-a-feed.xml", Answer(body=b"<html><body>Wartungsarbeiten</body></html>", content_type="text/xml"))
    site.route("/huge.xml", Answer(body=rss(site.base, ["huge"]), content_type=xml))
    site.route("/articles/huge.html", Answer(body=b"<html>" + b"x" * (10 * 1024 * 1024)))
    names = ["/loop.xml", "/truncated.xml", "/cp1252.xml", "/laughs.xml", "/external.xml", "/not-a-feed.xml",
             "/huge.xml"]
    polling = rig([feed(site, name) for name in names])
    started = time.monotonic()
    summary = polling.poll()
    assert time.monotonic() - started < 10
    assert sorted(raw.title for raw in polling.outlet.published) == ["Grüße aus Köln", "a5"]
    letters = {letter.reason.split(":")[0].removeprefix("feed "): letter for letter in polling.outlet.letters}
    assert "more than 3 redirects" in letters["loop.xml"].reason
    assert "malformed feed (2 entries recovered)" in letters["truncated.xml"].reason  # a6 without its link
    assert letters["truncated.xml"].stage == "poller" and letters["truncated.xml"].payload.startswith(b"<?xml")
    assert "declares XML entities" in letters["laughs.xml"].reason and "lollol" not in polling.outlet.reasons()
    assert "declares XML entities" in letters["external.xml"].reason and "root:" not in polling.outlet.reasons()
    assert "not an RSS or Atom feed" in letters["not-a-feed.xml"].reason
    assert "larger than" in letters["huge.xml"].reason
    assert letters["huge.xml"].url.startswith(site.url("/articles/huge.html"))
    assert summary.failures == 6 and summary.feeds == 7
    assert polling.poller.state["truncated.xml"].etag == ""  # read whole again next time


def test_an_entry_that_failed_for_good_is_not_fetched_again(site: FeedSite, rig: Callable[..., Rig]) -> None:
    site.route("/movies.xml", Answer(body=rss(site.base, ["clip"]), content_type="application/rss+xml"))
    site.route("/articles/clip.html", Answer(body=b"\0" * 1000, content_type="video/mp4"))
    site.route("/flaky.xml", Answer(body=rss(site.base, ["flaky"]), content_type="application/rss+xml"))
    site.route("/articles/flaky.html", Answer(502))
    polling = rig([feed(site, "/movies.xml"), feed(site, "/flaky.xml")])
    assert polling.poll().failures == 2
    assert polling.poll().failures == 1  # the 502 is tried again, the video is not
    assert len(site.requests_to("/articles/clip.html")) == 1
    assert "unexpected content type video/mp4" in polling.outlet.letters[0].reason


def test_a_full_text_feed_needs_no_page(site: FeedSite, rig: Callable[..., Rig]) -> None:
    body = rss(site.base, ["ft"]).replace(b"</title>", b"</title><description>&lt;p&gt;Volltext im Feed.&lt;/p&gt;"
                                          b"</description>", 2)
    site.route("/fulltext.xml", Answer(body=body, content_type="application/rss+xml"))
    polling = rig([feed(site, "/fulltext.xml", fetch_pages=False)])
    assert polling.poll().new_articles == 1
    assert polling.outlet.published[0].text == "Volltext im Feed." and "/articles/ft.html" not in site.paths()


def test_max_entries_bounds_what_a_poll_takes(site: FeedSite, rig: Callable[..., Rig]) -> None:
    site.route("/many.xml", Answer(body=rss(site.base, ["m1", "m2", "m3"]), content_type="application/rss+xml"))
    polling = rig([feed(site, "/many.xml", max_entries=2)])
    assert [raw.title for raw in polling.outlet.published] == [] and polling.poll().new_articles == 2


def test_an_article_in_two_feeds_is_published_once(site: FeedSite, rig: Callable[..., Rig]) -> None:
    site.route("/other.xml", Answer(body=rss(site.base, ["a1", "b1"]), content_type="application/rss+xml"))
    polling = rig([feed(site, "/rss.xml"), feed(site, "/other.xml")], concurrency=2)
    assert polling.poll().new_articles == 3
    assert sorted(raw.title for raw in polling.outlet.published) == ["a1", "a2", "b1"]


def test_feeds_are_polled_side_by_side(site: FeedSite, rig: Callable[..., Rig]) -> None:
    for n in range(4):
        site.route(f"/slow{n}.xml", Answer(body=rss(site.base, []), content_type="application/rss+xml", delay_s=0.4))
    polling = rig([feed(site, f"/slow{n}.xml") for n in range(4)], concurrency=4)
    started = time.monotonic()
    assert polling.poll().feeds == 4
    assert time.monotonic() - started < 1.2  # one after the other would take 1.6 s


def test_progress_is_reported_per_feed(site: FeedSite, rig: Callable[..., Rig]) -> None:
    lines: list[str] = []
    polling = rig([feed(site, "/rss.xml"), feed(site, "/missing.xml")], concurrency=1,
                  on_progress=lambda summary: lines.append(summary.line()))
    polling.poll()
    assert lines == ["polled 1 feeds (0 unchanged): 2 new articles, 0 failures",
                     "polled 2 feeds (0 unchanged): 2 new articles, 1 failures"]


def test_an_unreadable_state_file_starts_afresh(site: FeedSite, rig: Callable[..., Rig], tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "feed-state.json").write_text("{not json")
    polling = rig([feed(site, "/rss.xml")])
    assert polling.poll().new_articles == 2
    assert polling.poller.state["rss.xml"].etag == '"v1"'


def test_the_page_title_stands_in_for_a_missing_entry_title(site: FeedSite, rig: Callable[..., Rig]) -> None:
    site.route("/untitled.xml", Answer(body=rss(site.base, ["u1"]).replace(b"<title>u1</title>", b""),
                                       content_type="application/rss+xml"))
    site.route("/articles/u1.html", Answer(body=page("Seitentitel")))
    polling = rig([feed(site, "/untitled.xml")])
    polling.poll()
    assert polling.outlet.published[0].title.startswith("Seitentitel")
