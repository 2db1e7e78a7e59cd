"""The German and English vocabularies mirror each other, so a sentence and its translation agree."""

from __future__ import annotations

import pytest
import yaml

from processors.figure_extractor import extract_figures
from processors.figure_lexicon import VOCABULARY_FILE, counted_category, event_category

RAW = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("table", ["counted", "events"])
def test_every_category_has_words_in_both_languages(table: str) -> None:
    for category, by_lang in RAW[table].items():
        assert by_lang.get("de") and by_lang.get("en"), f"{table}.{category} lacks a language"


@pytest.mark.parametrize("section", ["context", "other_domains", "speech", "titles"])
def test_every_word_list_has_both_languages(section: str) -> None:
    assert RAW[section]["de"] and RAW[section]["en"]


@pytest.mark.parametrize(
    ("word", "lang", "category"),
    [
        ("Regierungssoldaten", "de", "troops"), ("US-Soldaten", "de", "troops"), ("Zivilisten", "de", "civilians"),
        ("Kriegsgefangene", "de", "captured"), ("Verkehrstote", "de", "killed"), ("Festgenommenen", "de", "captured"),
        ("Personen", "de", "civilians"), ("Leute", "de", "civilians"), ("Binnenvertriebene", "de", "refugees"),
        ("Kampfjets", "de", "weapons"), ("soldiers", "en", "troops"), ("children", "en", "civilians"),
        ("fighter jets", "en", ""), ("hostages", "en", "captured"), ("Termine", "de", ""), ("Euro", "de", ""),
    ],
)
def test_counted_nouns_by_lemma_and_compound(word: str, lang: str, category: str) -> None:
    assert counted_category(word, lang) == category


@pytest.mark.parametrize(
    ("word", "lang", "category"),
    [("flohen", "de", "refugees"), ("starben", "de", "killed"), ("getötet", "de", "killed"), ("verschleppt", "de", "captured"),
     ("fled", "en", "refugees"), ("killing", "en", "killed"), ("injured", "en", "wounded"), ("abducted", "en", "captured")],
)
def test_event_words_by_lemma(word: str, lang: str, category: str) -> None:
    assert event_category(word, lang) == category


# A German sentence and its English translation: the same (value, category) set.
TWINS = [
    ("Bei dem Angriff wurden 26 Menschen getötet und 50 verletzt.", "The attack killed 26 people and wounded 50."),
    ("26 Tote bei Erdbeben in der Türkei", "26 killed in earthquake in Turkey"),
    ("Die Polizei nahm 30 Personen fest.", "Police arrested 30 people."),
    ("Mehr als 3000 Menschen flohen aus der Stadt.", "More than 3,000 people fled the city."),
    ("Nach dem Anschlag wurden 40 Leute vermisst.", "After the attack, 40 people were missing."),
    ("Die Armee hat 5.000 Soldaten an die Grenze verlegt.", "The army has moved 5,000 soldiers to the border."),
    ("Bei den Kämpfen kamen 120 Zivilisten ums Leben.", "120 civilians lost their lives in the fighting."),
    ("Rebellen entführten 15 Kinder aus einer Schule.", "Rebels abducted 15 children from a school."),
    ("Die Miliz feuerte 12 Raketen auf die Stadt.", "The militia fired 12 rockets at the city."),
    ("Mindestens 200 Festgenommene sitzen nach den Unruhen in Haft.", "At least 200 people arrested after the riots remain in custody."),
]


@pytest.mark.parametrize(("german", "english"), TWINS)
def test_a_german_sentence_and_its_translation_give_the_same_figures(german: str, english: str) -> None:
    read = lambda text, lang: sorted((f.value, f.category) for f in extract_figures(text, lang))  # noqa: E731
    assert read(german, "de") == read(english, "en") != []
