"""One self-contained HTML page for people: each figure series as a chart over time, the latest
figures, stories with their outlets, and recent alerts. Inline SVG and CSS: no network to open it."""

from __future__ import annotations

import html
import json
from collections import defaultdict
from datetime import datetime

from sinks.query_client import run_query
from tallywire.settings import Settings

HEDGE_MARK = {"approx": "≈", "nearly": "<", "more_than": ">", "up_to": "≤", "at_least": "≥", "exact": ""}
WIDTH, HEIGHT, MARGIN = 760, 260, 56

_QUERIES = {
    # One mark per story and value, the story's first report of it; ranges and vague sizes left out.
    "marks": """
        SELECT category, force, location, story_id, value, status,
               argMin(qualifier, published_at) AS qualifier, min(published_at) AS published,
               argMin(source, published_at) AS source
        FROM figures FINAL WHERE value_low = value_high
        GROUP BY category, force, location, story_id, value, status
        ORDER BY category, force, location, published""",
    "latest": "SELECT category, force, location, latest_value, latest_qualifier, latest_published, latest_source, "
              "stories FROM latest_figures ORDER BY category, force, location",
    "stories": "SELECT first_published, story_id, articles, outlets, sources, title FROM story_sizes "
               "ORDER BY first_published DESC LIMIT 100",
    "alerts": "SELECT created_at, category, force, location, value, qualifier, status, previous_value, source, "
              "attribution FROM alerts FINAL ORDER BY created_at DESC LIMIT 50",
}


def _rows(settings: Settings, sql: str) -> list[dict]:
    return [json.loads(line) for line in run_query(settings, sql, "JSONEachRow").decode("utf-8").splitlines() if line]


def build_report(settings: Settings, now: datetime) -> str:
    data = {name: _rows(settings, sql) for name, sql in _QUERIES.items()}
    series: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for mark in data["marks"]:
        series[(mark["category"], mark["force"], mark["location"])].append(mark)
    charts = "\n".join(_chart(key, marks) for key, marks in series.items()) or "<p>No figures yet.</p>"
    return _PAGE.format(
        generated=html.escape(now.strftime("%Y-%m-%d %H:%M UTC")),
        charts=charts,
        latest=_table(data["latest"], ["category", "force", "location", "latest_value", "latest_qualifier",
                                       "latest_published", "latest_source", "stories"]),
        stories=_table(data["stories"], ["first_published", "story_id", "articles", "outlets", "sources", "title"]),
        alerts=_table(data["alerts"], ["created_at", "category", "force", "location", "value", "qualifier", "status",
                                       "previous_value", "source", "attribution"]),
    )


def _chart(key: tuple[str, str, str], marks: list[dict]) -> str:
    times = [datetime.fromisoformat(m["published"]).timestamp() for m in marks]
    values = [float(m["value"]) for m in marks]
    t0, t1 = min(times), max(times)
    top = max(values) * 1.15 or 1.0
    def x(t: float) -> float:
        return MARGIN + (WIDTH - 2 * MARGIN) * ((t - t0) / (t1 - t0) if t1 > t0 else 0.5)
    def y(v: float) -> float:
        return HEIGHT - MARGIN + 10 - (HEIGHT - MARGIN) * (v / top)
    dots = []
    for mark, t, v in zip(marks, times, values):
        label = f"{HEDGE_MARK.get(mark['qualifier'], '')}{v:,.0f}"
        shape = "expected" if mark["status"] == "expected" else "possible" if mark["status"] == "possible" else "reported"
        tooltip = f"{label} {mark['status']} ({mark['qualifier']}) — {mark['source']}, {mark['published'][:10]}"
        dots.append(
            f'<g class="mark {shape}" data-value="{v:.0f}" data-source="{html.escape(mark["source"])}">'
            f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="6"><title>{html.escape(tooltip)}</title></circle>'
            f'<text x="{x(t) + 9:.1f}" y="{y(v) - 8:.1f}">{html.escape(label)} · {html.escape(mark["source"][:24])}</text></g>'
        )
    first, last = marks[0]["published"][:10], marks[-1]["published"][:10]
    axis = (f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN + 10}" x2="{WIDTH - MARGIN}" y2="{HEIGHT - MARGIN + 10}"/>'
            f'<text class="axis" x="{MARGIN}" y="{HEIGHT - 12}">{first}</text>'
            f'<text class="axis" x="{WIDTH - MARGIN}" y="{HEIGHT - 12}" text-anchor="end">{last}</text>'
            f'<text class="axis" x="8" y="{y(top / 1.15):.1f}">{top / 1.15:,.0f}</text>')
    title = " / ".join(html.escape(part or "?") for part in key)
    return (f'<section class="series"><h3>{title}</h3><svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
            f'role="img" aria-label="{title}">{axis}{"".join(dots)}</svg></section>')


def _table(rows: list[dict], columns: list[str]) -> str:
    if not rows:
        return "<p>None yet.</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(row.get(c)))}</td>" for c in columns) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tallywire report</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #1d232a; }}
h1 {{ margin-bottom: 0; }} .generated {{ color: #667; margin-top: 0; }}
.chart {{ width: 100%; max-width: {width}px; background: #fafbfc; border: 1px solid #dde; }}
.chart line {{ stroke: #99a; }} .chart text {{ font-size: 11px; fill: #333; }} .chart .axis {{ fill: #667; }}
.mark.reported circle {{ fill: #c0392b; }} .mark.expected circle {{ fill: none; stroke: #c0392b; stroke-width: 2; }}
.mark.possible circle {{ fill: #f1c40f; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 2em; }}
th, td {{ border-bottom: 1px solid #e3e6ea; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f3f5f7; }}
.legend span {{ margin-right: 1.5em; }}
</style></head><body>
<h1>tallywire</h1><p class="generated">Generated {generated}</p>
<h2>Figure series</h2>
<p class="legend"><span>● reported</span><span>○ expected</span><span style="color:#b7950b">● possible</span>
<span>≈ about, &lt; nearly, &gt; more than, ≤ up to, ≥ at least</span></p>
{charts}
<h2>Latest figures</h2>{latest}
<h2>Stories and their outlets</h2>{stories}
<h2>Recent alerts</h2>{alerts}
</body></html>
""".replace("{width}", str(WIDTH))
