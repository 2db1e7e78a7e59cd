"""``tallywire eval-stories`` on a small sample of the dev sets: the documented JSON, sane figures."""

from __future__ import annotations

import csv
import gzip
import json
import random
from pathlib import Path

import pytest

from processors.story_eval import cross_validate, read_pairs, score_pairs
from processors.story_grouping import GroupingParams
from tallywire.cli import main

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "dedup"


def _sample(tmp_path: Path, name: str, count: int, gz: bool) -> Path:
    rows = read_pairs(DEV / name)
    sample = random.Random(3).sample(rows, count)
    path = tmp_path / ("sample.csv.gz" if gz else "sample.csv")
    with (gzip.open(path, "wt", newline="") if gz else path.open("w", newline="")) as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(sample)
    return path


@pytest.mark.parametrize(("level", "name", "gz"), [("story", "story_pairs_dev.csv.gz", True),
                                                  ("event", "semeval2022_task8_de_dev.csv.gz", False)])
def test_eval_stories_prints_the_documented_json(tmp_path: Path, capsys, level: str, name: str, gz: bool) -> None:  # noqa: ANN001
    assert main(["eval-stories", str(_sample(tmp_path, name, 24, gz)), "--level", level, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["level"] == level and result["pairs"] == 24
    assert result["pearson"] is None or -1 <= result["pearson"] <= 1
    assert {"de-de", "de-en"} <= set(result["by_lang"])
    for scores in result["by_lang"].values():
        assert set(scores) == {"n", "precision", "recall", "f1"}
        assert all(0 <= scores[k] <= 1 for k in ("precision", "recall", "f1"))


def test_story_level_holds_on_a_sample_of_the_dev_set() -> None:
    sample = random.Random(4).sample(read_pairs(DEV / "story_pairs_dev.csv.gz"), 60)
    pairs = score_pairs(sample, "story", GroupingParams())
    result = cross_validate(pairs, "story", GroupingParams(), folds=3)
    assert set(result["thresholds"]) == {"story_threshold"}
    assert all(scores["f1"] >= 0.9 for scores in result["by_lang"].values()), result
