import re

import pycountry
import pytest
from hypothesis import given, settings, strategies as st

from processors.force_table import FORCES_FILE, find_forces


def forces(text, lang):
    return [(text[f.start:f.end], f.force, f.kind) for f in find_forces(text, lang)]


def rows():
    lines = [line for line in FORCES_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return [line.split("\t") for line in lines[1:]]


def test_force_ids_are_snake_case_and_unique():
    ids = [row[0] for row in rows()]
    assert all(re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)*", f) for f in ids)
    assert len(ids) == len(set(ids))


def test_every_iso_country_has_a_force_row():
    codes = {row[2] for row in rows() if row[1] == "country"}
    assert {c.alpha_2 for c in pycountry.countries} <= codes


def test_guideline_ids():
    ids = {row[0] for row in rows()}
    assert {"russia", "ukraine", "north_korea", "united_states", "united_kingdom", "israel", "palestine", "syria",
            "iran", "sudan", "germany", "hamas", "hezbollah", "houthis", "taliban", "islamic_state", "al_qaeda",
            "al_shabaab", "boko_haram", "wagner", "rsf", "m23", "pkk", "sdf", "nato", "un"} <= ids


def test_english_sentence():
    assert forces("600 Russian soldiers near Avdiivka", "en") == [("Russian", "russia", "adjective")]


@pytest.mark.parametrize("text, force, kind", [
    ("die russischen Soldaten", "russia", "adjective"),
    ("nordkoreanischer Truppen", "north_korea", "adjective"),
    ("Russische Truppen", "russia", "adjective"),
    ("5.000 US-Soldaten", "united_states", "adjective"),
    ("die US-Armee", "united_states", "organisation"),
    ("der israelisch-", "israel", "adjective"),
    ("1.200 Israelis getötet", "israel", "demonym"),
    ("Syrer flohen", "syria", "demonym"),
    ("Russlands Armee", "russia", "country"),
    ("die Hisbollah", "hezbollah", "organisation"),
    ("des Islamischen Staates", "islamic_state", "organisation"),
    ("Die IDF", "israel", "organisation"),
    ("die Bundeswehr", "germany", "organisation"),
    ("die Volksbefreiungsarmee", "china", "organisation"),
    ("Huthi-Rebellen", "houthis", "organisation"),
    ("Kämpfer der Al-Schabab", "al_shabaab", "organisation"),
    ("Die Taliban", "taliban", "organisation"),
])
def test_german_forms(text, force, kind):
    assert [(f.force, f.kind) for f in find_forces(text, "de")][-1:] == [(force, kind)]


def test_syrian_army_is_one_mention():
    assert forces("Die syrische Armee zog 5000 Mann bei Aleppo zusammen.", "de") == [
        ("syrische Armee", "syria", "organisation")]


@pytest.mark.parametrize("text, force", [
    ("Americans", "united_states"), ("U.S.", "united_states"), ("Hezbollah", "hezbollah"), ("Houthis", "houthis"),
    ("ISIS", "islamic_state"), ("al-Qaeda", "al_qaeda"), ("Rapid Support Forces", "rsf"), ("M23", "m23"),
    ("Pentagon", "united_states"), ("Kremlin", "russia"), ("UN", "un"), ("NATO", "nato"), ("Palestinians", "palestine"),
])
def test_english_forms(text, force):
    assert [f.force for f in find_forces(f"The {text} said 20 were killed.", "en")] == [force]


def test_english_adjective_only_capitalised_german_in_any_case():
    assert find_forces("a russian doll", "en") == []
    assert [f.force for f in find_forces("russische", "de")] == ["russia"]


def test_abbreviations_need_capitals():
    assert find_forces("this is us", "en") == []
    assert find_forces("HELP US NOW", "en") == []


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from(["de", "en", "fr", ""]))
def test_never_raises(text, lang):
    for f in find_forces(text, lang):
        assert 0 <= f.start < f.end <= len(text)
