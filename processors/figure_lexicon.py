"""The vocabulary figure extraction reads, loaded once from ``data/figure_vocabulary.yaml``.

Words are compared as simplemma lemmas, lowercased, so that inflected forms (flohen/fliehen,
Soldaten/Soldat, killed/kill) need one entry. To teach the extractor a word, add it to the YAML file
in both languages; ``figure_extractor`` holds no words of its own.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import simplemma
import yaml

VOCABULARY_FILE = Path(__file__).with_name("data") / "figure_vocabulary.yaml"
LANGS = ("de", "en")


@dataclass(frozen=True)
class Vocabulary:
    """One language's words; ``words`` by lemma, ``phrases`` (several words) by lowercased text."""

    counted: dict[str, str]  # lemma -> category
    compound_suffixes: tuple[tuple[str, str], ...]  # (German compound's last part, category)
    counted_phrases: dict[str, str]
    events: dict[str, str]  # lemma or participle -> category
    event_phrases: dict[str, str]
    conditions: tuple[str, ...]  # lowercased phrases: "affected", "cut off", "eingeschlossen"
    context: frozenset[str]
    other_domains: frozenset[str]
    expected: frozenset[str]
    expected_phrases: tuple[str, ...]
    possible: frozenset[str]
    possible_phrases: tuple[str, ...]
    speech: frozenset[str]
    speech_phrases: tuple[str, ...]
    titles: frozenset[str]


def _split(words: list[str]) -> tuple[set[str], tuple[str, ...]]:
    singles = {w.lower() for w in words if " " not in w}
    return singles, tuple(sorted((w.lower() for w in words if " " in w), key=len, reverse=True))


def _by_category(table: dict[str, dict[str, list[str]]], lang: str) -> tuple[dict[str, str], dict[str, str], list]:
    words: dict[str, str] = {}
    phrases: dict[str, str] = {}
    suffixes: list[tuple[str, str]] = []
    for category, by_lang in table.items():
        for entry in by_lang[lang]:
            word = entry.lower().lstrip("*")
            if entry.startswith("*"):
                suffixes.append((word, category))
            (phrases if " " in word else words)[word] = category
    return words, phrases, suffixes


def _load(raw: dict, lang: str) -> Vocabulary:
    counted, counted_phrases, suffixes = _by_category(raw["counted"], lang)
    events, event_phrases, _ = _by_category(raw["events"], lang)
    expected, expected_phrases = _split(raw["status"]["expected"][lang])
    possible, possible_phrases = _split(raw["status"]["possible"][lang])
    speech, speech_phrases = _split(raw["speech"][lang])
    return Vocabulary(
        counted=counted,
        # Longest first: "kriegsgefangene" is read before "gefangene".
        compound_suffixes=tuple(sorted(suffixes, key=lambda s: -len(s[0]))),
        counted_phrases=counted_phrases,
        events=events,
        event_phrases=event_phrases,
        conditions=tuple(w.lower() for w in raw["conditions"][lang]),
        context=frozenset(w.lower() for w in raw["context"][lang]),
        other_domains=frozenset(w.lower() for w in raw["other_domains"][lang]),
        expected=frozenset(expected),
        expected_phrases=expected_phrases,
        possible=frozenset(possible),
        possible_phrases=possible_phrases,
        speech=frozenset(speech),
        speech_phrases=speech_phrases,
        titles=frozenset(t.lower() for t in raw["titles"][lang]),
    )


_RAW_BYTES = VOCABULARY_FILE.read_bytes()
_RAW = yaml.safe_load(_RAW_BYTES)
VOCABULARY_VERSION = hashlib.sha256(_RAW_BYTES).hexdigest()[:12]
VOCABULARIES = {lang: _load(_RAW, lang) for lang in LANGS}

