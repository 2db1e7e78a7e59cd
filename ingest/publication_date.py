"""When an article was first published, from every signal its page and feed entry give, with the evidence.

Each signal is read apart: the page's JSON-LD (``datePublished``, in ``@graph`` and lists too), OpenGraph
(``article:published_time``), common meta tags, ``<time>`` elements and a visible byline date, htmldate's
reading, a date in the URL and the feed entry's date. Dates are read in the page's language: "05.11.2024"
and "5. November 2024" are day-first, "11/05/2024" month-first only on an US-English page.

The decision is by agreement and plausibility, not by one signal's say:
- a date after ``now`` plus a small tolerance, or before the floor, is refused whatever gave it;
- a page's "modified"/"updated" dates only date it when it gives no "published" date;
- ``<time>`` and byline dates in sidebars, lists of related articles, navigation and footers are not read:
  they date other articles;
- the page signals vote for their day, the more trusted ones with more weight; the winning day's most
  trusted signal gives the time and ``source``;
- the feed entry's date votes only when it is trustworthy: not the feed's own build time, not shared by
  every entry of one poll (a feed that stamps its entries with the time it was written) and not later than
  the page's own date (an updated entry). Otherwise it dates the article only when the page gives no date.

Pure: no network, no clock unless ``now`` is left out. Never raises on any HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import lxml.etree
import lxml.html

# What a signal's day weighs in the vote. Structured data is written by the CMS for this very purpose; a
# URL's date is fixed when the article is created; htmldate guesses, sometimes from a sidebar.
WEIGHTS = {"jsonld": 4.0, "opengraph": 3.5, "meta": 3.0, "url": 3.0, "time": 2.5, "byline": 2.5, "feed": 2.0,
           "htmldate": 1.5}
# Ties go to the signal written for machines before the one guessed from text.
PRIORITY = ("jsonld", "opengraph", "meta", "time", "byline", "url", "feed", "htmldate")
FUTURE_TOLERANCE = timedelta(days=1)  # time zones and clocks a little ahead; a later date is a typo or a scheduled event
SAME_AS_BUILD = timedelta(minutes=1)

_ARTICLE_TYPES = re.compile(r"article|posting|report|blog|webpage|creativework|liveblog|newsarticle", re.I)
_PUBLISHED_META = {
    "article:published_time", "og:published_time", "date", "pubdate", "publishdate", "publish-date", "publish_date",
    "dc.date", "dc.date.issued", "dc.date.created", "dcterms.date", "dcterms.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "article.published", "article_date_original", "original-publish-date",
    "datepublished", "date_published", "article.created", "cxenseparse:recs:publishtime", "publication_date",
    "citation_publication_date", "citation_date", "created", "published", "published_time", "article:published",
    "release_date", "date.available", "nv:date", "og:article:published_time", "last-published",
}
_MODIFIED_META = {
    "article:modified_time", "og:updated_time", "og:modified_time", "last-modified", "lastmod", "dc.date.modified",
    "dcterms.modified", "datemodified", "date_modified", "article.updated", "updated", "modified", "revised",
    "sailthru.lastmodified", "parsely-updated",
}
_OPENGRAPH = {"article:published_time", "og:published_time", "og:article:published_time", "article:published",
              "article:modified_time", "og:updated_time", "og:modified_time"}
# Containers whose dates belong to other articles or to the site.
_ELSEWHERE = re.compile(
    r"related|sidebar|teaser|recommend|more-?(articles|stories|news)|weitere|empfehl|mehr-?zum|newsletter|"
    r"widget|trending|popular|meistgelesen|footer|comment|kommentar|promo|\bnav|breadcrumb|archive|latest|"
    r"aktuell-liste|most-read|read-next|also-read|siehe-auch|lesen-sie", re.I)
_ELSEWHERE_TAGS = {"aside", "nav", "footer", "menu"}
_UPDATED_WORDS = re.compile(r"updat|aktualisiert|geändert|modifi|revised|zuletzt|last\s+edit|stand\b", re.I)
_PUBLISHED_WORDS = re.compile(
    r"publi|veröffentlicht|erschienen|posted|erstmals|created|erstellt|\bdatum\b|\bdate\b", re.I)
_BYLINE_CLASS = re.compile(r"byline|date|datum|time|zeit|meta|publish|posted|info|autor|author|dateline|stand|header", re.I)

_MONTHS = {
    # German
    "januar": 1, "jänner": 1, "jan": 1, "februar": 2, "feb": 2, "märz": 3, "maerz": 3, "mär": 3, "mrz": 3,
    "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "dezember": 12,
    "dez": 12,
    # English (the same abbreviations above serve both)
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6, "july": 7, "october": 10, "oct": 10,
    "december": 12, "dec": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = r"(?:,?\s*(?:um\s+|at\s+|-\s*)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*uhr)?)?"
_TEXT_DATES = (
    re.compile(r"(?<!\d)(?P<iso>(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2}))(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2}))?", re.I),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<year>\d{4})(?!\d)" + _TIME, re.I),
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})(?!\d)" + _TIME, re.I),
    re.compile(r"(?<!\d)(?P<d>\d{1,2})(?:\.|st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})(?!\d)" + _TIME, re.I),
    re.compile(r"\b" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})(?!\d)" + _TIME, re.I),
)
_URL_DATES = (
    re.compile(r"/(?P<year>(?:19|20)\d{2})/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$|[-_])"),
    re.compile(r"[/_-](?P<year>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?:[/_.-]|$)"),
    re.compile(r"(?<![\d])(?P<year>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),
)
_MAX_HTML = 3_000_000  # characters read at most: the head and article of any real page fit


@dataclass(frozen=True)
class DateSignal:
    source: str  # jsonld, opengraph, meta, time, byline, htmldate, url, feed
    value: datetime  # aware, UTC
    modified: bool = False  # a "modified"/"updated" date rather than the first publication
    evidence: str = ""  # what it was read from, for whoever checks a decision


@dataclass(frozen=True)
class FeedDate:
    """A feed entry's date with what the poll knows of the feed: its build time and whether every entry
    of the poll carried the same date."""

    value: datetime
    feed_built: datetime | None = None
    shared_by_all_entries: bool = False


@dataclass(frozen=True)
class PublicationDate:
    published_at: datetime | None
    source: str = ""  # the signal that won; "" when none dated the article
    signals: tuple[DateSignal, ...] = ()
    refused: tuple[str, ...] = ()  # signals set aside, and why


def publication_date(html: str | bytes, url: str = "", *, feed: FeedDate | None = None, lang: str = "",
                     now: datetime | None = None, floor: datetime | None = None,
                     htmldate_reading: str | None = None, use_htmldate: bool = True) -> PublicationDate:
    """The article's publication time and the signal it came from; ``published_at`` None when no signal
    gives a plausible date. ``htmldate_reading``: htmldate's answer when the caller has it already."""
    now = now or datetime.now(timezone.utc)
    floor = floor or datetime(1995, 1, 1, tzinfo=timezone.utc)
    document, text = _parse(html)
    day_first = _day_first(lang or _document_lang(document))
    found: list[DateSignal] = []
    if document is not None:
        found += _guarded(_jsonld_signals, document)
        found += _guarded(_meta_signals, document)
        found += _guarded(_time_signals, document, day_first)
        found += _guarded(_byline_signals, document, day_first)
    if use_htmldate:
        found += _htmldate_signal(text, htmldate_reading, now, floor)
    found += _url_signals(url)
    plausible, refused = [], []
    for signal in found:
        if signal.value > now + FUTURE_TOLERANCE:
            refused.append(f"{signal.source} {signal.value.isoformat()}: in the future")
        elif signal.value < floor:
            refused.append(f"{signal.source} {signal.value.isoformat()}: before {floor.date().isoformat()}")
        else:
            plausible.append(signal)
    feed_signal, distrust = _feed_signal(feed, plausible, now, floor)
    if distrust:
        refused.append(distrust)
    decided = _decide(plausible, feed_signal, trusted_feed=not distrust)
    signals = tuple(plausible + ([feed_signal] if feed_signal else []))
    if decided is None:
        return PublicationDate(None, "", signals, tuple(refused))
    return PublicationDate(decided.value, decided.source, signals, tuple(refused))


