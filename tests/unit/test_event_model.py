"""The event model's fit: penalty and threshold chosen on grouped held-out pairs, the shipped file."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from processors.event_matcher import EVENT_SIGNALS
from processors.event_model import (
    EVENT_MODEL, L2_GRID, best_threshold, choose_model, f1_scores, load_event_model, model_json, probabilities,
)


def test_f1_scores_match_a_hand_count() -> None:
    labels = np.array([True, True, False, False])
    scores = np.array([0.9, 0.4, 0.6, 0.1])
    assert np.allclose(f1_scores(labels, scores, np.array([0.5, 0.3, 0.95])), [0.5, 0.8, 0.0])


def test_the_threshold_is_the_middle_of_the_best_tied_range() -> None:
    labels = np.array([False, False, True, True])
    assert best_threshold(labels, np.array([0.1, 0.2, 0.8, 0.9])) == pytest.approx(0.5, abs=0.003)


def _separable(n: int, noise: float, seed: int) -> tuple[np.ndarray, np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    signals = rng.normal(size=(n, len(EVENT_SIGNALS)))
    labels = (signals[:, 0] + noise * rng.normal(size=n) > 0.8).astype(float)
    return signals, labels, [i // 2 for i in range(n)]


def test_choose_model_reads_the_informative_signal_and_gives_a_usable_threshold() -> None:
    signals, labels, groups = _separable(300, 0.3, 1)
    model = choose_model(signals, labels, groups, {"de-de": 300})
    assert model.l2 in L2_GRID and model.signals == EVENT_SIGNALS
    assert model.weights[1] > 3 * max(abs(w) for w in model.weights[2:])
    test_signals, test_labels, _ = _separable(300, 0.3, 2)
    guesses = probabilities(test_signals, model.weights) >= model.threshold
    assert (guesses == test_labels.astype(bool)).mean() > 0.9
    assert model == choose_model(signals, labels, groups, {"de-de": 300})


def test_noisier_labels_get_a_penalty_at_least_as_strong() -> None:
    clean = choose_model(*_separable(200, 0.1, 3), {})
    noisy = choose_model(*_separable(200, 3.0, 3), {})
    assert noisy.l2 >= clean.l2


def test_the_shipped_model_reads_the_current_signals_and_a_stale_file_is_refused(tmp_path: Path) -> None:
    assert EVENT_MODEL.signals == EVENT_SIGNALS and 0 < EVENT_MODEL.threshold < 1
    assert sum(EVENT_MODEL.trained_on.values()) > 1000  # German and the other languages
    stale = tmp_path / "model.json"
    stale.write_text(model_json(replace(EVENT_MODEL, signals=EVENT_SIGNALS[:-1], weights=EVENT_MODEL.weights[:-1])))
    with pytest.raises(ValueError, match="refit"):
        load_event_model(stale)
    assert load_event_model(Path(__file__).parents[2] / "processors" / "data" / "event_model.json") == EVENT_MODEL
    assert json.loads(model_json(EVENT_MODEL))["l2"] == EVENT_MODEL.l2
