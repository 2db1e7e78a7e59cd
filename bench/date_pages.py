"""News pages with known publication dates, for ``python -m bench.dates``.

Fourteen templates on the model of how real German and English outlets mark a date up (JSON-LD in
``@graph`` or a list, OpenGraph, ``<meta name="date">``, Dublin Core, Parse.ly and Sailthru tags,
``<time pubdate>``, WordPress's published/updated pair, a visible byline only, a date in the URL only,
US month-first and British day-first bylines) and six pages each. Every page carries the traps real pages
carry: an "updated" date beside the original, teasers of related articles with their own (earlier and
later) dates in a sidebar or a "more on this" list, a copyright year. The per-page data (dates, titles,
slugs) come from a fixed seed, so every run sees the same 84 pages; no page is copied from anywhere.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

BERLIN = timezone(timedelta(hours=1))
LONDON = timezone.utc
NEW_YORK = timezone(timedelta(hours=-5))
DE_MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Dezember")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
DE_DAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DE_TOPICS = ("Bundestag beschließt Haushalt", "Hochwasser in Sachsen", "Streik bei der Bahn", "Wahl in Thüringen",
             "Neue Regeln für E-Autos", "Ukraine meldet Angriffe", "Inflation sinkt leicht", "Hitzewelle im Süden")
EN_TOPICS = ("Parliament passes budget", "Floods hit northern towns", "Rail strike called off", "Election results",
             "New rules for electric cars", "Ukraine reports strikes", "Inflation eases slightly", "Heatwave grips south")
BODY_DE = ("Die Regierung hat am Vormittag neue Zahlen vorgelegt. Nach Angaben des Ministeriums sind mehr als 2.000 "
           "Menschen betroffen. Die Opposition kritisierte das Vorgehen scharf und forderte eine Debatte im Parlament. ")
BODY_EN = ("The government released new figures on Tuesday morning. According to the ministry, more than 2,000 people "
           "are affected. The opposition sharply criticised the move and called for a debate in parliament. ")


@dataclass(frozen=True)
class DatePage:
    name: str
    template: str
    lang: str
    url: str
    html: str
    published: datetime  # the truth: the first publication, aware


@dataclass(frozen=True)
class PageData:
    lang: str
    title: str
    slug: str
    published: datetime
    modified: datetime
    related: tuple[tuple[str, datetime], ...]  # other articles' titles and dates, for sidebars


def _head(data: PageData, extra: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="{data.lang}"><head><meta charset="utf-8"><title>{data.title}</title>'
            f'<meta name="viewport" content="width=device-width">{extra}</head>')


def _body(data: PageData) -> str:
    text = BODY_DE if data.lang.startswith("de") else BODY_EN
    return "".join(f"<p>{text}</p>" for _ in range(5))


def _de_date(moment: datetime) -> str:
    return f"{moment.day}. {DE_MONTHS[moment.month - 1]} {moment.year}"


def _en_date(moment: datetime) -> str:
    return f"{moment.day} {EN_MONTHS[moment.month - 1]} {moment.year}"


def _related_list(data: PageData, heading: str, css: str, fmt: Callable[[datetime], str]) -> str:
    items = "".join(f'<li><a href="/{i}"><span class="teaser-title">{title}</span> '
                    f'<time datetime="{moment.isoformat()}">{fmt(moment)}</time></a></li>'
                    for i, (title, moment) in enumerate(data.related))
    return f'<div class="{css}"><h3>{heading}</h3><ul>{items}</ul></div>'


def _aside(data: PageData, fmt: Callable[[datetime], str]) -> str:
    items = "".join(f'<div class="card"><h4>{title}</h4><span>{fmt(moment)}</span></div>'
                    for title, moment in data.related)
    return f"<aside><h3>Meistgelesen</h3>{items}</aside>" if data.lang.startswith("de") else \
        f"<aside><h3>Most read</h3>{items}</aside>"


def de_jsonld_graph(data: PageData) -> str:
    """Public broadcaster: JSON-LD @graph, visible "Stand" (the last change), related teasers."""
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "Nachrichten", "url": "https://www.nachrichten.example/"},
        {"@type": "NewsArticle", "headline": data.title, "datePublished": data.published.isoformat(),
         "dateModified": data.modified.isoformat(), "author": {"@type": "Organization", "name": "Redaktion"}},
        {"@type": "BreadcrumbList", "itemListElement": [{"@type": "ListItem", "position": 1, "name": "Inland"}]}]}
    return (_head(data, f'<script type="application/ld+json">{json.dumps(graph)}</script>') +
            f'<body><main><article><h1>{data.title}</h1><div class="metatextline">Stand: '
            f'{data.modified:%d.%m.%Y %H:%M} Uhr</div>{_body(data)}</article>'
            f'{_related_list(data, "Mehr zum Thema", "teaser-absatz related", lambda m: f"{m:%d.%m.%Y}")}'
            f'</main><footer>© {data.modified.year} Nachrichten</footer></body></html>')


def de_og_meta(data: PageData) -> str:
    """Weekly's site: meta date, OpenGraph published and modified, a visible date and "aktualisiert"."""
    head = (f'<meta name="date" content="{data.published.isoformat()}">'
            f'<meta property="article:published_time" content="{data.published.isoformat()}">'
            f'<meta property="article:modified_time" content="{data.modified.isoformat()}">'
            f'<meta name="last-modified" content="{data.modified.isoformat()}">')
    return (_head(data, head) + f'<body><div class="page"><article><header><h1>{data.title}</h1>'
            f'<div class="metadata"><span class="metadata__date">{_de_date(data.published)}, '
            f'{data.published:%H:%M} Uhr</span> <span>Aktualisiert am {_de_date(data.modified)}</span></div>'
            f'</header>{_body(data)}</article>{_aside(data, _de_date)}</div></body></html>')