def _decide(page: list[DateSignal], feed: DateSignal | None, trusted_feed: bool) -> DateSignal | None:
    published = [s for s in page if not s.modified]
    trusted = [feed] if feed is not None and trusted_feed else []
    if not published:
        # A page that says only when it changed: a trustworthy feed date of the entry is nearer its publication,
        # and a feed's build time is no nearer than the change.
        modified = sorted(page, key=lambda s: (PRIORITY.index(s.source), s.value))
        return (trusted or modified)[0] if trusted or modified else feed
    voters = published + trusted
    votes: dict[date, float] = {}
    for signal in voters:
        votes[signal.value.date()] = votes.get(signal.value.date(), 0.0) + WEIGHTS[signal.source]
    best = max(votes.values())

    def rank(signal: DateSignal) -> tuple[int, datetime]:
        return PRIORITY.index(signal.source), signal.value

    return min((s for s in voters if votes[s.value.date()] == best), key=rank)


def _feed_signal(feed: FeedDate | None, page: list[DateSignal], now: datetime,
                 floor: datetime) -> tuple[DateSignal | None, str]:
    """The feed entry's date as a signal, and why it is not trusted ("" when it is): an untrusted one dates
    the article only when the page gives no date."""
    if feed is None:
        return None, ""
    value = _utc(feed.value)
    if value > now + FUTURE_TOLERANCE or value < floor:
        return None, f"feed {value.isoformat()}: implausible"
    page_published = [s.value for s in page if not s.modified and s.source != "htmldate"]
    why = ""
    if feed.feed_built is not None and abs(value - _utc(feed.feed_built)) <= SAME_AS_BUILD:
        why = "the feed's own build time"
    elif feed.shared_by_all_entries:
        why = "shared by every entry of the poll"
    elif page_published and value.date() > min(page_published).date():
        why = "later than the page's own date"
    return DateSignal("feed", value, evidence="feed entry"), f"feed {value.isoformat()}: {why}" if why else ""


