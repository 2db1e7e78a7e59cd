"""Paths every test tier shares. ``../shared`` lies beside the repository, in CI too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SHARED_SEEDS = SHARED / "seeds"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--outage-seconds", type=float, default=20.0,
                     help="how long tests/e2e/test_clickhouse_outage.py keeps ClickHouse failing (default 20; the issue: 60)")


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((SHARED_SEEDS / "gold.json").read_text(encoding="utf-8"))
