"""The figures scorer: which two place names are one place."""
import pytest

from processors.figure_eval import same_place


@pytest.mark.parametrize(
    "gold, found",
    [
        ("Kyiv", "Kiew"),  # the gazetteer's names
        ("southern Lebanon", "Lebanon"),  # a direction aside
        ("Wad al-Noura", "Wad al-Nura"),  # romanisations of a name no gazetteer lists
        ("Ayodhya", "Ayodya"),
        ("Middle Shabelle", "Mittlerer Schabelle"),
        ("Cité Soleil", "Cite Soleil"),
    ],
)
def test_one_place_however_spelled(gold, found):
    assert same_place(gold, found)


@pytest.mark.parametrize(
    "gold, found",
    [("Austria", "Australia"), ("Iran", "Iraq"), ("Niger", "Nigeria"), ("Upper Nile", "Nile"), ("Gaza", ""), ("", "Gaza")],
)
def test_other_places_stay_apart(gold, found):
    assert not same_place(gold, found)
