"""Copy signatures: a text is a copy of itself; small edits keep it a copy; other texts are not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from processors.copy_detector import band_keys, copy_signature, copy_similarity

words = st.lists(st.sampled_from("der die das Regierung sagte am Montag Soldaten Kursk 11.000 nach Angaben von".split()),
                 min_size=5, max_size=80)


@given(words)
@settings(max_examples=50, deadline=None)
def test_a_text_is_a_copy_of_itself(text: list[str]) -> None:
    signature = copy_signature(" ".join(text))
    assert copy_similarity(signature, copy_signature(" ".join(text))) == 1.0
    assert band_keys(signature) == band_keys(copy_signature(" ".join(text)))


def test_small_edits_keep_a_copy_and_other_text_is_not_one() -> None:
    text = " ".join(f"Satz {i} berichtet über die Lage in Region {i % 7} am Tag {i % 5}." for i in range(60))
    edited = "Von unserer Korrespondentin. " + text.replace("Satz 12 ", "Satz zwölf ") + " (dpa)"
    other = " ".join(f"Meldung {i} handelt von Wetter und Sport in Stadt {i % 3}." for i in range(60))
    assert copy_similarity(copy_signature(text), copy_signature(edited)) >= 0.8
    assert set(band_keys(copy_signature(text))) & set(band_keys(copy_signature(edited)))
    assert copy_similarity(copy_signature(text), copy_signature(other)) < 0.2