ONLY_RIGHT_AFTER_NUMBER = frozenset(_RAW["only_right_after_number"])
MEMBER_NOUNS = frozenset(_RAW["member_nouns"])
VICTIM_SUBJECT_VERBS = frozenset(_RAW["victim_subject_verbs"])
RESPONDERS = frozenset(_RAW["responders"])
SECURITY_SERVICES = frozenset(_RAW["security_services"])
SERVICE_CRAFT = frozenset(_RAW["service_craft"])
OTHER_DOMAIN_MARKERS = frozenset(_RAW["other_domain_markers"])
ORGANISATION_HEADS = frozenset(_RAW["organisation_heads"])
HEDGES: tuple[tuple[str, str], ...] = tuple(
    sorted(((w, q) for q, words in _RAW["hedges"].items() for w in words), key=lambda item: -len(item[0]))
)
SOURCES: dict[str, str] = _RAW["sources"]
REFERRING_SOURCES = {lang: tuple(_RAW["referring_sources"][lang]) for lang in LANGS}
CLAUSE_CONTINUATIONS = tuple(_RAW["clause_continuations"])
SUBSET_WORDS = tuple(_RAW["subset_words"])
PARENT_LINKS = tuple(_RAW["parent_links"])
UNNAMED_PLACE = tuple(_RAW["unnamed_place"])
UNNAMED_PLACE_NOUNS = tuple(_RAW["unnamed_place_nouns"])
UNNAMED_COUNTRY = frozenset(_RAW["unnamed_country"])
WORLDWIDE = tuple(_RAW["worldwide"])
COUNT_OF = tuple(_RAW["count_of"])
NOT_COUNTS_AFTER = frozenset(_RAW["not_counts_after"])
NOT_COUNTS_BEFORE = tuple(_RAW["not_counts_before"])
NOT_NAMES = frozenset(_RAW["not_names"])
PEOPLE_CATEGORIES = frozenset({"troops", "civilians", "refugees"})
EVENT_CATEGORIES = frozenset({"killed", "wounded", "captured", "missing"})


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    """The word's lemma, lowercased ("Soldaten" -> "soldat", "flohen" -> "fliehen"); "" for "" (which
    simplemma refuses with an error)."""
    return simplemma.lemmatize(word, lang=lang).lower() if word else ""


@lru_cache(maxsize=200_000)
def counted_category(word: str, lang: str) -> str:
    """The category of a counted noun ("Regierungssoldaten" -> troops), or "" for any other word."""
    vocabulary = VOCABULARIES[lang]
    lowered = word.lower()
    for form in (lowered, lemma(word, lang)):
        if form in vocabulary.counted:
            return vocabulary.counted[form]
    if "-" in word:
        return counted_category(word.rsplit("-", 1)[1], lang) if word[-1] != "-" else ""
    if lang == "en" and lowered.endswith("s"):  # a plural the lemma dictionary lacks: "jawans"
        return vocabulary.counted.get(lowered[:-1], "")
    if lang == "de" and len(lowered) > 5:
        stem = lemma(word, lang)
        # A compound simplemma does not know keeps its plural ending: "Radhaubitzen".
        forms = {stem, lowered, re.sub(r"[ens]$", "", lowered), re.sub(r"en$", "", lowered)}
        if known := next((vocabulary.counted[f] for f in forms if f in vocabulary.counted), ""):
            return known  # a case ending the lemma dictionary lacks: "Schutzsuchenden"
        for suffix, category in vocabulary.compound_suffixes:
            if any(form == suffix or len(form) > len(suffix) + 2 and form.endswith(suffix) for form in forms):
                return category
        # A woman of a counted kind counts as it does: "Schülerinnen", "Kämpferinnen", "Journalistin".
        if stem.endswith("in") and len(stem) > 6:
            return counted_category(stem[:-2], lang)
    return ""


def event_category(word: str, lang: str) -> str:
    """What a verb, participle or adjective says happened ("getötet", "flohen", "killing"), or ""."""
    events = VOCABULARIES[lang].events
    lowered = word.lower()
    return events.get(lowered) or events.get(lemma(word, lang), "")
