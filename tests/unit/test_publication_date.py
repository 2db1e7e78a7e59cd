"""The publication date: each signal read, the decision between them, and no HTML that makes it raise."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.dates import GOAL, measure
from ingest.publication_date import FeedDate, publication_date

NOW = datetime(2024, 12, 1, 12, 0, tzinfo=timezone.utc)


def read(html: str, url: str = "https://news.example/story", **options: object):  # noqa: ANN201
    return publication_date(html, url, now=NOW, use_htmldate=False, **options)


def page(head: str = "", body: str = "", lang: str = "de") -> str:
    return f'<html lang="{lang}"><head>{head}</head><body><article><h1>Titel</h1>{body}<p>Text.</p></article></body></html>'


def day(found) -> str | None:  # noqa: ANN001
    return found.published_at.date().isoformat() if found.published_at else None


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_jsonld_in_a_graph_gives_the_article_date_not_the_modified_one() -> None:
    article = {"@type": "NewsArticle", "datePublished": "2024-11-05T10:00:00+01:00",
               "dateModified": "2024-11-07T09:00:00+01:00"}
    found = read(page(ld({"@graph": [{"@type": "WebSite"}, article]})))
    assert (day(found), found.source) == ("2024-11-05", "jsonld")
    assert found.published_at == datetime(2024, 11, 5, 9, 0, tzinfo=timezone.utc)


def test_jsonld_list_and_related_articles_nested_in_an_item_list() -> None:
    related = {"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": {
        "@type": "NewsArticle", "datePublished": "2024-10-01"}}]}
    found = read(page(ld([related, {"@type": "NewsArticle", "datePublished": "2024-11-05"}])))
    assert (day(found), found.source) == ("2024-11-05", "jsonld")
    assert day(read(page(ld(related)))) is None


@pytest.mark.parametrize("tag, source", [
    ('<meta property="article:published_time" content="2024-11-05T08:00:00Z">', "opengraph"),
    ('<meta name="date" content="2024-11-05">', "meta"),
    ('<meta name="DC.date.issued" content="2024-11-05">', "meta"),
    ('<meta name="sailthru.date" content="2024-11-05 08:00:00">', "meta"),
    ('<meta name="parsely-pub-date" content="2024-11-05T08:00:00Z">', "meta"),
    ('<meta name="publish-date" content="2024-11-05">', "meta"),
])
def test_each_meta_tag(tag: str, source: str) -> None:
    found = read(page(tag))
    assert (day(found), found.source) == ("2024-11-05", source)


def test_a_modified_date_dates_an_article_only_when_nothing_nearer_does() -> None:
    modified = page('<meta property="article:modified_time" content="2024-11-09T08:00:00Z">')
    assert day(read(modified)) == "2024-11-09"  # the only date there is
    found = read(modified, feed=FeedDate(datetime(2024, 11, 5, 8, tzinfo=timezone.utc)))
    assert (day(found), found.source) == ("2024-11-05", "feed")
    built = datetime(2024, 11, 30, 6, tzinfo=timezone.utc)
    assert day(read(modified, feed=FeedDate(built, feed_built=built))) == "2024-11-09"  # the build time is no nearer


@pytest.mark.parametrize("text, lang, expected", [
    ("Veröffentlicht am 05.11.2024, 14:30 Uhr", "de", "2024-11-05"),
    ("Veröffentlicht am 5. November 2024", "de", "2024-11-05"),
    ("Stand: 5. Nov. 2024", "de", "2024-11-05"),
    ("Erschienen 05/11/2024", "de", "2024-11-05"),
    ("Published 11/05/2024 2:30 PM", "en-US", "2024-11-05"),
    ("Published 05/11/2024 14:30", "en-GB", "2024-11-05"),
    ("Published November 5, 2024", "en", "2024-11-05"),
    ("Tuesday 5 November 2024 14.30 GMT", "en-GB", "2024-11-05"),
])
def test_a_byline_date_is_read_in_the_page_language(text: str, lang: str, expected: str) -> None:
    found = read(page(body=f'<p class="byline">{text}</p>', lang=lang))
    assert (day(found), found.source) == (expected, "byline")


def test_the_published_byline_date_wins_over_the_updated_one_beside_it() -> None:
    found = read(page(body='<p class="meta">Aktualisiert am 09.11.2024 | Veröffentlicht am 05.11.2024</p>'))
    assert day(found) == "2024-11-05"
    wordpress = ('<header><time class="updated" datetime="2024-11-09">Nov 9</time>'
                 '<time class="entry-date published" datetime="2024-11-05">Nov 5</time></header>')
    assert (day(read(page(body=wordpress, lang="en"))), read(page(body=wordpress)).source) == ("2024-11-05", "time")


def test_sidebar_and_teaser_dates_are_not_the_article_date() -> None:
    sidebar = ('<aside><time datetime="2024-10-01">1.10.</time></aside>'
               '<div class="related"><p class="date">Veröffentlicht 02.10.2024</p></div>'
               '<ul><li><a href="/x">Anderes <time datetime="2024-10-03">3.10.</time></a></li></ul>')
    assert day(read(page(body=sidebar))) is None
    found = read(page(body=sidebar + '<time datetime="2024-11-05T10:00">5.11.</time>'))
    assert (day(found), found.source) == ("2024-11-05", "time")


@pytest.mark.parametrize("url", ["https://x.example/2024/11/05/story", "https://x.example/news/story-20241105",
                                 "https://x.example/a/2024-11-05-story.html"])
def test_a_date_in_the_url(url: str) -> None:
    found = read(page(), url)
    assert (day(found), found.source) == ("2024-11-05", "url")


def test_no_signal_gives_no_date() -> None:
    found = read(page(body="<p>© 2024 Verlag</p>"), "https://x.example/2024/45/story")
    assert (found.published_at, found.source) == (None, "")


def test_future_and_ancient_dates_are_refused() -> None:
    found = read(page('<meta name="date" content="2025-06-01">'))
    assert found.published_at is None and "in the future" in found.refused[0]
    assert read(page('<meta name="date" content="1970-01-01">')).published_at is None
    assert day(read(page('<meta name="date" content="2024-12-02T06:00:00Z">'))) == "2024-12-02"  # within tolerance


def test_a_trusted_feed_date_dates_a_page_without_one() -> None:
    found = read(page(), feed=FeedDate(datetime(2024, 11, 5, 8, tzinfo=timezone.utc)))
    assert (day(found), found.source) == ("2024-11-05", "feed")


@pytest.mark.parametrize("feed", [
    FeedDate(datetime(2024, 11, 30, 6, tzinfo=timezone.utc), feed_built=datetime(2024, 11, 30, 6, tzinfo=timezone.utc)),
    FeedDate(datetime(2024, 11, 30, 6, tzinfo=timezone.utc), shared_by_all_entries=True),
    FeedDate(datetime(2024, 11, 30, 6, tzinfo=timezone.utc)),  # later than the page's own date
])
def test_a_misleading_feed_date_does_not_win_over_the_page(feed: FeedDate) -> None:
    found = read(page(body='<p class="byline">5. November 2024</p>'), feed=feed)
    assert (day(found), found.source) == ("2024-11-05", "byline")
    assert any(note.startswith("feed") for note in found.refused)


def test_a_suspicious_feed_date_is_still_used_when_the_page_has_none() -> None:
    built = datetime(2024, 11, 30, 6, tzinfo=timezone.utc)
    found = read(page(), feed=FeedDate(built, feed_built=built))
    assert (found.published_at, found.source) == (built, "feed")


def test_signals_that_disagree_are_decided_by_their_agreement() -> None:
    # A meta tag alone says the 7th; the URL and the time element agree on the 5th.
    html = page('<meta name="date" content="2024-11-07">', '<time datetime="2024-11-05T09:00">5.11.</time>')
    found = read(html, "https://x.example/2024/11/05/story")
    assert (day(found), found.source) == ("2024-11-05", "time")
    assert {s.source for s in found.signals} == {"meta", "time", "url"}


def test_htmldate_is_one_signal_among_them() -> None:
    html = page(body='<p>Ein Text vom 5. November 2024 ohne Kennzeichnung.</p>')
    found = publication_date(html, now=NOW, htmldate_reading="2024-11-05")
    assert (day(found), found.source) == ("2024-11-05", "htmldate")


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=3000), st.binary(max_size=3000),
                 st.lists(st.sampled_from([
                     "<time datetime='", "2024-13-45", "'>", "<meta name='date' content='", "99.99.9999",
                     "<script type='application/ld+json'>", '{"@graph": [{"datePublished": [1, {}]}]}', "</script>",
                     "Veröffentlicht am 31. Februar 2024", "Published 02/30/2024", "<aside>", "<li><a>", "\x00",
                     "<html lang='en-us'>", "]]>", "{", "@", "<", "9999-12-31T23:59:59+14:00", "0001-01-01",
                 ]), max_size=40).map("".join)),
       st.text(max_size=100))
def test_never_raises_on_any_html(html: str | bytes, url: str) -> None:
    found = publication_date(html, url, now=NOW, use_htmldate=False)
    assert found.published_at is None or found.published_at.tzinfo is not None


def test_the_date_benchmark_meets_its_goal() -> None:
    result = measure()
    assert result["pages"] >= 60 and result["german"] >= 24
    for setting in ("tallywire_no_feed", "tallywire_misleading_feed"):
        assert result["accuracy"][setting] >= GOAL, result["misses"]
        assert result["accuracy"][setting] > result["accuracy"]["htmldate"]
