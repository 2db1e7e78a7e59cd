"""Paths every test tier shares. ``../shared`` lies beside the repository, in CI too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SHARED_SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def gold() -> dict:
    return json.loads((SHARED_SEEDS / "gold.json").read_text(encoding="utf-8"))
