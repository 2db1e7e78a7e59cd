"""Score story and event grouping on labelled article pairs, and choose thresholds by cross-validation.

Each pair runs through a fresh ``StoryGrouper`` (text1, then text2); "same group" means the same
story_id (``--level story``) or event_id (``--level event``). Labels: ``same_story`` (1/0) for
stories; ``Overall`` for events (SemEval-2022 Task 8 scale: at most 1.5 is the same event, at least 3
a different one; pairs between are left out of precision and recall but kept for Pearson). Pearson is
that of the level's similarity with Overall as is, so negative: 1 means very similar.

    python -m processors.story_eval --cv     # 5-fold CV figures and thresholds on both dev sets
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import random
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from processors.story_grouping import GroupingParams, StoryGrouper

LEVELS = ("story", "event")
DEV_SETS = Path(__file__).resolve().parents[2] / "shared" / "dedup"
# Among the thresholds that tie for the best training F1, take the one this far up the tied interval:
# the dev positives are clean translations, while real versions of a report carry by-lines and link
# lines that lower their score (seeds 000-003), and the hard negatives sit at the bottom of the gap.
TIE_POSITION = 0.25


@dataclass(frozen=True)
class ScoredPair:
    lang_pair: str  # the two codes in sorted order, "de-en"
    same_lang: bool
    label: bool | None  # same group by the annotation; None where the annotation is in between
    overall: float | None
    copy: bool
    story: float  # similarities of text2 to text1, as the grouper reported them
    event: float
    same_story_id: bool
    same_event_id: bool


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
        grouper = StoryGrouper(params=params)
        first = grouper.assign("text1", row["text1"], row["lang1"])
        second = grouper.assign("text2", row["text2"], row["lang2"])
        scored.append(
            ScoredPair(
                lang_pair="-".join(sorted((row["lang1"], row["lang2"]))),
                same_lang=row["lang1"] == row["lang2"],
                label=_label(row, level),
                overall=float(row["Overall"]) if row.get("Overall", "").strip() else None,
                copy=second.duplicate_of == "text1",
                story=second.story_similarity,
                event=second.event_similarity,
                same_story_id=second.story_id == first.story_id,
                same_event_id=second.event_id == first.event_id,
            )
        )
    return scored


def same_group(pair: ScoredPair, level: str, params: GroupingParams) -> bool:
    """The grouper's decision for a two-article store, re-derived from its similarities under other
    thresholds (the decision rule of ``story_grouping.decide``)."""
    same_story = pair.copy or pair.story >= params.story_threshold
    if level == "story":
        return same_story
    event_threshold = params.event_threshold_same_lang if pair.same_lang else params.event_threshold_cross_lang
    return same_story or pair.event >= event_threshold


def report(pairs: list[ScoredPair], level: str) -> dict:
    """The JSON object ``tallywire eval-stories --format json`` prints: the grouper's own ids decide."""
    decided = [(p, p.same_story_id if level == "story" else p.same_event_id) for p in pairs]
    by_lang = {
        lang_pair: _scores([(p.label, guess) for p, guess in decided if p.lang_pair == lang_pair and p.label is not None])
        for lang_pair in sorted({p.lang_pair for p in pairs})
    }
    rated = [p for p in pairs if p.overall is not None]
    similarity = [p.story if level == "story" else p.event for p in rated]
    pearson = float(np.corrcoef(similarity, [p.overall for p in rated])[0, 1]) if len(rated) > 2 and np.std(similarity) > 0 else None
    return {"level": level, "pairs": len(pairs), "pearson": pearson, "by_lang": by_lang}


def _scores(judged: list[tuple[bool, bool]]) -> dict[str, float]:
    """n, precision, recall and F1 of (label, prediction) pairs."""
    true_positive = sum(1 for label, guess in judged if label and guess)
    precision = true_positive / max(1, sum(1 for _, guess in judged if guess))
    recall = true_positive / max(1, sum(1 for label, _ in judged if label))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(judged), "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _tuned_fields(level: str) -> dict[str, bool | None]:
    """Each threshold the level tunes, with the pairs it applies to (same language or not; None: all)."""
    if level == "story":
        return {"story_threshold": None}
    return {"event_threshold_same_lang": True, "event_threshold_cross_lang": False}


def choose_thresholds(pairs: list[ScoredPair], level: str, params: GroupingParams) -> GroupingParams:
    """Each threshold set to maximise F1 on the pairs it applies to (TIE_POSITION up the tied range)."""
    for field, same_lang in _tuned_fields(level).items():
        judged = [p for p in pairs if p.label is not None and (same_lang is None or p.same_lang == same_lang)]
        if not judged:
            continue
        candidates = np.round(np.arange(0.0, 1.0, 0.0025), 4)
        f1s = np.array([
            _scores([(p.label, same_group(p, level, replace(params, **{field: float(t)}))) for p in judged])["f1"]
            for t in candidates
        ])
        tied = candidates[f1s == f1s.max()]
        params = replace(params, **{field: float(tied[0] + TIE_POSITION * (tied[-1] - tied[0]))})
    return params


def cross_validate(pairs: list[ScoredPair], level: str, params: GroupingParams, folds: int = 5, seed: int = 13) -> dict:
    """Thresholds chosen on k-1 folds, judged on the held-out fold; figures pooled over the folds."""
    order = list(range(len(pairs)))
    random.Random(seed).shuffle(order)
    predictions: dict[int, bool] = {}
    chosen: dict[str, list[float]] = {field: [] for field in _tuned_fields(level)}
    for fold in range(folds):
        held_out = set(order[fold::folds])
        trial = choose_thresholds([p for i, p in enumerate(pairs) if i not in held_out], level, params)
        for field in chosen:
            chosen[field].append(round(getattr(trial, field), 4))
        predictions.update({i: same_group(pairs[i], level, trial) for i in held_out})
    by_lang = {
        lang_pair: _scores([(p.label, predictions[i]) for i, p in enumerate(pairs) if p.lang_pair == lang_pair and p.label is not None])
        for lang_pair in sorted({p.lang_pair for p in pairs})
    }
    return {"level": level, "folds": folds, "thresholds": chosen, "by_lang": by_lang}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cross-validated story and event figures on the dev sets")
    parser.add_argument("--cv", action="store_true", help="run k-fold cross-validation (the only mode)")
    parser.add_argument("--folds", type=int, default=5, help="folds (default: 5)")
    parser.add_argument("--dev", type=Path, default=DEV_SETS, help=f"folder of the dev sets (default: {DEV_SETS})")
    args = parser.parse_args(argv)
    params = GroupingParams()
    results = {}
    for level, name in (("story", "story_pairs_dev.csv.gz"), ("event", "semeval2022_task8_de_dev.csv.gz")):
        pairs = score_pairs(read_pairs(args.dev / name), level, params)
        results[level] = {
            "file": name,
            "shipped": report(pairs, level),
            "cross_validated": cross_validate(pairs, level, params, folds=args.folds),
            "all_data_thresholds": {f: getattr(choose_thresholds(pairs, level, params), f) for f in _tuned_fields(level)},
        }
    sys.stdout.write(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
