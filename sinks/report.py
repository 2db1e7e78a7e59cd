"""One self-contained HTML page for analysts, readable at thousands of articles.

First an overview of every series (what is counted, whose, where), the most recent movement first,
each with its latest value, change and a sparkline; then a chart for each of the first series that
match the filters (category, force, place: plain JS in the page); then alerts and stories with
links to their sources. Inline SVG, CSS and JS: no network to open it.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources
from string import Template

from sinks.query_client import run_query
from sinks.report_charts import HEDGE_MARK, Mark, chart, legend, number, sparkline
from tallywire.core.settings import Settings

CHARTS_SHOWN = 12  # charts the page shows at once, the first matching series; the filters pick others
MOVE = 0.02  # a reported value this much (relative) off the one before is a movement

_QUERIES = {
    # One mark per story and value, the story's first report of it; ranges and vague sizes left out.
    "marks": """
        SELECT category, force, location, story_id, value, status,
               argMin(qualifier, published_at) AS qualifier, min(published_at) AS published,
               argMin(source, published_at) AS source, argMin(url, published_at) AS url,
               argMin(title, published_at) AS title, argMin(attribution, published_at) AS said_by
        FROM figures FINAL WHERE value_low = value_high
        GROUP BY category, force, location, story_id, value, status
        ORDER BY category, force, location, published, value""",
    # An undated article (ingest may not find its date) counts from when it was fetched.
    "stories": """
        SELECT story_id, min(at) AS published, argMin(title, at) AS title, argMin(substring(text, 1, 400), at) AS lead,
               argMin(url, at) AS url, count() AS articles, uniqExact(source) AS outlets,
               arraySort(groupUniqArray(source)) AS sources
        FROM (SELECT *, coalesce(published_at, fetched_at) AS at FROM articles FINAL)
        GROUP BY story_id ORDER BY published DESC, story_id LIMIT 100""",
    "alerts": """
        SELECT published_at, kind, category, force, location, value, qualifier, status, previous_value, change,
               source, url, attribution
        FROM alert_chain ORDER BY published_at DESC, alert_id LIMIT 200""",
    "totals": """
        SELECT (SELECT count() FROM articles) AS articles, (SELECT count() FROM figures) AS figures,
               (SELECT count() FROM alert_chain WHERE kind = 'alert') AS alerts""",
}


@dataclass
class Series:
    category: str
    force: str
    location: str
    marks: list[Mark]

    @property
    def reported(self) -> list[Mark]:
        return [m for m in self.marks if m.status == "reported"] or self.marks

    @property
    def moved(self) -> datetime | None:
        """When the reported value last moved by more than ``MOVE`` from the one before."""
        points = self.reported
        moves = [b.published for a, b in zip(points, points[1:]) if abs(b.value - a.value) > MOVE * max(a.value, b.value)]
        return moves[-1] if moves else None

    @property
    def previous(self) -> Mark | None:
        """The last reported value that differs from the latest one."""
        points = self.reported
        latest = points[-1]
        return next((m for m in reversed(points[:-1]) if abs(m.value - latest.value) > MOVE * max(m.value, latest.value)),
                    None)


def _rows(settings: Settings, sql: str) -> list[dict]:
    return [json.loads(line) for line in run_query(settings, sql, "JSONEachRow").decode("utf-8").splitlines() if line]


def build_report(settings: Settings, now: datetime, armed_groups: frozenset[str] = frozenset()) -> str:
    """The page. ``armed_groups``: the force ids of armed groups (processors.force_table), whose short ids
    are initials to write in capitals; the caller passes them, as no stage imports another."""
    names = _Names(armed_groups)
    data = {name: _rows(settings, sql) for name, sql in _QUERIES.items()}
    series = _series(data["marks"])
    template = Template(resources.files("sinks").joinpath("report_page.html").read_text(encoding="utf-8"))
    [totals] = data["totals"]
    return template.substitute(
        generated=html.escape(f"{now:%d %b %Y %H:%M} UTC"),
        totals=html.escape(f"{int(totals['articles']):,} articles, {int(totals['figures']):,} figures, "
                           f"{len(series):,} series, {int(totals['alerts']):,} alerts"),
        filters=_filters(series, names),
        legend=legend(),
        overview=_overview(series, names),
        charts="\n".join(_chart_section(s, names) for s in series if len(s.marks) > 1) or "<p>No series with two reports yet.</p>",
        shown=CHARTS_SHOWN,
        alerts=_alerts(data["alerts"], names),
        stories=_stories(data["stories"]),
    )


def _series(rows: list[dict]) -> list[Series]:
    grouped: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row["category"], row["force"], row["location"])].append(row)
    found = []
    for (category, force, location), marks in grouped.items():
        found.append(Series(category, force, location, [
            Mark(_time(m["published"]), float(m["value"]), m["status"], m["qualifier"], m["source"], m["url"],
                 headline(m["title"]), m["said_by"]) for m in marks]))
    # The most recent movement first; series that never moved after them, the latest report first.
    found.sort(key=lambda s: (s.moved is not None, s.moved or s.reported[-1].published, s.reported[-1].published),
               reverse=True)
    return found


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def headline(title: str, lead: str = "", most: int = 110) -> str:
    """A title a person reads: the article's own, read on in its text when it was cut mid-word, else the
    text's first sentence; at most ``most`` characters, cut at a word and marked."""
    def worded(text: str) -> str:  # lines with a word: a date line ("1.11.2024") is no title
        return " ".join(" ".join(line for line in (text or "").splitlines() if re.search(r"[^\W\d_]{3}", line)).split())

    own, body = worded(title), worded(lead)
    text = own
    if not own or (body.startswith(own) and body[len(own):len(own) + 1].isalnum()):
        text = re.split(r"(?<=[a-zäöüß][.!?])\s", body, maxsplit=1)[0]
    if len(text) <= most:
        return text
    return text[:most].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"


