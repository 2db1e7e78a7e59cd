"""The event model: one L2-regularised logistic regression over ``event_matcher.EVENT_SIGNALS`` for
every language pair, its penalty and threshold chosen by grouped cross-validation inside the training
pairs, shipped as data in ``data/event_model.json``.

``python -m processors.story_eval --fit`` writes that file from all the labelled dev pairs (German and
the other languages); ``--cv`` judges the same procedure on article groups it never saw.
Pure: the functions take arrays and return numbers; nothing here reads the dev sets.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from processors.event_matcher import EVENT_SIGNALS
from processors.grouped_splits import grouped_folds

MODEL_FILE = Path(__file__).parent / "data" / "event_model.json"
# L2 penalties (on standardised signals, in labelled pairs' worth) the inner cross-validation picks from.
L2_GRID = (0.3, 1.0, 3.0, 10.0, 30.0)
INNER_FOLDS = 5
INNER_SEED = 99
THRESHOLD_GRID = np.round(np.arange(0.0, 1.0, 0.0025), 4)
# Held-out probabilities are clipped this far from 0 and 1 so that one confident miss cannot decide
# the penalty alone.
LOG_FLOOR = 1e-6


@dataclass(frozen=True)
class EventModel:
    signals: tuple[str, ...]
    weights: tuple[float, ...]  # intercept, then one per signal
    threshold: float  # same event at or above this probability
    l2: float
    trained_on: dict[str, int]  # labelled pairs per language pair


def load_event_model(path: Path = MODEL_FILE) -> EventModel:
    raw = json.loads(path.read_text(encoding="utf-8"))
    model = EventModel(tuple(raw["signals"]), tuple(raw["weights"]), raw["threshold"], raw["l2"], raw["trained_on"])
    if model.signals != EVENT_SIGNALS or len(model.weights) != len(EVENT_SIGNALS) + 1:
        raise ValueError(f"{path} is fitted on {model.signals}, not on event_matcher's {EVENT_SIGNALS}: refit it")
    return model


def model_json(model: EventModel) -> str:
    return json.dumps(asdict(model), indent=1) + "\n"


def probabilities(signals: np.ndarray, weights: tuple[float, ...]) -> np.ndarray:
    """``event_matcher.event_similarity`` of each row at once."""
    z = weights[0] + signals @ np.asarray(weights[1:])
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))


def fit_logistic(signals: np.ndarray, labels: np.ndarray, l2: float) -> tuple[float, ...]:
    """Weights (intercept first) of an L2-regularised logistic regression, on the signals as given.

    Fitted on standardised columns (so that one penalty suits all) by Newton's method, then mapped back;
    a constant column gets weight 0. Deterministic: no random start, a fixed number of steps.
    """
    mean = signals.mean(axis=0)
    spread = signals.std(axis=0)
    spread[spread == 0] = np.inf
    design = np.hstack([np.ones((len(signals), 1)), (signals - mean) / spread])
    penalty = l2 * np.diag([0.0] + [1.0] * signals.shape[1])
    weights = np.zeros(design.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(design @ weights, -50, 50)))
        gradient = design.T @ (p - labels) + penalty @ weights
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty + 1e-9 * np.eye(len(weights))
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-10:
            break
    scaled = weights[1:] / spread
    return tuple(round(float(w), 4) for w in [weights[0] - float(scaled @ mean), *scaled])


def f1_scores(labels: np.ndarray, scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """F1 of ``scores >= t`` against boolean ``labels`` for each threshold t."""
    guesses = scores[None, :] >= thresholds[:, None]
    true_positive = (guesses & labels[None, :]).sum(axis=1)
    precision = true_positive / np.maximum(1, guesses.sum(axis=1))
    recall = true_positive / max(1, int(labels.sum()))
    total = precision + recall
    return np.where(total > 0, 2 * precision * recall / np.where(total > 0, total, 1), 0.0)


def best_threshold(labels: np.ndarray, scores: np.ndarray) -> float:
    """The middle of the THRESHOLD_GRID range that ties for the best F1: nothing says which way unseen
    pairs lean."""
    f1 = f1_scores(labels, scores, THRESHOLD_GRID)
    tied = THRESHOLD_GRID[f1 == f1.max()]
    return round(float((tied[0] + tied[-1]) / 2), 4)


def held_out_probabilities(signals: np.ndarray, labels: np.ndarray, groups: list[int], l2: float,
                           folds: int = INNER_FOLDS, seed: int = INNER_SEED) -> np.ndarray:
    """Each pair's probability from a model fitted on the other folds' groups."""
    fold_of = np.array(grouped_folds(groups, folds, seed))
    held_out = np.zeros(len(labels))
    for fold in range(folds):
        test = fold_of == fold
        if test.any() and (~test).any():
            held_out[test] = probabilities(signals[test], fit_logistic(signals[~test], labels[~test], l2))
    return held_out


def choose_model(signals: np.ndarray, labels: np.ndarray, groups: list[int], trained_on: dict[str, int]) -> EventModel:
    """The penalty whose grouped held-out probabilities have the best log-likelihood (calibration, not
    just ranking), the F1-best threshold on those same held-out probabilities, and the weights fitted
    on all the pairs with that penalty."""
    best: tuple[float, float, np.ndarray] | None = None
    for l2 in L2_GRID:
        held_out = np.clip(held_out_probabilities(signals, labels, groups, l2), LOG_FLOOR, 1 - LOG_FLOOR)
        likelihood = float(np.mean(labels * np.log(held_out) + (1 - labels) * np.log(1 - held_out)))
        if best is None or likelihood > best[0]:
            best = (likelihood, l2, held_out)
    assert best is not None, "L2_GRID names at least one penalty"
    _, l2, held_out = best
    return EventModel(EVENT_SIGNALS, fit_logistic(signals, labels, l2), best_threshold(labels.astype(bool), held_out),
                      l2, trained_on)


EVENT_MODEL = load_event_model()
