"""Forces named in news text, from the packaged table data/forces.tsv (see gazetteer_builder).

find_forces(text, lang) returns, longest match first and in text order, every form that names a
country's or a group's forces: German adjectives in any case ending ("russischen",
"nordkoreanischer", "israelisch-"), also capitalised at a sentence start; English adjectives only
capitalised ("Russian"); demonym nouns ("Russen", "Israelis", "Americans"); organisations
("IDF", "Pentagon", "Hisbollah", "Islamischen Staates"); country names ("Russland", "Russlands",
"USA"). A country name glued by a hyphen to a noun ("US-Soldaten", "US-Armee") is an adjective.
All-caps names ("IS", "US") match only in capitals and not amid a shouted headline.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from processors.name_index import first_token_spans, joined_after, longest_match, name_key, scan, shouting, tokens

FORCES_FILE = Path(__file__).parent / "data" / "forces.tsv"


@dataclass(frozen=True, slots=True)
class ForceMention:
    start: int
    end: int
    force: str
    kind: str  # "adjective", "demonym", "organisation", "country"


@cache  # three tables are built from it at import
def _rows() -> tuple[dict[str, str], ...]:
    lines = [line for line in FORCES_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    columns = lines[0].split("\t")
    return tuple(dict(zip(columns, line.split("\t"))) for line in lines[1:])


def armed_groups() -> frozenset[str]:
    """The force ids of non-state armed groups (Hamas, al-Shabaab, JNIM...)."""
    return frozenset(row["force"] for row in _rows() if row["kind"] == "group")


def country_forces() -> dict[str, str]:
    """ISO alpha-2 -> the country's force id."""
    return {row["country"]: row["force"] for row in _rows() if row["kind"] == "country"}


# Which forms a language reads, their kind, and whether a lowercase first letter may start them.
_COLUMNS = (("de_adjectives", "adjective", ("de",), True), ("en_adjectives", "adjective", ("en",), False),
            ("country_names", "country", ("de", "en"), False),
            ("de_nouns", "demonym", ("de",), False), ("en_nouns", "demonym", ("en",), False),
            ("organisations", "organisation", ("de", "en"), False))


def _load() -> dict[str, dict[str, tuple[str, str, bool, bool]]]:
    """Per language ("de", "en", "" for any other): key -> (force, kind, lowercase allowed, all-caps only).

    A key's first form gives its kind (adjectives, country names, nouns, organisations: "Israeli"
    is an adjective, "Polen" the country); it may start lowercase if any of its forms may, and needs capitals only if all do."""
    index: dict[str, dict] = {"de": {}, "en": {}, "": {}}
    for row in _rows():
        for column, kind, langs, lower in _COLUMNS:
            for form in filter(None, row[column].split("|")):
                key = name_key(form)
                for table in [index[lang] for lang in langs] + [index[""]]:
                    old = table.get(key)
                    may_lower = lower or form[0].islower()  # "syrische Armee", "al-Shabaab"
                    table[key] = (old[0], old[1], old[2] or may_lower, old[3] and form.isupper()) if old \
                        else (row["force"], kind, may_lower, form.isupper())
    return index


_INDEX = _load()
_SPANS = {lang: first_token_spans(table) for lang, table in _INDEX.items()}


def find_forces(text: str, lang: str) -> list[ForceMention]:
    table = _INDEX.get(lang, _INDEX[""])
    spans = _SPANS.get(lang, _SPANS[""])
    toks = tokens(text)

    def match_at(i: int):
        token = toks[i][2]
        low = token.lower()
        match = longest_match(text, toks, i, low, table, spans)
        if match is None and lang == "de" and low.endswith("s") and len(low) > 4:
            entry = table.get(low[:-1])  # genitive: "Russlands", "Pentagons"
            match = None if entry is None or entry[1] in ("adjective", "demonym") else (i, entry)
        return match if match is not None and _usable(match[1], token, toks, i) else None

    found: list[ForceMention] = []
    # Lowercase forms are their own keys ("russischen") or start one ("al-Shabaab").
    candidates = [i for i, (_, _, t) in enumerate(toks) if t[0].isupper() or t in table or t in spans]
    for i, j, (force, kind, _, _) in scan(candidates, match_at):
        end = toks[j][1]
        if kind == "country" and joined_after(text, end):
            kind = "adjective"
        mention = ForceMention(toks[i][0], end, force, kind)
        if found and _service_of(found[-1], mention, text):
            continue  # "der ukrainischen Luftwaffe": Ukraine's air force, not Germany's Luftwaffe
        found.append(mention)
    return found


_COUNTRY_FORCES = frozenset(country_forces().values())


def _service_of(adjective: ForceMention, organisation: ForceMention, text: str) -> bool:
    """Whether a state's service named generically ("Luftwaffe", "Marine") follows another country's
    adjective, which says whose it is. A group keeps its name: "der libanesischen Hisbollah"."""
    return (adjective.kind == "adjective" and organisation.kind == "organisation"
            and organisation.force in _COUNTRY_FORCES and organisation.force != adjective.force
            and not text[adjective.end : organisation.start].strip())


def _usable(entry: tuple[str, str, bool, bool], token: str, toks, i: int) -> bool:
    _, _, lower, caps = entry
    if caps:
        return token.isupper() and not shouting(toks, i)
    return lower or token[0].isupper()
