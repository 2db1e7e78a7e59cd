"""Local text and HTML files as raw articles: the path ``tallywire ingest`` and ``run --seeds`` take.

A ``manifest.json`` beside the files may give each file's publication date, language and outlet
(``{"articles": {"name.txt": {"published": "2024-11-07", "lang": "de", "source": "..."}}}``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

from ingest.article_size import SizeLimits
from ingest.block_page import block_page
from ingest.language_guess import guess_language
from ingest.publication_date import PublicationDate, publication_date
from tallywire.core.text_cleanup import clean_text
from tallywire.core.errors import ConfigError
from tallywire.core.topics import MAX_DEAD_LETTER_PAYLOAD, DeadLetter, RawArticle, stable_id, utcnow

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
MANIFEST = "manifest.json"


class BlockedPage(ValueError):
    """An HTML file saved from a block page (a captcha, consent wall, paywall teaser): its dead letter's
    reason is the message, the kind first, as the poller gives it."""


def article_files(paths: list[Path]) -> list[Path]:
    """The article files named or inside the folders named, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise ConfigError(f"no such file or folder: {path}")
    return found


def read_articles(paths: list[Path], limits: SizeLimits | None = None) -> Iterator[RawArticle | DeadLetter]:
    """A raw article per readable file; a dead letter for a file that cannot be read as an article or is
    too large for a message (``limits``: the configured ones when not given)."""
    limits = limits or SizeLimits.from_settings()
    manifests: dict[Path, dict] = {}
    for path in article_files(paths):
        folder = path.parent
        if folder not in manifests:
            manifests[folder] = _load_manifest(folder / MANIFEST)
        try:
            yield _article_from_file(path, manifests[folder].get(path.name, {}), limits)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = str(exc) if isinstance(exc, BlockedPage) else f"{type(exc).__name__}: {exc}"
            yield DeadLetter.of("file-source", reason, _head(path), url=str(path), size=_size(path))


def _article_from_file(path: Path, meta: dict, limits: SizeLimits) -> RawArticle:
    is_html = path.suffix.lower() in HTML_SUFFIXES
    if not is_html:
        # A text file is its article's text: one beyond the message limit is refused before it is read.
        limits.check("text file", path.stat().st_size)
    data = path.read_bytes()
    dated = PublicationDate(None)
    if is_html:
        from ingest.article_extractor import extract_article

        extracted = extract_article(data.decode("utf-8", errors="replace"), url=str(path))
        blocked = block_page(data, extracted.text)
        if blocked:
            raise BlockedPage(blocked.reason)
        text, title = extracted.text, extracted.title
        # A saved page dates itself as a fetched one would, unless the manifest says otherwise.
        dated = publication_date(data, lang=extracted.language, htmldate_reading=extracted.date)
    else:
        text = clean_text(data.decode("utf-8"))
        title = _first_line(text)
    if not text.strip():
        raise ValueError("no article text in the file")
    published, published_source = _published(meta.get("published")), "manifest"
    if published is None:
        published, published_source = dated.published_at, dated.source
    article_id = stable_id("text", text)  # of the whole text: two long texts that begin alike stay two
    text, truncated_from = limits.fit(text)
    return RawArticle(
        article_id=article_id,
        url=str(path),
        source=meta.get("source", path.name),
        title=title,
        text=text,
        lang=meta.get("lang") or guess_language(text),
        published_at=published,
        published_source=published_source,
        fetched_at=utcnow(),
        origin="file",
        truncated_from=truncated_from,
    )


def _published(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value) if "T" in value else datetime.combine(date.fromisoformat(value), datetime.min.time())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0][:200]


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_DEAD_LETTER_PAYLOAD)
    except OSError:
        return b""


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _load_manifest(path: Path) -> dict:
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("articles", {})
    except (ValueError, AttributeError) as exc:
        raise ConfigError(f"{path} is not a valid manifest: {exc}", hint='expected {"articles": {"file": {...}}}') from exc
