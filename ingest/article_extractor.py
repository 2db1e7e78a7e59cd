"""An article page's text and metadata, with trafilatura, cleaned like every other text."""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura

from tallywire.core.text_cleanup import clean_text


@dataclass(frozen=True)
class ExtractedArticle:
    text: str
    title: str = ""
    author: str = ""
    date: str = ""
    language: str = ""
    canonical_url: str = ""


def extract_article(html: str | bytes, url: str = "") -> ExtractedArticle:
    """Text and metadata of a page; empty text when trafilatura finds no article in it."""
    document = trafilatura.bare_extraction(html, url=url or None, with_metadata=True, include_comments=False,
                                           include_tables=False)
    if not document:
        return ExtractedArticle(text="")
    found = document if isinstance(document, dict) else document.as_dict()
    return ExtractedArticle(
        text=clean_text(found.get("text") or ""),
        title=found.get("title") or "",
        author=found.get("author") or "",
        date=found.get("date") or "",
        language=found.get("language") or "",
        canonical_url=found.get("url") or "",
    )