def _guarded(reader, *args) -> list[DateSignal]:  # noqa: ANN001 - one of the readers below
    # A reader meeting markup no one foresaw gives no signal rather than no article.
    try:
        return list(reader(*args))
    except (ValueError, TypeError, AttributeError, OverflowError, RecursionError, lxml.etree.LxmlError):
        return []


def _parse(html: str | bytes) -> tuple[lxml.html.HtmlElement | None, str]:
    if isinstance(html, bytes):
        html = html[:_MAX_HTML * 2].decode("utf-8", errors="replace")
    html = html[:_MAX_HTML].replace("\x00", "")
    if not html.strip():
        return None, html
    try:
        return lxml.html.document_fromstring(html), html
    except (lxml.etree.LxmlError, ValueError):
        return None, html


def _document_lang(document: lxml.html.HtmlElement | None) -> str:
    if document is None:
        return ""
    return (document.get("lang") or document.get("xml:lang") or "").strip().lower()


def _day_first(lang: str) -> bool:
    """Whether "05/11/2024" is the 5th of November: everywhere but on US-English (and bare English) pages."""
    lang = lang.lower().replace("_", "-")
    return not (lang in ("en", "en-us") or lang.startswith("en-us"))


# JSON-LD


def _jsonld_signals(document: lxml.html.HtmlElement) -> Iterator[DateSignal]:
    for script in document.xpath('//script[contains(translate(@type, "JSONLD", "jsonld"), "ld+json")]'):
        try:
            data = json.loads(script.text_content().strip().rstrip(";"), strict=False)
        except ValueError:
            continue
        for item in _main_entities(data):
            for key, modified in (("datePublished", False), ("dateCreated", False), ("uploadDate", False),
                                  ("dateModified", True)):
                value = item.get(key)
                parsed = _parse_iso(value[0] if isinstance(value, list) and value else value)
                if parsed is not None:
                    yield DateSignal("jsonld", parsed, modified, f"{item.get('@type', '?')}.{key}={value}")
            if "datePublished" in item or "dateCreated" in item:
                return  # the first article entity is this page's; later ones are others


def _main_entities(data: object, depth: int = 0) -> Iterator[dict]:
    """The JSON-LD objects that describe this page: at the top, in lists and in ``@graph``, articles
    first; not those nested in other properties (related articles, list items)."""
    if depth > 4:
        return
    if isinstance(data, list):
        items = [item for item in data if isinstance(item, dict)]
        items.sort(key=lambda item: not _ARTICLE_TYPES.search(str(item.get("@type", ""))))
        for item in items:
            yield from _main_entities(item, depth + 1)
        for item in data:
            if isinstance(item, list):
                yield from _main_entities(item, depth + 1)
        return
    if not isinstance(data, dict):
        return
    if "@graph" in data:
        yield from _main_entities(data["@graph"], depth + 1)
    kind = str(data.get("@type", ""))
    if _ARTICLE_TYPES.search(kind) or not kind:
        yield data
    main = data.get("mainEntity")
    if isinstance(main, (dict, list)):
        yield from _main_entities(main, depth + 1)


