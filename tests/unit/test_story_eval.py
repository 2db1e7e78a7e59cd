"""``tallywire eval-stories`` on a small sample of the dev sets: the documented JSON, sane figures."""

from __future__ import annotations

import csv
import gzip
import json
import random
from pathlib import Path

import pytest

from processors.event_model import EVENT_MODEL
from processors.story_eval import (
    EVENT_FILES, _label, cross_validate, pair_articles, read_pairs, report, same_group, score_pairs, text_key,
)
from processors.story_grouping import GroupingParams
from tallywire.cli import main

DEV = Path(__file__).resolve().parents[2].parent / "shared" / "dedup"


def _sample(tmp_path: Path, name: str, level: str, count: int, gz: bool) -> Path:
    rows = read_pairs(DEV / name, level)
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
    assert main(["eval-stories", str(_sample(tmp_path, name, level, 24, gz)), "--level", level, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["level"] == level and result["pairs"] == 24
    assert result["pearson"] is None or -1 <= result["pearson"] <= 1
    assert {"de-de", "de-en"} <= set(result["by_lang"])
    for scores in result["by_lang"].values():
        assert set(scores) == {"n", "precision", "recall", "f1"}
        assert all(0 <= scores[k] <= 1 for k in ("precision", "recall", "f1"))


# Floors in sample, a guard that the shipped parameters still group the dev pairs; the held-out figures
# come from ``python -m processors.story_eval --cv``. The event model is fitted on every language, not
# the German pairs alone, and reaches 0.82 (de-de) and 0.74 (de-en) on the German file: its floors sit
# below that, at what a broken signal or a stale model file would fall under.
GOALS = {"story": {"de-de": 0.95, "de-en": 0.95}, "event": {"de-de": 0.80, "de-en": 0.70}}


def _story_rows() -> list[dict[str, str]]:
    """All 49 hard negatives (other outlets' reports of one event) and a fixed sample of the rest: the
    whole set's 2,000 texts take minutes to embed on a busy 2-core machine."""
    rows = read_pairs(DEV / "story_pairs_dev.csv.gz", "story")
    hard = [r for r in rows if r["same_story"] == "0" and r["Overall"].strip() and float(r["Overall"]) <= 1.5]
    return hard + random.Random(6).sample([r for r in rows if r not in hard], 300)


@pytest.mark.timeout(900)
def test_the_shipped_parameters_reach_the_goals_on_the_dev_sets() -> None:
    story = report(score_pairs(_story_rows(), "story", GroupingParams()), "story")
    assert all(story["by_lang"][lang_pair]["f1"] >= goal for lang_pair, goal in GOALS["story"].items()), story
    pairs = score_pairs(read_pairs(DEV / EVENT_FILES[0], "event"), "event", GroupingParams())
    event = report(pairs, "event")
    assert all(event["by_lang"][lang_pair]["f1"] >= goal for lang_pair, goal in GOALS["event"].items()), event
    assert event["pearson"] < -0.65, event  # Overall 1 is most similar
    # The evaluation's decision rule is the grouper's: cross-validation judges what the grouper does.
    assert [same_group(p, "event", GroupingParams()) for p in pairs] == [p.same_event_id for p in pairs]


def test_the_shipped_event_model_was_fitted_on_every_labelled_event_pair() -> None:
    """Refitting takes minutes of embedding (``python -m processors.story_eval --fit``); the counts of
    what it was fitted on are checked here instead, per language pair."""
    labelled: dict[str, int] = {}
    for name in EVENT_FILES:
        for row in read_pairs(DEV / name, "event"):
            if _label(row, "event") is not None:
                lang_pair = "-".join(sorted((row["lang1"], row["lang2"])))
                labelled[lang_pair] = labelled.get(lang_pair, 0) + 1
    assert EVENT_MODEL.trained_on == dict(sorted(labelled.items()))


def test_grouped_cross_validation_gives_mean_and_spread_per_language_pair() -> None:
    sample = random.Random(4).sample(read_pairs(DEV / EVENT_FILES[0], "event"), 120)
    pairs = score_pairs(sample, "event", GroupingParams())
    result = cross_validate(pairs, "event", GroupingParams(), folds=3, repeats=3)
    assert result["repeats"] == 3 and result["groups"] <= 120
    for scores in result["by_lang"].values():
        assert 0 <= scores["f1"]["min"] <= scores["f1"]["mean"] <= scores["f1"]["max"] <= 1
        assert scores["f1"]["sd"] >= 0
    assert -1 <= result["pearson"]["mean"] <= 0
    assert 0 < result["chosen_threshold"]["mean"] < 1
    german_only = cross_validate(pairs, "event", GroupingParams(), folds=3, repeats=3, train_on=lambda p: p.lang_pair == "de-de")
    assert german_only["by_lang"]["de-de"]["n"] == result["by_lang"]["de-de"]["n"]


def test_a_semeval_article_is_one_key_in_every_language_version() -> None:
    row = {"pair_id": "1484039360it_1484180228", "lang1": "it", "lang2": "es", "text1": "a", "text2": "b"}
    assert pair_articles(row) == (text_key("it", "a"), text_key("es", "b"), "id:1484039360", "id:1484180228")
    assert pair_articles({**row, "pair_id": "wmt21-0deA-0en"}) == (text_key("it", "a"), text_key("es", "b"))
