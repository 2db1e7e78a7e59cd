"""The HTML report, opened in headless Chromium: the charts render and show the seed figures."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink
from sinks.migrations import apply_migrations
from sinks.report import build_report
from tallywire.settings import Settings
from tallywire.topics import ARTICLES, FIGURES
from tests.sinks.test_sink_and_queries import GOLD, articles, figures

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def report(tmp_path: Path) -> Path:
    dsn = f"chdb://{tmp_path / 'ch'}"
    clickhouse = ClickHouse(dsn)
    apply_migrations(clickhouse)
    ClickHouseSink(clickhouse).write(ARTICLES, articles())
    ClickHouseSink(clickhouse).write(FIGURES, figures())
    clickhouse.close()
    page = tmp_path / "report.html"
    page.write_text(build_report(Settings(data_dir=tmp_path, clickhouse_dsn=dsn), datetime(2024, 11, 12, tzinfo=timezone.utc)))
    return page


def test_the_report_is_one_self_contained_page(report: Path) -> None:
    page = report.read_text()
    assert "<script src" not in page and "<link " not in page and "http" not in page.split("<body>")[0]
    for value in ("3,000", "12,000", "8,000", "10,000", "11,000", "50,000"):
        assert value in page


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_chromium_renders_a_chart_per_series_with_the_seed_figures(report: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    dom = done.stdout
    assert dom.count('<svg class="chart"') == 3, done.stderr[-2000:]
    rendered = {int(part.split('"')[0]) for part in dom.split('data-value="')[1:]}
    assert rendered == {value for _, value, _, _, _ in GOLD}
    # One mark per story and value: 000 and 003 are one story, so their 11,000 is one mark.
    assert dom.count("<circle") == 7