def de_byline_only(data: PageData) -> str:
    """Regional paper: no metadata, a byline "Veröffentlicht" and "Zuletzt aktualisiert", most-read list."""
    return (_head(data) + f'<body><div id="content"><h1>{data.title}</h1><p class="autor">Von Anna Schmidt | '
            f'Veröffentlicht: {data.published:%d.%m.%Y, %H:%M} Uhr | Zuletzt aktualisiert: '
            f'{data.modified:%d.%m.%Y, %H:%M} Uhr</p>{_body(data)}</div>'
            f'{_related_list(data, "Meistgelesen", "meistgelesen", lambda m: f"{m:%d.%m.%Y}")}'
            f'<div class="copyright">© {data.modified.year} Regionalzeitung</div></body></html>')


def de_url_only(data: PageData) -> str:
    """Blog-like site: the date only in the URL; teasers elsewhere carry theirs."""
    return (_head(data) + f'<body><article><h1>{data.title}</h1>{_body(data)}</article>'
            f'{_aside(data, lambda m: f"{m:%d.%m.%Y}")}<footer>© {data.modified.year}</footer></body></html>')


def de_time_pubdate(data: PageData) -> str:
    """Magazine: <time pubdate> in the header, a sidebar of <time> teasers first in the markup."""
    sidebar = "".join(f'<div><a href="/x{i}">{title}</a> <time datetime="{moment:%Y-%m-%dT%H:%M}">'
                      f'{moment:%d.%m.%Y}</time></div>' for i, (title, moment) in enumerate(data.related))
    return (_head(data) + f'<body><div class="sidebar">{sidebar}</div><article><header><h1>{data.title}</h1>'
            f'<time datetime="{data.published:%Y-%m-%dT%H:%M:%S%z}" pubdate>{_de_date(data.published)}</time> '
            f'<span class="update">aktualisiert <time datetime="{data.modified:%Y-%m-%dT%H:%M:%S%z}">'
            f'{data.modified:%d.%m.%Y}</time></span></header>{_body(data)}</article></body></html>')


def de_dc_meta(data: PageData) -> str:
    """Agency feed site: Dublin Core issued and modified, a bare date in a "date" element."""
    head = (f'<meta name="DC.date.issued" content="{data.published:%Y-%m-%d}">'
            f'<meta name="DC.date.modified" content="{data.modified:%Y-%m-%d}">')
    return (_head(data, head) + f'<body><div class="article"><h1>{data.title}</h1><div class="date">'
            f'{data.published:%d.%m.%Y}</div>{_body(data)}</div>'
            f'{_related_list(data, "Weitere Meldungen", "weitere-meldungen", lambda m: f"{m:%d.%m.%Y}")}'
            f'</body></html>')


