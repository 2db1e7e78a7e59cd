"""An article page's text and metadata, with trafilatura, cleaned like every other text.

When trafilatura finds no article in a page (a video page, a live ticker, a consent wall), or less
text than the feed entry holds itself, the entry's content or summary stands in for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

import charset_normalizer
import lxml.etree
import lxml.html
import trafilatura

from ingest.page_fetcher import IngestError
from ingest.text_cleanup import clean_text

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article")


class ExtractionFailed(IngestError):
    """Neither the page nor the feed entry holds article text."""


class UndecodablePage(ExtractionFailed):
    """The page's bytes are in no character encoding that can be told."""


@dataclass(frozen=True)
class ExtractedArticle:
    text: str
    title: str = ""
    author: str = ""
    published_at: datetime | None = None
    language: str = ""
    canonical_url: str = ""  # as the page declares it, unchecked
    from_feed_entry: bool = False  # the text is the feed entry's, not the page's


def extract_article(page: bytes | None, url: str, charset: str = "", fallback_html: str = "") -> ExtractedArticle:
    """Text and metadata of ``page`` (None: no page was fetched), the entry's ``fallback_html`` when the
    page yields less text than that. ``charset`` is the one the Content-Type header declared, if any."""
    found = _extract(decode_page(page, charset, url), url) if page else {}
    text = clean_text(found.get("text") or "")
    entry_text = clean_text(html_fragment_text(fallback_html))
    # A page that yields less than the entry's own summary yielded only its menus and teasers.
    from_feed_entry = len(text) < len(entry_text)
    if from_feed_entry:
        text = entry_text
    if not text:
        raise ExtractionFailed("no article text in the page or the feed entry", url)
    return ExtractedArticle(
        text=text,
        title=found.get("title") or "",
        author=found.get("author") or "",
        published_at=_date(found.get("date") or ""),
        language=found.get("language") or "",
        canonical_url=found.get("url") or "",
        from_feed_entry=from_feed_entry,
    )


def _extract(html: str, url: str) -> dict:
    document = trafilatura.bare_extraction(html, url=url or None, with_metadata=True, include_comments=False,
                                           include_tables=False)
    return document.as_dict() if document else {}


def decode_page(page: bytes, charset: str, url: str = "") -> str:
    """The page as text: in the charset its header or its ``<meta>`` declares, else UTF-8, else the
    encoding that fits its bytes best. trafilatura alone would ignore the header."""
    declared = _META_CHARSET.search(page[:4096])
    for candidate in (charset, declared.group(1).decode("ascii", "ignore") if declared else "", "utf-8"):
        if not candidate:
            continue
        try:
            return page.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    best = charset_normalizer.from_bytes(page).best()
    if best is None:
        raise UndecodablePage("page bytes in no recognisable character encoding", url)
    return str(best)


def html_fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed entry's content or summary), one line per block."""
    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    for element in root.iter("br", *_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    return root.text_content()


def _date(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
