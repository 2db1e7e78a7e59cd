"""Inline SVG for the report: a series chart with real axes, a sparkline, the legend's markers.

Pure: marks in, SVG text out. No label sits on a point (each point's words are its tooltip), and
axis ticks are spaced wider than their labels, so no text overlaps whatever the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape

WIDTH, HEIGHT = 760, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 14, 30
# The markers of each status: the legend draws the same shapes, so legend and points cannot disagree.
STATUSES = ("reported", "expected", "possible")
HEDGE_MARK = {"approx": "≈", "nearly": "<", "more_than": ">", "up_to": "≤", "at_least": "≥", "exact": ""}
DAY = 86400.0


@dataclass(frozen=True)
class Mark:
    published: datetime
    value: float
    status: str
    qualifier: str
    source: str
    url: str
    title: str
    said_by: str = ""


def number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.2f}"


def short_number(value: float) -> str:
    """Axis labels: 12k, 1.5M."""
    for size, unit in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.1f}".rstrip("0").rstrip(".") + unit
    return f"{value:,.0f}"


def value_ticks(top: float, count: int = 5) -> list[float]:
    """Round ticks from 0 to at least ``top``: 1, 2, 2.5 or 5 times a power of ten apart."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [step * i for i in range(math.ceil(top / step - 1e-9) + 1)]


def date_ticks(start: float, end: float, most: int) -> list[tuple[float, str]]:
    """At most ``most`` ticks at whole days, weeks, months or years between two times (epoch seconds)."""
    span = max(end - start, DAY)
    for days in (1, 2, 7, 14):
        if span / (days * DAY) <= most:
            first = math.ceil(start / DAY) * DAY
            if days >= 7:  # weeks start on Monday (1970-01-01 was a Thursday)
                first += ((7 - (first / DAY + 3) % 7) % 7) * DAY
            return [(t, _day(t, "%d %b")) for t in _range(first, end, days * DAY)]
    for months in (1, 2, 3, 6, 12, 24, 60):
        if span / (months * 30.4 * DAY) <= most:
            return [(t, _day(t, "%b %Y" if months < 12 else "%Y")) for t in _months(start, end, months)]
    return [(start, _day(start, "%Y")), (end, _day(end, "%Y"))]


def _range(first: float, end: float, step: float) -> list[float]:
    return [first + i * step for i in range(int((end - first) // step) + 1)] if first <= end else []


def _months(start: float, end: float, every: int) -> list[float]:
    moment = datetime.fromtimestamp(start, timezone.utc)
    month = moment.year * 12 + moment.month  # the month after the start's, counted from year 0
    ticks: list[float] = []
    while True:
        year, index = divmod(month, 12)
        if index % every == 0:
            tick = datetime(year, index + 1, 1, tzinfo=timezone.utc).timestamp()
            if tick > end:
                return ticks
            ticks.append(tick)
        month += 1


def _day(t: float, pattern: str) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime(pattern).lstrip("0")


def marker(status: str, x: float, y: float, tooltip: str = "") -> str:
    title = f"<title>{escape(tooltip)}</title>" if tooltip else ""
    if status == "possible":
        return (f'<path class="mark possible" d="M{x:.1f} {y - 6:.1f}l6 6l-6 6l-6-6z">{title}</path>')
    return f'<circle class="mark {escape(status)}" cx="{x:.1f}" cy="{y:.1f}" r="5">{title}</circle>'


def legend() -> str:
    items = "".join(
        f'<span class="key"><svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">'
        f'{marker(status, 8, 8)}</svg>{status}</span>' for status in STATUSES)
    return f'<p class="legend">{items}<span class="key">≈ about · &lt; nearly · &gt; more than · ≤ up to · ≥ at least</span></p>'


def chart(label: str, marks: list[Mark]) -> str:
    """One series over time: value and date axes with ticks and grid lines, each status's points joined
    in publication order, a tooltip per point."""
    times = [m.published.timestamp() for m in marks]
    t0, t1 = min(times), max(times)
    if t1 - t0 < DAY:
        t0, t1 = t0 - DAY, t1 + DAY
    pad = (t1 - t0) * 0.03
    t0, t1 = t0 - pad, t1 + pad
    ticks = value_ticks(max(m.value for m in marks))
    top = ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(t: float) -> float:
        return LEFT + plot_w * (t - t0) / (t1 - t0)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = ['<g class="axis y">']
    for tick in ticks:
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}"/>'
                     f'<text class="tick" x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{short_number(tick)}</text>')
    parts.append('</g><g class="axis x">')
    # Date labels are at most 8 characters (about 50 px): 90 px between ticks keeps them apart.
    for tick, text in date_ticks(t0, t1, plot_w // 90):
        parts.append(f'<line class="tick-line" x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{TOP + plot_h}" '
                     f'y2="{TOP + plot_h + 4}"/><text class="tick" x="{x(tick):.1f}" y="{HEIGHT - 10}" '
                     f'text-anchor="middle">{escape(text)}</text>')
    parts.append(f'<line class="baseline" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/></g>')
    for status in STATUSES:
        own = sorted((m for m in marks if m.status == status), key=lambda m: m.published)
        if len(own) > 1:
            points = " ".join(f"{x(m.published.timestamp()):.1f},{y(m.value):.1f}" for m in own)
            parts.append(f'<polyline class="line {status}" points="{points}"/>')
    for m in marks:
        tooltip = (f"{HEDGE_MARK.get(m.qualifier, '')}{number(m.value)} {m.status}, "
                   f"{m.published:%d %b %Y} — {m.source}: {m.title}")
        parts.append(marker(m.status, x(m.published.timestamp()), y(m.value), tooltip))
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">'
            f'{"".join(parts)}</svg>')


def sparkline(values: list[float], width: int = 120, height: int = 24) -> str:
    """The reported values in publication order as a small line, the last one as a dot."""
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 6) / max(len(values) - 1, 1)
    points = [(3 + i * step, height - 3 - (height - 6) * ((v - low) / span if high > low else 0.5))
              for i, v in enumerate(values)]
    line = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    last_x, last_y = points[-1]
    return (f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" aria-hidden="true">'
            f'<polyline points="{line}"/><circle cx="{last_x:.1f}" cy="{last_y:.1f}" r="2.5"/></svg>')
