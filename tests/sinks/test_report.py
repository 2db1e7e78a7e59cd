"""The HTML report on the seeds and at volume (300 and 3,000 synthetic articles), opened in headless
Chromium: a script added to a copy of the page measures it (text boxes, ticks, filters, load time)
and writes the result into the DOM, which ``--dump-dom`` hands back; a screenshot lands beside it."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from processors.alert_series import SeriesState, decide
from tallywire.core.alert_rules import AlertRules
from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink
from sinks.migrations import apply_migrations
from sinks.report import headline
from sinks.report import build_report
from tallywire.core.settings import Settings
from tallywire.core.topics import ALERTS, ARTICLES, FIGURES, Article, Figure, stable_id
from tests.sinks.test_sink_and_queries import articles, figures

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NOW = datetime(2024, 12, 1, tzinfo=timezone.utc)
CATEGORIES = ["troops", "killed", "wounded", "refugees"]
FORCES = ["north_korea", "russia", "ukraine", "israel", "hamas", "hezbollah", "sudan", "rsf"]
PLACES = ["Kursk", "Donezk", "Charkiw", "Gaza", "Rafah", "Beirut", "El Fasher", "Khartum"]
OUTLETS = ["wire-a", "wire-b", "daily-c", "tv-d", "web-e", "radio-f"]

# Added to a copy of the page: what a person would check by eye, measured.
PROBE = """<script>
window.addEventListener("load", function () {
  var out = {loaded_ms: performance.now(), overlaps: [], charts: []};
  function visibleCharts() { return Array.from(document.querySelectorAll("section.series:not([hidden]) svg.chart")); }
  function overlap(a, b) { return a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5; }
  visibleCharts().forEach(function (svg) {
    var texts = Array.from(svg.querySelectorAll("text"));
    var boxes = texts.map(function (t) { return t.getBoundingClientRect(); });
    for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++)
      if (overlap(boxes[i], boxes[j])) out.overlaps.push([texts[i].textContent, texts[j].textContent]);
    out.charts.push({y_ticks: svg.querySelectorAll(".axis.y text").length, x_ticks: svg.querySelectorAll(".axis.x text").length,
                     marks: svg.querySelectorAll(".mark").length, lines: svg.querySelectorAll("polyline").length});
  });
  out.legend = {};
  ["reported", "expected", "possible"].forEach(function (status) {
    var key = document.querySelector(".legend .mark." + status), point = document.querySelector("svg.chart .mark." + status);
    var style = function (el) { var s = getComputedStyle(el); return el.tagName + " " + s.fill + " " + s.stroke; };
    out.legend[status] = point ? style(key) === style(point) : null;
  });
  var rows = function () { return Array.from(document.querySelectorAll(".overview tbody tr:not([hidden])")); };
  out.rows_before = rows().length;
  var select = document.querySelector("#filters select[name=location]");
  select.value = select.options[1].value;
  select.dispatchEvent(new Event("change"));
  out.filter = {location: select.value, rows: rows().length, charts: visibleCharts().length,
                rows_elsewhere: rows().filter(function (r) { return r.dataset.location !== select.value; }).length,
                charts_elsewhere: Array.from(document.querySelectorAll("section.series:not([hidden])"))
                  .filter(function (s) { return s.dataset.location !== select.value; }).length};
  out.ready_ms = performance.now();
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True, text=True, timeout=60,
    )


