"""Block pages told from articles: each kind by its evidence, and no article refused for what it mentions or
the scripts it loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.article_extractor import extract_article
from ingest.block_page import block_page
from ingest.file_source import read_articles
from tallywire.core.topics import DeadLetter, RawArticle
from tests.conftest import REPO
from tests.ingest.feed_server import BLOCK_PAGE_KINDS, BLOCK_PAGES

ARTICLES = sorted((BLOCK_PAGES / "articles").glob("*.html"))
# Sixty news pages of other tests, none of them a block page.
NEWS_PAGES = sorted((REPO / "tests" / "data" / "non_conflict_pages").glob("*.html"))


def judged(path: Path):  # noqa: ANN201 - BlockPage | None
    html = path.read_bytes()
    return block_page(html, extract_article(html, url=f"https://example.org/{path.name}").text)


@pytest.mark.parametrize("name", sorted(BLOCK_PAGE_KINDS))
def test_each_block_page_is_told_with_its_kind_and_evidence(name: str) -> None:
    found = judged(BLOCK_PAGES / name)
    assert found is not None and found.kind == BLOCK_PAGE_KINDS[name]
    assert found.reason.startswith(f"{found.kind} (") and "characters of its own text" in found.reason


@pytest.mark.parametrize("path", ARTICLES + NEWS_PAGES, ids=lambda path: path.name)
def test_an_article_is_no_block_page_whatever_it_mentions_or_loads(path: Path) -> None:
    assert judged(path) is None


def test_one_marker_without_the_rest_of_the_evidence_refuses_nothing() -> None:
    challenge = (BLOCK_PAGES / "cloudflare-just-a-moment.html").read_text()
    # The challenge's markup with an article's length of text is an article behind Cloudflare.
    assert block_page(challenge.replace("</h2>", "</h2>" + "<p>Der Landtag hat den Haushalt beschlossen.</p>" * 40),
                      "") is None
    # The wording alone, without Cloudflare's markup: an article quoting it.
    assert block_page("<html><head><title>Just a moment...</title></head><body><p>Verifying you are human.</p>"
                      "</body></html>", "") is None
    # A consent manager's script and a short text with no wall in it: a short news item.
    assert block_page('<html><head><script src="https://cdn.cookielaw.org/otSDKStub.js"></script></head><body>'
                      "<p>Die Stadtbahn fährt ab Montag wieder nach Fahrplan.</p></body></html>", "") is None


def test_html_files_that_are_block_pages_become_dead_letters_when_ingested() -> None:
    results = {Path(item.url).name: item for item in read_articles(sorted(BLOCK_PAGES.rglob("*.html")))}
    letters = {name: item.reason.split(" (")[0] for name, item in results.items() if isinstance(item, DeadLetter)}
    assert letters == BLOCK_PAGE_KINDS
    assert {name for name, item in results.items() if isinstance(item, RawArticle)} == {path.name for path in ARTICLES}
    assert results["consent-wall-de.html"].stage == "file-source"