# meta tags and microdata


def _meta_signals(document: lxml.html.HtmlElement) -> Iterator[DateSignal]:
    for meta in document.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or meta.get("http-equiv") or "")
        name = name.strip().lower()
        content = meta.get("content") or ""
        if not name or not content or _in_elsewhere(meta):
            continue
        if name in _PUBLISHED_META or name in _MODIFIED_META:
            parsed = _parse_iso(content) or _parse_text_date(content, day_first=True)
            if parsed is not None:
                source = "opengraph" if name in _OPENGRAPH else "meta"
                yield DateSignal(source, parsed, name in _MODIFIED_META, f"<meta {name}={content}>")
    for element in document.xpath('//*[@itemprop="datePublished" or @itemprop="dateModified"][not(self::meta)]'):
        if _in_elsewhere(element):
            continue
        value = element.get("datetime") or element.get("content") or element.text_content()
        parsed = _parse_iso(value)
        if parsed is not None:
            yield DateSignal("meta", parsed, element.get("itemprop") == "dateModified", f"itemprop={value}")


# <time> and the visible byline


def _time_signals(document: lxml.html.HtmlElement, day_first: bool) -> Iterator[DateSignal]:
    """The dates of ``<time>`` elements in the article, not in sidebars; the first published and the first
    modified one (the article's header comes before its body)."""
    seen_published = seen_modified = False
    for element in document.iter("time"):
        if _in_elsewhere(element) or _in_link_list(element):
            continue
        value = element.get("datetime") or element.get("content") or ""
        parsed = _parse_iso(value) or _parse_text_date(value or element.text_content(), day_first)
        if parsed is None:
            continue
        modified = _says_updated(element)
        if element.get("pubdate") is not None or element.get("itemprop") == "datePublished":
            modified = False
        if modified and not seen_modified:
            seen_modified = True
            yield DateSignal("time", parsed, True, f"<time {value}>")
        elif not modified and not seen_published:
            seen_published = True
            yield DateSignal("time", parsed, False, f"<time {value}>")


def _byline_signals(document: lxml.html.HtmlElement, day_first: bool) -> Iterator[DateSignal]:
    """A date written in the byline or dateline ("Veröffentlicht am 5. November 2024", "Stand: 05.11.2024
    14:30 Uhr", "Published Nov 5, 2024, updated Nov 6"): the first published and modified date there."""
    body = document.find("body")
    if body is None:
        return
    seen: set[bool] = set()
    for element in body.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "noscript", "time", "template"):
            continue
        own = " ".join(filter(None, [element.text] + [child.tail for child in element]))
        if not own.strip() or len(own) > 400 or not re.search(r"\d{4}", own):
            continue
        if _in_elsewhere(element) or _in_link_list(element):
            continue
        cued = _PUBLISHED_WORDS.search(own) or _UPDATED_WORDS.search(own)
        if not cued and not _BYLINE_CLASS.search(_class_chain(element, 2)):
            continue
        for modified, parsed, evidence in _dates_with_cues(own, day_first):
            if modified not in seen:
                seen.add(modified)
                yield DateSignal("byline", parsed, modified, evidence)
        if False in seen:
            return


def _dates_with_cues(text: str, day_first: bool) -> Iterator[tuple[bool, datetime, str]]:
    """Each date in a short text, modified when an "updated" word stands nearer before it than a
    "published" one."""
    for found in _text_date_matches(text, day_first):
        start, parsed = found
        before = text[max(0, start - 40):start]
        updated = [m.end() for m in _UPDATED_WORDS.finditer(before)]
        published = [m.end() for m in _PUBLISHED_WORDS.finditer(before)]
        modified = bool(updated) and (not published or max(updated) > max(published))
        yield modified, parsed, text[max(0, start - 40):start + 40].strip()


def _in_elsewhere(element: lxml.html.HtmlElement) -> bool:
    """Whether an element stands in a sidebar, navigation, footer, comments or a list of other articles."""
    for ancestor in element.iterancestors():
        if ancestor.tag in _ELSEWHERE_TAGS:
            return True
        marks = f"{ancestor.get('class', '')} {ancestor.get('id', '')} {ancestor.get('role', '')}"
        if marks.strip() and _ELSEWHERE.search(marks):
            return True
    return False


def _in_link_list(element: lxml.html.HtmlElement) -> bool:
    """Whether an element is part of a teaser: inside a link, or in a list item that holds one."""
    for ancestor in element.iterancestors():
        if ancestor.tag == "a":
            return True
        if ancestor.tag == "li" and ancestor.find(".//a") is not None:
            return True
        if ancestor.tag in ("article", "main", "body"):
            return False
    return False


