"""Paths every test tier shares, and the tiers.

``pytest -m "not e2e and not chaos"`` is the fast tier for everyday work; CI runs every tier. ``e2e``
marks tests that start real pipeline processes (every module in tests/e2e) or run at full scale (those
elsewhere that say so); ``chaos`` marks those that kill, cut off or restart pipelines on purpose.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
# The labels of the seeds lie beside the repository, in CI too; the seeds themselves are in it.
SHARED_SEEDS = REPO.parent / "shared" / "seeds"
E2E = REPO / "tests" / "e2e"
CHAOS_MODULES = frozenset({
    "test_alert_delivery", "test_clickhouse_outage", "test_crash_recovery", "test_rebalances", "test_rocksdb_store",
    "test_run_feeds", "test_sink_replay", "test_table_recovery",
})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--outage-seconds", type=float, default=20.0,
                     help="how long tests/e2e/test_clickhouse_outage.py keeps ClickHouse failing (default 20; the issue: 60)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            if item.path.stem in CHAOS_MODULES:
                item.add_marker(pytest.mark.chaos)


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((SHARED_SEEDS / "gold.json").read_text(encoding="utf-8"))
