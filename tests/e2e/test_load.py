"""The load test (bench/load_test.py) at a size CI affords: every article arrives, nothing is left
unconsumed, and no process outgrows its memory bound.

The bounds hold the peaks measured on the 2-core dev VM with room to spare (pipeline ~530 MiB,
worker ~300 MiB, broker ~45 MiB for 2,000 articles, see README "Guarantees"); a process that keeps
everything it ever saw would pass them as the count grows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.load_test import run_load
from tallywire.testkit.synthetic_news import synthetic_articles, write_folder
from ingest.file_source import read_articles

pytestmark = pytest.mark.e2e

ARTICLES = 1000
PEAK_RSS_BOUND_MB = {"pipeline": 900, "broker": 200, "worker-1": 600, "ingest": 400}


@pytest.mark.timeout(900)  # a fail-safe for a busy machine, not the expected run time
def test_load_arrives_whole_with_bounded_memory(tmp_path: Path) -> None:
    folder = write_folder(list(synthetic_articles(ARTICLES)), tmp_path / "expected")
    distinct = len({raw.article_id for raw in read_articles([folder])})

    result = run_load(ARTICLES, work_dir=tmp_path / "load", timeout_s=780, report=lambda line: None)

    assert result["pushed"] == distinct
    assert result["stored"]["articles"] == distinct
    assert result["stored"]["dead_letters"] == 0
    assert result["final_lag"] == 0, result
    assert result["peak_rss_mb"].keys() == PEAK_RSS_BOUND_MB.keys(), result
    over = {name: mb for name, mb in result["peak_rss_mb"].items() if mb > PEAK_RSS_BOUND_MB[name]}
    assert not over, f"peak RSS above its bound (MiB): {over}; bounds {PEAK_RSS_BOUND_MB}"