def _says_updated(element: lxml.html.HtmlElement) -> bool:
    marks = f"{element.get('class', '')} {element.get('itemprop', '')} {element.get('id', '')}"
    parent = element.getparent()
    before = (element.getprevious().tail if element.getprevious() is not None else None) or (
        parent.text if parent is not None else "") or ""
    context = f"{marks} {before[-40:]} {_class_chain(element, 1)}"
    return bool(_UPDATED_WORDS.search(context)) and not re.search(r"publi|veröffentl|erschien", marks, re.I)


def _class_chain(element: lxml.html.HtmlElement, levels: int) -> str:
    marks = []
    for _ in range(levels + 1):
        if element is None:
            break
        marks.append(f"{element.get('class', '')} {element.get('id', '')} {element.get('itemprop', '')}")
        element = element.getparent()
    return " ".join(marks)


# htmldate and the URL


def _htmldate_signal(html: str, reading: str | None, now: datetime, floor: datetime) -> list[DateSignal]:
    if reading is None:
        reading = htmldate_date(html, now=now, floor=floor)
    parsed = _parse_iso(reading)
    return [DateSignal("htmldate", parsed, evidence=reading or "")] if parsed else []


def htmldate_date(html: str | bytes, url: str = "", *, now: datetime | None = None,
                  floor: datetime | None = None) -> str | None:
    """htmldate's original date of a page (YYYY-MM-DD), None when it finds none or fails."""
    import htmldate  # imported on use: its import is slow, and only the poller and the bench need it

    now = now or datetime.now(timezone.utc)
    try:
        return htmldate.find_date(html, original_date=True, extensive_search=True, url=url or None,
                                  min_date=(floor or datetime(1995, 1, 1)).replace(tzinfo=None),
                                  max_date=(now + FUTURE_TOLERANCE).replace(tzinfo=None))
    except Exception:  # noqa: BLE001 - a third party's reading of hostile HTML: no reading, not a failed article
        return None


def _url_signals(url: str) -> list[DateSignal]:
    for pattern in _URL_DATES:
        for match in pattern.finditer(url or ""):
            parsed = _make(int(match["year"]), int(match["m"]), int(match["d"]))
            if parsed is not None:
                return [DateSignal("url", parsed, evidence=match.group(0))]
    return []


# reading one date


def _parse_iso(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not re.match(r"\d{4}-\d{2}-\d{2}", value):
        return None
    cleaned = value.replace("Z", "+00:00").replace(" ", "T", 1)
    cleaned = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", cleaned)  # +0100 -> +01:00
    try:
        return _utc(datetime.fromisoformat(cleaned))
    except ValueError:
        return _make(int(value[:4]), int(value[5:7]), int(value[8:10]))


def _parse_text_date(text: str, day_first: bool) -> datetime | None:
    for _, parsed in _text_date_matches(text or "", day_first):
        return parsed
    return None


def _text_date_matches(text: str, day_first: bool) -> Iterator[tuple[int, datetime]]:
    hits = []
    for pattern in _TEXT_DATES:
        for match in pattern.finditer(text[:2000]):
            parsed = _from_match(match, day_first)
            if parsed is not None:
                hits.append((match.start(), parsed))
    yield from sorted(hits, key=lambda hit: hit[0])


def _from_match(match: re.Match, day_first: bool) -> datetime | None:
    parts = match.groupdict()
    year = int(parts["year"])
    if parts.get("month"):
        month, day = _MONTHS.get(parts["month"].lower().rstrip(".")), int(parts["d"])
    elif parts.get("a"):
        first, second = int(parts["a"]), int(parts["b"])
        if first > 12 or (day_first and second <= 12):
            day, month = first, second
        else:
            month, day = first, second
    else:
        month, day = int(parts["m"]), int(parts["d"])
    if month is None:
        return None
    hour = int(parts["hour"]) if parts.get("hour") else 0
    minute = int(parts["minute"]) if parts.get("minute") else 0
    if parts.get("ampm"):
        hour = hour % 12 + (12 if parts["ampm"].lower().startswith("p") else 0)
    return _make(year, month, day, hour, minute)


def _make(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)
    except ValueError:
        return None


def _utc(value: datetime) -> datetime:
    # A time with no zone is taken as written: the day the page names stays that day.
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)
