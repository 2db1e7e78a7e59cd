"""Copies, stories and events: the seeds in any order, copies, and the evaluation on the dev sets."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys

import pytest

from ingest.text_cleanup import clean_text
from processors.story_eval import read_pairs, report, score_pairs
from processors.story_grouping import GroupingParams, StoryGrouper
from tests.conftest import REPO, SHARED, SHARED_SEEDS


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {p.name[:3]: clean_text(p.read_text(encoding="utf-8")) for p in sorted(SHARED_SEEDS.glob("*.txt"))}


ORDERS = [list("01234"), list("34012"), list("10432"), list("42130")]


@pytest.mark.parametrize("order", ORDERS, ids=["".join(o) for o in ORDERS])
def test_only_the_two_translations_share_a_story_in_any_order(seeds: dict[str, str], order: list[str]) -> None:
    grouper = StoryGrouper()
    story = {n: grouper.assign(n, seeds[f"00{n}"]).story_id for n in order}
    assert story["0"] == story["3"]
    assert len({story[n] for n in "0124"}) == 4


def test_a_republished_copy_is_a_duplicate_of_the_original(seeds: dict[str, str]) -> None:
    grouper = StoryGrouper()
    grouper.assign("original", seeds["001"])
    copy = seeds["001"].replace("Die Lage bleibt angespannt", "Die Lage ist weiter angespannt") + "\n(dpa)"
    grouping = grouper.assign("copy", copy)
    assert grouping.duplicate_of == "original" and grouping.story_id == "original"


def test_a_replayed_article_keeps_its_grouping(seeds: dict[str, str]) -> None:
    grouper = StoryGrouper()
    first = grouper.assign("a", seeds["000"])
    grouper.assign("b", seeds["003"])
    assert grouper.assign("a", seeds["000"]) == first


def test_the_partition_into_stories_does_not_depend_on_arrival_order(seeds: dict[str, str]) -> None:
    partitions = set()
    for order in random.Random(5).sample(list(itertools.permutations("01234")), 6):
        grouper = StoryGrouper()
        story = {n: grouper.assign(n, seeds[f"00{n}"]).story_id for n in order}
        groups = {}
        for name, story_id in story.items():
            groups.setdefault(story_id, set()).add(name)
        partitions.add(frozenset(frozenset(g) for g in groups.values()))
    assert len(partitions) == 1


def test_articles_older_than_the_window_leave_the_index(seeds: dict[str, str]) -> None:
    from datetime import datetime, timedelta, timezone

    grouper = StoryGrouper(GroupingParams(window_days=7))
    start = datetime(2024, 11, 1, tzinfo=timezone.utc)
    grouper.assign("old", seeds["000"], published_at=start)
    late = grouper.assign("late", seeds["003"], published_at=start + timedelta(days=8))
    assert late.story_id == "late" and len(grouper) == 1
    assert grouper.bytes_per_article() < 64 * 1024


def test_story_level_on_a_sample_of_the_dev_set() -> None:
    rows = read_pairs(SHARED / "dedup" / "story_pairs_dev.csv.gz")
    sample = random.Random(3).sample(rows, 80)
    result = report(score_pairs(sample, "story", GroupingParams()), "story", GroupingParams())
    assert set(result["by_lang"]) == {"de-de", "de-en"}
    assert all(scores["f1"] >= 0.9 for scores in result["by_lang"].values()), result


def test_eval_stories_prints_the_documented_json(tmp_path) -> None:  # noqa: ANN001
    rows = read_pairs(SHARED / "dedup" / "semeval2022_task8_de_dev.csv.gz")[:12]
    sample = tmp_path / "pairs.csv"
    with sample.open("w", newline="") as out:
        import csv

        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    done = subprocess.run([sys.executable, "-m", "tallywire.cli", "eval-stories", str(sample), "--level", "event",
                           "--format", "json"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["level"] == "event" and result["pairs"] == 12 and isinstance(result["pearson"], float)
    for scores in result["by_lang"].values():
        assert set(scores) == {"n", "precision", "recall", "f1"}