@cache
@dataclass(frozen=True)
class _Names:
    """How the page writes what is counted and whose."""

    armed_groups: frozenset[str]

    def label(self, name: str) -> str:
        if not name:
            return "unknown"
        if len(name) <= 4 and name in self.armed_groups:  # initials: RSF, ADF; not Iran or Mali
            return name.upper()
        return " ".join(word if word in ("incl", "of", "and") else word.capitalize() for word in name.split("_"))

    def series(self, s: Series) -> str:
        return f"{self.label(s.category)} · {self.label(s.force)} · {s.location or 'unknown place'}"


def _where(category: str, force: str, location: str) -> str:
    return (f'data-category="{html.escape(category)}" data-force="{html.escape(force)}" '
            f'data-location="{html.escape(location)}"')


def _filters(series: list[Series], names: _Names) -> str:
    def select(name: str, title: str, values: set[str], label=names.label) -> str:  # noqa: ANN001
        options = "".join(f'<option value="{html.escape(v)}">{html.escape(label(v) if v else "unknown")}</option>'
                          for v in sorted(values))
        return f'<label>{title} <select name="{name}"><option value="">all</option>{options}</select></label>'

    return (select("category", "What", {s.category for s in series})
            + select("force", "Whose", {s.force for s in series})
            + select("location", "Where", {s.location for s in series}, label=lambda v: v))


def _day(moment: datetime | str | None) -> str:
    """A table cell with the date."""
    if moment is None:
        return '<td class="date"></td>'
    moment = _time(moment) if isinstance(moment, str) else moment
    return f'<td class="date">{moment.day} {moment:%b %Y}</td>'


def _link(text: str, url: str) -> str:
    if url.startswith(("https://", "http://")):
        return f'<a href="{html.escape(url)}" rel="noreferrer">{html.escape(text)}</a>'
    return html.escape(text)


def _value(value: float, qualifier: str) -> str:
    return f'{HEDGE_MARK.get(qualifier, "")}{number(value)}'


def _change(latest: float, before: float | None) -> str:
    if before is None:
        return ""
    delta = latest - before
    percent = f" ({delta / before:+.0%})" if before else ""
    return f'<span class="{"up" if delta > 0 else "down"}">{delta:+,.0f}{percent}</span>'


def _overview(series: list[Series], names: _Names) -> str:
    rows = []
    for s in series:
        latest, previous = s.reported[-1], s.previous
        rows.append(
            f'<tr {_where(s.category, s.force, s.location)}><td>{html.escape(names.series(s))}</td>'
            f'<td class="num">{_value(latest.value, latest.qualifier)}</td>'
            f'<td class="num">{_change(latest.value, previous.value if previous else None)}</td>'
            f'{_day(latest.published)}{_day(s.moved)}<td class="num">{len(s.marks)}</td>'
            f'<td>{sparkline([m.value for m in s.reported])}</td>'
            f'<td>{_link(latest.source, latest.url)}</td><td>{html.escape(latest.said_by)}</td></tr>')
    head = ("<tr><th>Series (what · whose · where)</th><th>Latest</th><th>Change</th><th>Reported</th>"
            "<th>Last moved</th><th>Reports</th><th>Trend</th><th>Source</th><th>Said by</th></tr>")
    return _table(head, rows, "overview")


def _chart_section(s: Series, names: _Names) -> str:
    name = names.series(s)
    return (f'<section class="series" {_where(s.category, s.force, s.location)}><h3>{html.escape(name)}</h3>'
            f'{chart(name, s.marks)}</section>')


def _alerts(rows: list[dict], names: _Names) -> str:
    body = []
    for a in rows:
        before = a["previous_value"]
        body.append(
            f'<tr {_where(a["category"], a["force"], a["location"])}>{_day(a["published_at"])}'
            f'<td>{html.escape(names.label(a["category"]))} · {html.escape(names.label(a["force"]))} · '
            f'{html.escape(a["location"] or "unknown place")}</td>'
            f'<td class="num">{_value(a["value"], a["qualifier"])}</td><td>{html.escape(a["status"])}</td>'
            f'<td class="num">{"" if before is None else number(before)}</td>'
            f'<td class="num">{_change(a["value"], before)}</td><td>{html.escape(a["kind"])}</td>'
            f'<td>{_link(a["source"], a["url"])}</td><td>{html.escape(a["attribution"])}</td></tr>')
    head = ("<tr><th>Published</th><th>Series</th><th>Value</th><th>Status</th><th>Before</th><th>Change</th>"
            "<th>Kind</th><th>Source</th><th>Said by</th></tr>")
    return _table(head, body, "alerts")


def _stories(rows: list[dict]) -> str:
    body = [
        f'<tr>{_day(s["published"])}<td>{_link(headline(s["title"], s["lead"]), s["url"])}</td>'
        f'<td class="num">{int(s["articles"]):,}</td><td class="num">{int(s["outlets"]):,}</td>'
        f'<td>{html.escape(", ".join(s["sources"]))}</td></tr>' for s in rows]
    head = "<tr><th>First published</th><th>Title</th><th>Articles</th><th>Outlets</th><th>Carried by</th></tr>"
    return _table(head, body, "stories")


def _table(head: str, rows: list[str], name: str) -> str:
    if not rows:
        return "<p>None yet.</p>"
    return f'<table class="{name}"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'