def probe(page: Path, tmp_path: Path) -> dict:
    """Open a copy of the page with the probe in Chromium; its measurements and a screenshot."""
    probed = page.with_name(f"probed-{page.name}")
    probed.write_text(page.read_text().replace("</body>", f"{PROBE}</body>"))
    started = time.monotonic()
    done = _chromium(probed, tmp_path / "profile", "--dump-dom")
    wall = time.monotonic() - started
    assert 'id="probe"' in done.stdout, done.stderr[-2000:]
    found = json.loads(done.stdout.split('<pre id="probe">', 1)[1].split("</pre>", 1)[0].replace("&amp;", "&"))
    shot = page.with_suffix(".png")
    _chromium(page, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2600")
    assert shot.stat().st_size > 10_000
    return {**found, "wall_s": wall}


def _report(tmp_path: Path, name: str, fill) -> Path:  # noqa: ANN001
    dsn = f"chdb://{tmp_path / name / 'ch'}"
    clickhouse = ClickHouse(dsn)
    apply_migrations(clickhouse)
    fill(ClickHouseSink(clickhouse, alert_tolerance=0.02))
    clickhouse.close()
    page = tmp_path / f"{name}.html"
    page.write_text(build_report(Settings(data_dir=tmp_path / name, clickhouse_dsn=dsn), NOW))
    return page


def synthetic(count: int, seed: int = 7) -> tuple[list[Article], list[Figure]]:
    """``count`` articles over 90 days, three figures each, on series that drift like reported tallies."""
    rng = random.Random(seed)
    level: dict[tuple[str, str, str], float] = {}
    found_articles, found_figures = [], []
    start = datetime(2024, 9, 1, tzinfo=timezone.utc)
    for n in sorted(range(count), key=lambda _: rng.random()):
        published = start + timedelta(minutes=int(90 * 24 * 60 * n / count))
        place = rng.choice(PLACES)
        force = rng.choice(FORCES)
        title = (f"{force.replace('_', ' ').title()} forces near {place}: officials give new figures as the fighting "
                 f"goes on for day {n % 40 + 2} and aid groups warn of worse to come")
        article = Article(article_id=f"a{n}", url=f"https://news.example/{n}", source=rng.choice(OUTLETS),
                          title=title, text=title + ".", story_id=f"s{n // 2}", event_id=f"e{n // 20}",
                          published_at=published, fetched_at=published)
        found_articles.append(article)
        for category in rng.sample(CATEGORIES, 3):
            key = (category, force, place)
            level[key] = max(10.0, level.get(key, rng.choice([500, 2000, 8000, 30000])) * rng.choice([1, 1, 1.05, 1.2, 0.9]))
            value = float(round(level[key], -1))
            found_figures.append(Figure(
                figure_id=stable_id(article.article_id, category), article_id=article.article_id, story_id=article.story_id,
                source=article.source, url=article.url, title=title, published_at=published, value=value,
                value_low=value, value_high=value, status=rng.choice(["reported"] * 6 + ["expected", "possible"]),
                qualifier=rng.choice(["exact", "approx", "more_than"]), category=category, force=force, location=place,
                attribution=rng.choice(["officials", "Selenskyj", "UN", "the army"]), confidence=0.9))
    return found_articles, found_figures


def _fill(items: tuple[list[Article], list[Figure]]):  # noqa: ANN202
    def fill(sink: ClickHouseSink) -> None:
        found_articles, found_figures = items
        sink.write(ARTICLES, found_articles)
        sink.write(FIGURES, found_figures)
        rules, states, alerts = AlertRules(categories=frozenset(CATEGORIES)), {}, []
        for item in found_figures:
            records, states[item.key] = decide(item, states.get(item.key, SeriesState()), rules, NOW)
            alerts.extend(records)
        sink.write(ALERTS, alerts)
    return fill


def test_the_seed_report_is_one_self_contained_page(tmp_path: Path) -> None:
    page = _report(tmp_path, "seeds", _fill((articles(), figures()))).read_text()
    head = page.split("<body>")[0]
    assert "<script src" not in page and "<link " not in page and "http" not in head
    for value in ("3,000", "12,000", "8,000", "10,000", "11,000", "50,000"):
        assert value in page
    assert "Troops · North Korea · Kursk" in page and "<th>Latest</th>" in page and "00:00:00" not in page
    assert "7 Nov 2024" in page


def test_titles_are_whole_words_and_sentences_not_dates() -> None:
    lead = "1.11.2024\nUS-Außenminister Blinken sagte, 8.000 Soldaten seien in Kursk. Weitere folgen."
    assert headline("1.11.2024", lead) == "US-Außenminister Blinken sagte, 8.000 Soldaten seien in Kursk."
    cut = headline("Der ukrainische Präsident Wolodymyr Selenskyj hat bestätigt, dass nordkoreanische Truppen "
                   "an der Front in der Region Kursk eingetroffen sind und dort kämpfen", most=80)
    assert cut.endswith("…") and len(cut) <= 81 and cut[:-1].rstrip() in "Der ukrainische Präsident Wolodymyr Selenskyj hat bestätigt, dass nordkoreanische"


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
# 3,000 articles take Chromium about two minutes on 2 cores: the full suite's, not the fast tier's.
@pytest.mark.parametrize("count", [300, pytest.param(3000, marks=pytest.mark.e2e)])
def test_chromium_reads_the_report_at_volume(count: int, tmp_path: Path) -> None:
    page = _report(tmp_path, f"report-{count}", _fill(synthetic(count)))
    found = probe(page, tmp_path)
    print(f"{count} articles: {page.stat().st_size / 1e6:.1f} MB, loaded in {found['loaded_ms']:.0f} ms, "
          f"probed in {found['ready_ms']:.0f} ms, {found['wall_s']:.1f} s in Chromium; screenshot {page.with_suffix('.png')}")
    assert found["loaded_ms"] < 2000
    assert found["overlaps"] == []
    assert len(found["charts"]) == 12
    assert all(c["y_ticks"] >= 3 and c["x_ticks"] >= 2 and c["lines"] >= 1 for c in found["charts"])
    assert all(found["legend"].values())
    assert found["rows_before"] > 100
    assert 0 < found["filter"]["rows"] < found["rows_before"] and found["filter"]["charts"] > 0
    assert found["filter"]["rows_elsewhere"] == found["filter"]["charts_elsewhere"] == 0
