"""The pure similarity functions of the grouping: story alignment, event signals and score, the event
model's fit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from processors.event_matcher import (
    EVENT_SIGNALS, EventView, event_signals, event_similarity, jaccard, name_rarity, names, numbers, places,
)
from processors.event_model import fit_logistic
from processors.story_matcher import story_similarity

DIM = 16


def _unit_rows(raw: np.ndarray) -> np.ndarray:
    rows = raw + 1e-3  # no zero rows
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


rows = st.integers(1, 12).flatmap(
    lambda n: arrays(np.float32, (n, DIM), elements=st.floats(-1, 1, width=32)).map(_unit_rows)
)


@given(rows, rows)
@settings(max_examples=80, deadline=None)
def test_story_similarity_is_symmetric_and_bounded(a: np.ndarray, b: np.ndarray) -> None:
    forward, backward = story_similarity(a, b), story_similarity(b, a)
    assert abs(forward - backward) < 1e-5
    assert 0.0 <= forward <= 1.0 + 1e-6


@given(rows)
@settings(max_examples=50, deadline=None)
def test_a_text_is_its_own_story_and_order_matters(a: np.ndarray) -> None:
    assert abs(story_similarity(a, a) - 1.0) < 1e-5
    assert story_similarity(a, a[:0]) == 0.0
    similarity = a @ a.T
    if len(a) >= 2 and float((similarity - 2 * np.eye(len(a))).max()) < 0.9:  # no sentence twice
        assert story_similarity(a, a[::-1]) < 1.0


def test_dropping_half_the_sentences_halves_the_story_score() -> None:
    a = np.eye(DIM, dtype=np.float32)[:10]
    assert abs(story_similarity(a, a[:5]) - 0.5) < 1e-6


texts = st.lists(st.sampled_from("der die Regierung Selenskyj sagte Kursk 11.000 11,000 Soldaten Pentagon 2024 am Montag.".split()),
                 max_size=40).map(" ".join)


def _view(rows: np.ndarray, text: str, lang: str = "de") -> EventView:
    return EventView(lang, rows.mean(axis=0), rows[0], tuple(names(text)), tuple(numbers(text)), tuple(places(text, lang)))


@given(rows, rows, texts, texts, st.sampled_from(["de", "en", "fr"]), st.sampled_from(["de", "en"]))
@settings(max_examples=60, deadline=None)
def test_event_signals_are_symmetric_and_the_score_is_a_probability(
    a: np.ndarray, b: np.ndarray, text_a: str, text_b: str, lang_a: str, lang_b: str
) -> None:
    view_a, view_b = _view(a, text_a, lang_a), _view(b, text_b, lang_b)
    forward = event_signals(view_a, view_b)
    assert np.allclose(forward, event_signals(view_b, view_a))
    assert forward.shape == (len(EVENT_SIGNALS),)
    weights = (-3.0, 4.0, 1.0, 0.5, 0.5, 0.5, -1.0, -1.0)
    assert 0.0 < event_similarity(forward, weights) < 1.0
    assert np.isclose(event_signals(view_a, view_a)[EVENT_SIGNALS.index("numbers")], 1.0 if view_a.numbers else 0.0)


def test_the_language_pair_signals_tell_same_language_german_cross_and_other_cross_apart() -> None:
    row = np.eye(DIM, dtype=np.float32)[:1]

    def language_signals(lang_a: str, lang_b: str) -> tuple[float, float]:
        signals = event_signals(_view(row, "", lang_a), _view(row, "", lang_b))
        return float(signals[EVENT_SIGNALS.index("same_lang")]), float(signals[EVENT_SIGNALS.index("cross_de")])

    assert language_signals("de", "de") == language_signals("en", "en") == (1.0, 0.0)
    assert language_signals("de", "en") == language_signals("fr", "de") == (0.0, 1.0)
    assert language_signals("en", "fr") == (0.0, 0.0)


def test_places_meet_across_languages_by_their_gazetteer_name() -> None:
    german = places("Russische Truppen rückten in der Region Kursk vor, sagte man in Kiew.", "de")
    english = places("Russian troops advanced in the Kursk region, officials in Kyiv said.", "en")
    assert german and set(german) == set(english)
    assert jaccard(tuple(german), tuple(english)) == 1.0
    assert jaccard((), ()) == 0.0


def test_numbers_meet_across_languages_and_single_digits_do_not_count() -> None:
    assert numbers("Etwa 11.000 Soldaten, 3 Panzer") == ["11000"]
    assert numbers("About 11,000 soldiers, 3 tanks") == ["11000"]


def test_names_meet_across_spellings_with_and_without_diacritics() -> None:
    assert names("Präsident Erdoğan sprach mit Erdogan.") == ["erdogan"]
    assert names("Then President Erdogan spoke.") == ["president", "erdogan"]


def test_a_shared_rare_name_says_more_than_a_shared_everyday_word() -> None:
    assert name_rarity("bocelli") > 3 > 0.5 > name_rarity("trump")
    assert name_rarity("regierung") == name_rarity("government") == 0.0
    vector = np.ones(DIM, dtype=np.float32) / np.sqrt(DIM)

    def names_signal(shared: str) -> float:
        a = EventView("de", vector, vector, (shared, "kursk"), (), ())
        b = EventView("en", vector, vector, (shared,), (), ())
        return float(event_signals(a, b)[EVENT_SIGNALS.index("names")])

    assert names_signal("bocelli") > names_signal("trump") > names_signal("regierung") == 0.0


def test_fit_logistic_finds_the_informative_signal_and_is_deterministic() -> None:
    rng = np.random.default_rng(1)
    signals = rng.normal(size=(400, 3))
    labels = (signals[:, 0] + 0.3 * rng.normal(size=400) > 0.5).astype(float)
    weights = fit_logistic(signals, labels, 2.0)
    assert weights == fit_logistic(signals, labels, 2.0)
    assert weights[1] > 2 * max(abs(weights[2]), abs(weights[3]))
    predicted = np.array([event_similarity(s, weights) for s in signals]) >= 0.5
    assert (predicted == labels.astype(bool)).mean() > 0.85
    constant = np.hstack([signals, np.ones((400, 1))])
    assert fit_logistic(constant, labels, 2.0)[4] == 0.0