def en_jsonld_list(data: PageData) -> str:
    """British broadcaster: JSON-LD as a list, OpenGraph, a visible date and "Last modified"."""
    ld = [{"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": []},
          {"@context": "https://schema.org", "@type": "ReportageNewsArticle", "headline": data.title,
           "datePublished": data.published.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
           "dateModified": data.modified.strftime("%Y-%m-%dT%H:%M:%S.000Z")}]
    head = (f'<script type="application/ld+json">{json.dumps(ld)}</script>'
            f'<meta property="og:updated_time" content="{data.modified.isoformat()}">')
    return (_head(data, head) + f'<body><main><article><h1>{data.title}</h1><p class="byline">'
            f'{_en_date(data.published)}</p>{_body(data)}<p>Last modified on '
            f'{EN_DAYS[data.modified.weekday()]} {_en_date(data.modified)}</p></article>'
            f'{_related_list(data, "More on this story", "more-on-this-story", _en_date)}</main></body></html>')


def en_us_slash(data: PageData) -> str:
    """US local news: month-first slash dates in the byline, "Updated" first, trending list."""
    fmt = "%m/%d/%Y %I:%M %p"
    return (_head(data) + f'<body><div class="story"><h1>{data.title}</h1><div class="timestamp">'
            f'Updated {data.modified.strftime(fmt)} EST | Published {data.published.strftime(fmt)} EST</div>'
            f'{_body(data)}</div>{_related_list(data, "Trending", "trending", lambda m: m.strftime("%m/%d/%Y"))}'
            f'</body></html>')


def en_time_updated(data: PageData) -> str:
    """WordPress theme: the updated <time> before the published one, both in the entry header."""
    return (_head(data) + f'<body><article class="post"><header class="entry-header"><h1>{data.title}</h1>'
            f'<span class="posted-on"><time class="updated" datetime="{data.modified.isoformat()}">'
            f'{data.modified:%B %d, %Y}</time> <time class="entry-date published" '
            f'datetime="{data.published.isoformat()}">{data.published:%B %d, %Y}</time></span></header>'
            f'<div class="entry-content">{_body(data)}</div></article>'
            f'<div class="widget-area"><section class="widget recent-posts">'
            + "".join(f'<a href="/p{i}">{t}</a> <span class="post-date">{m:%B %d, %Y}</span>'
                      for i, (t, m) in enumerate(data.related)) + '</section></div></body></html>')


def en_meta_parsely(data: PageData) -> str:
    """US magazine: Parse.ly and Sailthru tags, a JSON-LD list of related articles, "Nov. 5, 2024"."""
    related = {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": [
        {"@type": "ListItem", "position": i + 1, "item": {"@type": "NewsArticle", "headline": t,
                                                          "datePublished": m.isoformat()}}
        for i, (t, m) in enumerate(data.related)]}
    head = (f'<meta name="parsely-pub-date" content="{data.published.strftime("%Y-%m-%dT%H:%M:%SZ")}">'
            f'<meta name="sailthru.date" content="{data.published:%Y-%m-%d %H:%M:%S}">'
            f'<script type="application/ld+json">{json.dumps(related)}</script>')
    month = data.published.strftime("%b")
    return (_head(data, head) + f'<body><article><h1>{data.title}</h1><div class="byline">By John Doe · '
            f'{month}. {data.published.day}, {data.published.year}</div>{_body(data)}</article></body></html>')


def en_url_compact(data: PageData) -> str:
    """Wire site: the date as YYYYMMDD in the URL, a relative byline, dated teasers."""
    return (_head(data) + f'<body><article><h1>{data.title}</h1><div class="byline">Posted 3 hours ago</div>'
            f'{_body(data)}</article>{_related_list(data, "Read next", "read-next", _en_date)}</body></html>')


def en_byline_dmy(data: PageData) -> str:
    """British daily: "Tuesday 5 November 2024 14.30 GMT" and "Last modified on ...", sidebar of other days."""
    return (_head(data) + f'<body><div class="content"><h1>{data.title}</h1><details class="dateline">'
            f'<summary>{EN_DAYS[data.published.weekday()]} {_en_date(data.published)} '
            f'{data.published:%H.%M} GMT</summary><span>Last modified on {EN_DAYS[data.modified.weekday()]} '
            f'{_en_date(data.modified)} {data.modified:%H.%M} GMT</span></details>{_body(data)}</div>'
            f'{_aside(data, _en_date)}</body></html>')


def de_comments(data: PageData) -> str:
    """Regional portal: the date in a "datum" span, readers' comments below with their own later dates."""
    comments = "".join(f'<div class="comment"><b>Leser{i}</b> schrieb am {moment:%d.%m.%Y um %H:%M} Uhr: '
                       f'Interessant.</div>' for i, (_, moment) in enumerate(data.related) if moment > data.published)
    return (_head(data) + f'<body><div class="artikel"><h1>{data.title}</h1><span class="datum">'
            f'{DE_DAYS[data.published.weekday()]}, {data.published:%d.%m.%Y}</span>{_body(data)}</div>'
            f'<section id="kommentare"><h3>Kommentare</h3>{comments}</section></body></html>')


