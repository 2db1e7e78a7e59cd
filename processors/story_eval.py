"""Score story and event grouping on labelled article pairs, and choose thresholds by cross-validation.

Each pair runs through a fresh ``StoryGrouper`` (text1, then text2); "same group" means the same
story_id (``--level story``) or event_id (``--level event``). Labels: ``same_story`` (1/0) for
stories; ``Overall`` for events (SemEval-2022 Task 8 scale: at most 1.5 is the same event, at least 3
a different one, pairs between are left out of precision and recall but kept for Pearson).
"""

from __future__ import annotations

import csv
import gzip
import io
import random
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ingest.text_cleanup import clean_text
from processors.story_grouping import GroupingParams, StoryGrouper

LEVELS = ("story", "event")


@dataclass(frozen=True)
class ScoredPair:
    lang_pair: str  # the two codes in sorted order, "de-en"
    label: bool | None  # same group by the annotation; None where the annotation is in between
    overall: float | None
    copy: bool
    story: float  # sentence-alignment similarity of text2 to text1
    event: float  # document similarity


def read_pairs(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if raw[:2] == b"\x1f\x8b" else raw.decode("utf-8")
    csv.field_size_limit(1 << 30)
    return list(csv.DictReader(io.StringIO(text)))


def _label(row: dict[str, str], level: str) -> bool | None:
    if level == "story":
        return row["same_story"].strip() == "1"
    overall = float(row["Overall"])
    return True if overall <= 1.5 else False if overall >= 3 else None


def score_pairs(rows: list[dict[str, str]], level: str, params: GroupingParams) -> list[ScoredPair]:
    scored = []
    for row in rows:
        grouper = StoryGrouper(params)
        grouper.assign("text1", clean_text(row["text1"]), row["lang1"])
        second = grouper.assign("text2", clean_text(row["text2"]), row["lang2"])
        overall = float(row["Overall"]) if row.get("Overall") else None
        scored.append(
            ScoredPair(
                lang_pair="-".join(sorted((row["lang1"], row["lang2"]))),
                label=_label(row, level),
                overall=overall,
                copy=second.duplicate_of == "text1",
                story=second.story_similarity,
                event=second.event_similarity,
            )
        )
    return scored


def same_group(pair: ScoredPair, level: str, params: GroupingParams) -> bool:
    same_story = pair.copy or pair.story >= params.story_threshold
    return same_story if level == "story" else same_story or pair.event >= params.event_threshold


def report(pairs: list[ScoredPair], level: str, params: GroupingParams) -> dict:
    """The JSON object ``tallywire eval-stories --format json`` prints."""
    by_lang: dict[str, dict] = {}
    for lang_pair in sorted({p.lang_pair for p in pairs}):
        judged = [(p.label, same_group(p, level, params)) for p in pairs if p.lang_pair == lang_pair and p.label is not None]
        by_lang[lang_pair] = _scores(judged)
    rated = [p for p in pairs if p.overall is not None]
    similarity = [p.story if level == "story" else p.event for p in rated]
    pearson = float(np.corrcoef(similarity, [p.overall for p in rated])[0, 1]) if len(rated) > 2 else None
    return {"level": level, "pairs": len(pairs), "pearson": pearson, "by_lang": by_lang}


def _scores(judged: list[tuple[bool, bool]]) -> dict[str, float]:
    """n, precision, recall and F1 of (label, prediction) pairs."""
    true_positive = sum(1 for label, guess in judged if label and guess)
    precision = true_positive / max(1, sum(1 for _, guess in judged if guess))
    recall = true_positive / max(1, sum(1 for label, _ in judged if label))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(judged), "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _threshold_field(level: str) -> str:
    return "story_threshold" if level == "story" else "event_threshold"


def _best_threshold(pairs: list[ScoredPair], level: str, params: GroupingParams) -> float:
    """The threshold with the best mean F1 over the language pairs."""
    field = _threshold_field(level)
    candidates = np.round(np.arange(0.30, 0.96, 0.005), 3)

    def mean_f1(threshold: float) -> float:
        trial = replace(params, **{field: float(threshold)})
        scores = [
            _scores([(p.label, same_group(p, level, trial)) for p in pairs if p.lang_pair == lp and p.label is not None])["f1"]
            for lp in {p.lang_pair for p in pairs}
        ]
        return float(np.mean(scores))

    return float(max(candidates, key=mean_f1))


def cross_validate(pairs: list[ScoredPair], level: str, params: GroupingParams, folds: int = 5, seed: int = 13) -> dict:
    """Thresholds chosen on k-1 folds, judged on the held-out fold; figures pooled over the folds."""
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    field = _threshold_field(level)
    predictions: dict[int, bool] = {}
    chosen = []
    for fold in range(folds):
        held_out = set(order[fold::folds])
        threshold = _best_threshold([p for i, p in enumerate(pairs) if i not in held_out], level, params)
        chosen.append(threshold)
        trial = replace(params, **{field: threshold})
        for i in held_out:
            predictions[i] = same_group(pairs[i], level, trial)
    by_lang = {
        lang_pair: _scores(
            [(p.label, predictions[i]) for i, p in enumerate(pairs) if p.lang_pair == lang_pair and p.label is not None]
        )
        for lang_pair in sorted({p.lang_pair for p in pairs})
    }
    return {"level": level, "folds": folds, "thresholds": chosen, "by_lang": by_lang}
