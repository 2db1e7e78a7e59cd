"""Places named in news text, from the packaged gazetteer (data/places.tsv.gz, see gazetteer_builder).

find_places(text, lang) returns the places a sentence names, longest match first, in text order.
Only capitalised tokens start a name (and all-caps ones: "USA", "UK"). German forms read here:
the genitive "-s" ("Russlands", "Kiews"), a city's "-er" adjective before a noun ("Kursker Gebiet",
"Charkiwer Behörden", "Bremer Innenstadt"), and a direction glued to a place ("Ostukraine", "Nord-Gaza").

A place that is the first part of a hyphenated compound ("Ukraine-Krieg", "Gaza-based",
"US-Soldaten") or the second part of one whose first part is not a direction ("Russia-Ukraine war")
is not returned: such a compound names a topic or an owner, not where a figure is.
"""
from __future__ import annotations

import re

import gzip
from dataclasses import dataclass
from pathlib import Path

from wordfreq import zipf_frequency

from processors.force_table import FORCES_FILE, country_forces
from processors.name_index import data_version, joined_after, longest_match, scan, shouting, tokens

PLACES_FILE = Path(__file__).parent / "data" / "places.tsv.gz"
_DIRECTIONS = ("nord", "süd", "ost", "west", "north", "south", "east", "zentral", "central",
               "nordost", "nordwest", "südost", "südwest", "northeast", "northwest", "southeast", "southwest")
_AREA_WORDS = {"region", "gebiet", "oblast", "provinz", "province", "bezirk", "distrikt", "district", "stadt", "city",
               "gouvernement", "governorate", "kreis", "front", "frontabschnitt", "area"}
_GLUED_DIRECTIONS = ("nordost", "nordwest", "südost", "südwest", "nord", "süd", "ost", "west")


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    name: str
    kind: str
    rank: int
    country: str  # ISO alpha-2, "" for areas without one


def _load(text: str) -> tuple[dict[str, tuple], dict[str, int]]:
    """Keys -> (place, languages where the key is a common word, all-caps only); first token -> span."""
    entries: dict[str, tuple] = {}
    spans: dict[str, int] = {}
    skips = {s: frozenset(s.split(",")) - {""} for s in ("", "de", "en", "de,en")}
    place = None
    for line in text.splitlines():
        tag = line[:1]
        if tag == "P":
            _, name, kind, rank, country, _ = line.split("\t")
            place = (name, kind, int(rank), country)
        elif tag == "K":
            _, skip, caps, keys = line.split("\t")
            entries.update(dict.fromkeys(keys.split("|"), (place, skips[skip], caps == "1")))
        elif tag == "S":
            _, n, firsts = line.split("\t")
            spans.update(dict.fromkeys(firsts.split("|"), int(n)))
    return entries, spans


_TEXT = gzip.decompress(PLACES_FILE.read_bytes()).decode("utf-8")
_ENTRIES, _SPANS = _load(_TEXT)
GAZETTEER_VERSION = data_version(_TEXT, FORCES_FILE.read_text(encoding="utf-8"))
del _TEXT
_COUNTRY_FORCES = country_forces()
_COUNTRY_NAMES = {place[3]: place[0] for place, _, _ in _ENTRIES.values() if place[1] == "country" and place[3]}


def country_name(country_code: str) -> str:
    """The English short name of a country ("HT" -> "Haiti"); "" for an unknown code or none."""
    return _COUNTRY_NAMES.get(country_code, "")


def country_force(country_code: str) -> str:
    """The force id of a country ("RU" -> "russia"); "" for an unknown code or none."""
    return _COUNTRY_FORCES.get(country_code, "")


def _usable(entry, lang: str, token: str, toks, i: int) -> bool:
    place, skip, caps = entry
    if skip and (lang in skip or lang not in ("de", "en")) and not _english_name_in_prose(place[0], lang, toks, i):
        return False
    return not caps or (token.isupper() and not shouting(toks, i))


def _english_name_in_prose(name: str, lang: str, toks, i: int) -> bool:
    """A place whose own name is also a common word ("Texas", "Boston", "Bath") is that place in English
    prose after a lowercase word ("in Texas", "the state of California"); at a sentence's start, in a
    headline or in German, where nouns are capitalised, it may be the word ("Will", "Bad", "Essen"). Not
    another name's alias ("the Gold fire" is no Gold Coast), a month ("in March"), nor the start of a
    longer name ("the Northern Rivers region")."""
    token = toks[i][2]
    name_goes_on = i + 1 < len(toks) and toks[i + 1][2][:1].isupper()  # "the Northern Rivers", "Texas Rangers"
    return (lang == "en" and i > 0 and toks[i - 1][2].isalpha() and toks[i - 1][2].islower()
            and name == token and token.lower() not in CALENDAR_WORDS and not name_goes_on)


CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                  "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
                  "saturday", "sunday"}


def _lookup(token: str, lang: str):
    """A German token's place by its genitive, city adjective or glued direction: (entry, needs a noun after)."""
    low = token.lower()
    if lang != "de" or len(low) < 5:
        return None, False
    # An "-s" form more frequent than its stem is a word of its own ("Virus" is not Virú's genitive).
    if low.endswith("s") and (entry := _ENTRIES.get(low[:-1])) is not None \
            and zipf_frequency(low, "de") <= zipf_frequency(low[:-1], "de"):
        return entry, False
    if low.endswith("er") and len(low) > 5:
        # "Kursker", and of names in "-en": "Bremer", "Dresdner", "Münchner".
        for stem in (low[:-2], low[:-2] + "en", low[:-3] + "en"):
            if (entry := _ENTRIES.get(stem)) is not None and entry[0][1] in ("city", "region"):
                return entry, True
    for direction in _GLUED_DIRECTIONS:
        if low.startswith(direction) and (entry := _ENTRIES.get(low[len(direction):])) is not None \
                and entry[0][1] != "city":
            return entry, False
    return None, False


def find_places(text: str, lang: str) -> list[PlaceMention]:
    toks = tokens(text)

    def match_at(i: int):
        token = toks[i][2]
        match = longest_match(text, toks, i, token.lower(), _ENTRIES, _SPANS)
        if match is not None and _usable(match[1], lang, token, toks, i):
            return match
        if match is None and token.lower() not in _ENTRIES:  # a skipped name is not another's inflection
            entry, needs_noun = _lookup(token, lang)
            if entry is not None and _usable(entry, lang, token, toks, i) and (
                    not needs_noun or (i + 1 < len(toks) and toks[i + 1][2][0].isupper())):
                return i, entry
        return None

    found: list[PlaceMention] = []
    candidates = [i for i, (_, _, t) in enumerate(toks) if t[0].isupper()]
    for i, j, ((name, kind, rank, country), _, _) in scan(candidates, match_at):
        start, end = toks[i][0], toks[j][1]
        if not _in_compound(text, start, end):
            found.append(PlaceMention(start, end, name, kind, rank, country))
    return found


def _in_compound(text: str, start: int, end: int) -> bool:
    if joined_after(text, end):
        # "Kursk-Region", "Donezk-Gebiet": the compound names the place itself.
        tail = re.match(r"[-\u2011](\w+)", text[end : end + 20])
        return not (tail and tail.group(1).lower() in _AREA_WORDS)
    if start > 1 and text[start - 1] in "-\u2011" and text[start - 2].isalpha():
        head = start - 1
        while head > 0 and text[head - 1].isalpha():
            head -= 1
        return text[head:start - 1].lower() not in _DIRECTIONS
    return False