def en_itemprop(data: PageData) -> str:
    """Microdata page: itemprop datePublished and dateModified on spans, a wire dateline below the title."""
    return (_head(data) + f'<body><div itemscope itemtype="https://schema.org/NewsArticle"><h1 itemprop="headline">'
            f'{data.title}</h1><p class="dateline">{data.published:%B} {data.published.day}, {data.published.year}'
            f' {data.published:%I:%M %p} GMT<span itemprop="datePublished" content="{data.published.isoformat()}">'
            f'</span> · <span itemprop="dateModified" content="{data.modified.isoformat()}">Updated '
            f'{data.modified:%B} {data.modified.day}</span></p><div itemprop="articleBody">{_body(data)}</div></div>'
            f'{_related_list(data, "Latest", "latest-news", _en_date)}</body></html>')


TEMPLATES: dict[str, tuple[str, Callable[[PageData], str], Callable[[PageData], str]]] = {
    # name: (language, page, URL path)
    "de_jsonld_graph": ("de", de_jsonld_graph, lambda d: f"/inland/{d.slug}-100.html"),
    "de_og_meta": ("de", de_og_meta, lambda d: f"/politik/{d.slug}"),
    "de_byline_only": ("de", de_byline_only, lambda d: f"/lokales/{d.slug}-a123"),
    "de_url_only": ("de", de_url_only, lambda d: f"/{d.published:%Y/%m/%d}/{d.slug}/"),
    "de_time_pubdate": ("de", de_time_pubdate, lambda d: f"/magazin/{d.slug}.html"),
    "de_dc_meta": ("de", de_dc_meta, lambda d: f"/meldung/{d.slug}"),
    "en_jsonld_list": ("en-GB", en_jsonld_list, lambda d: f"/news/world-{d.slug}"),
    "en_us_slash": ("en-US", en_us_slash, lambda d: f"/news/local/{d.slug}"),
    "en_time_updated": ("en", en_time_updated, lambda d: f"/{d.slug}/"),
    "en_meta_parsely": ("en-US", en_meta_parsely, lambda d: f"/politics/archive/{d.slug}/"),
    "en_url_compact": ("en", en_url_compact, lambda d: f"/world/{d.slug}-idUS{d.published:%Y%m%d}"),
    "en_byline_dmy": ("en-GB", en_byline_dmy, lambda d: f"/world/{d.slug}"),
    "de_comments": ("de", de_comments, lambda d: f"/region/{d.slug}.html"),
    "en_itemprop": ("en-GB", en_itemprop, lambda d: f"/business/{d.slug}"),
}
PAGES_PER_TEMPLATE = 6
ZONES = {"de": BERLIN, "en-GB": LONDON, "en-US": NEW_YORK, "en": NEW_YORK}


def _page_data(rng: random.Random, lang: str, index: int) -> PageData:
    zone = ZONES[lang]
    day = datetime(2023, 1, 1, tzinfo=zone) + timedelta(days=rng.randrange(700))
    # Within working hours, so the page's own day is the day in UTC too.
    published = day.replace(hour=rng.randrange(7, 18), minute=rng.randrange(60))
    modified = published + timedelta(days=rng.randrange(1, 9), hours=rng.randrange(0, 5))
    topics = DE_TOPICS if lang == "de" else EN_TOPICS
    # Teasers of other articles: some older, some newer than this one.
    related = tuple((topics[(index + k) % len(topics)],
                     published + timedelta(days=rng.choice((-30, -9, -2, 3, 12, 40)) + k))
                    for k in range(4))
    title = f"{topics[index % len(topics)]} ({index})"
    slug = title.lower().replace(" ", "-").translate(str.maketrans("", "", "()äöüß"))
    return PageData(lang, title, slug, published, modified, related)


def date_pages(seed: int = 21) -> list[DatePage]:
    rng = random.Random(seed)
    pages = []
    for template, (lang, render, path) in TEMPLATES.items():
        host = f"https://www.{template.split('_')[0]}-{template.split('_', 1)[1].replace('_', '')}.example"
        for n in range(PAGES_PER_TEMPLATE):
            data = _page_data(rng, lang, n)
            pages.append(DatePage(f"{template}_{n}", template, lang, host + path(data), render(data), data.published))
    return pages
