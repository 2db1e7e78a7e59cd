"""Score figure extraction on labelled passages: precision, recall and F1 on (value, category) per
language, the accuracy of force, location, status and attribution among matched figures, and how many
figure-free passages yield a figure anyway.

A passage is one JSON line: ``{"id", "lang", "text", "figures": [...]}``, or, for real news whose text
must stay out of the repository, ``"source"`` (file, pair_id, side, lines of ``../shared/dedup``) and
``"sha1"`` in place of ``"text"`` (see tests/data/FIGURES_GUIDELINES.md). Lines with ``"skip"`` are
passages a reader found unusable; they are left out.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tallywire.core.text_cleanup import clean_text
from processors.figure_extractor import ExtractedFigure, extract_figures, source_name
from processors.figure_lexicon import lemma
from processors.place_gazetteer import find_places
from tallywire.core.input_files import InputFileError, read_text

DEV_TEXTS = Path(__file__).resolve().parents[2] / "shared" / "dedup"
ATTRIBUTES = ("force", "location", "status", "attribution")
_DIRECTION = re.compile(r"^(?:northern|southern|eastern|western|central|north|south|east|west|nord|süd|ost|west)\w*\s+", re.I)
# Two readings of one value: "1,5 Millionen" stored as 1499999.9999 must still meet 1500000.
_VALUE_TOLERANCE = 0.005


class LabelFileError(InputFileError):
    pass


@dataclass(frozen=True)
class Passage:
    id: str
    lang: str
    text: str
    figures: tuple[dict, ...]


@dataclass
class LanguageScore:
    passages: int = 0
    gold: int = 0
    found: int = 0
    matched: int = 0
    attribute_hits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ATTRIBUTES, 0))
    figure_free: int = 0
    figure_free_with_figures: int = 0
    misses: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        precision = self.matched / self.found if self.found else 0.0
        recall = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "passages": self.passages,
            "gold_figures": self.gold,
            "found_figures": self.found,
            "matched": self.matched,
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "accuracy_among_matched": {
                name: round(hits / self.matched, 4) if self.matched else 0.0 for name, hits in self.attribute_hits.items()
            },
            "figure_free_passages": self.figure_free,
            "figure_free_with_a_figure": self.figure_free_with_figures,
            "figure_free_rate": round(self.figure_free_with_figures / self.figure_free, 4) if self.figure_free else 0.0,
        }


def read_passages(path: Path, texts_dir: Path = DEV_TEXTS) -> Iterator[Passage]:
    """The labelled passages of a JSONL file, with the texts of ``source`` lines read from ``texts_dir``."""
    articles = _ArticleTexts(texts_dir)
    lines = read_text(path, "a JSONL file of labelled passages").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LabelFileError(f"{path}:{number}: not JSON ({exc.msg})", hint="one JSON object a line") from exc
        if not isinstance(item, dict):
            raise LabelFileError(f"{path}:{number}: not a JSON object", hint="one JSON object a line")
        if "skip" in item:
            continue
        missing = {"id", "lang", "figures"} - item.keys()
        if missing or not ("text" in item or "source" in item):
            raise LabelFileError(
                f"{path}:{number}: a passage needs id, lang, figures and text or source; missing {sorted(missing) or 'text'}"
            )
        text = item["text"] if "text" in item else articles.passage(item, f"{path}:{number}")
        yield Passage(item["id"], item["lang"], text, tuple(item["figures"]))


class _ArticleTexts:
    """The dev files' article texts, read once per file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._files: dict[str, dict[str, list[dict]]] = {}

    def passage(self, item: dict, where: str) -> str:
        source = item["source"]
        rows = self._rows(source["file"], where).get(str(source["pair_id"]))
        if not rows:
            raise LabelFileError(f"{where}: pair {source['pair_id']} is not in {source['file']}")
        first, last = source["lines"]
        # A pair id can stand on several rows (the dev files keep the task's repeats): the label's
        # digest says which row's text it was made on.
        texts = ["\n".join(row[f"text{source['side']}"].split("\n")[first : last + 1]) for row in rows]
        for text in texts:
            if not item.get("sha1") or hashlib.sha1(text.encode()).hexdigest()[:12] == item["sha1"]:
                return text
        raise LabelFileError(f"{where}: the passage's text changed (label made on sha1 {item['sha1']})")

    def _rows(self, name: str, where: str) -> dict[str, list[dict]]:
        if name not in self._files:
            path = self.directory / name
            if not path.exists():
                raise LabelFileError(
                    f"{where}: {path} not found", hint="the real passages' texts live in ../shared/dedup; pass --texts DIR"
                )
            csv.field_size_limit(sys.maxsize)
            rows: dict[str, list[dict]] = {}
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    rows.setdefault(row["pair_id"], []).append(row)
            self._files[name] = rows
        return self._files[name]


def gold_range(figure: dict) -> tuple[float, float]:
    if "value" in figure:
        return float(figure["value"]), float(figure["value"])
    return float(figure["value_low"]), float(figure["value_high"])


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= _VALUE_TOLERANCE * max(abs(a), abs(b), 1.0)


def same_value(gold: dict, found: ExtractedFigure) -> bool:
    low, high = gold_range(gold)
    return _close(low, found.value_low) and _close(high, found.value_high)


def same_attribution(gold: str, found: str) -> bool:
    """Who said it, leniently: a shared name once each side's known sources are read as one
    ("Vereinte Nationen" ~ "UN", "Polizei" ~ "police"), or a shared word of three letters or more,
    inflection aside ("Weißhelmen" ~ "Weißhelme", "Kirby" ~ "John Kirby")."""
    if not gold or not found:
        return gold == found
    gold_words, found_words = _attribution_words(gold), _attribution_words(found)
    return any(_same_word(a, b) for a in gold_words for b in found_words)


def _same_word(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return short == long or (len(short) >= 5 and long.startswith(short) and len(long) - len(short) <= 2)


def _attribution_words(name: str) -> set[str]:
    words = set()
    for lang in ("de", "en"):
        shown, _ = source_name(name, lang)
        words |= {shown.lower(), name.lower()}
        words |= {lemma(w, lang) for w in re.findall(r"[^\W\d_]{3,}", name)}
    return {w.lower() for w in words if w}


def same_place(gold: str, found: str) -> bool:
    """One place however it is spelled: both names read through the gazetteer ("Jenin" ~ "Janin",
    "Derna" ~ "Darnah"), accents and a direction aside ("southern Lebanon" ~ "Lebanon"), and a name no
    gazetteer lists in any of its usual romanisations ("Wad al-Nura" ~ "Wad al-Noura", "Mittlerer
    Schabelle" ~ "Middle Shabelle")."""
    return _place_key(gold) == _place_key(found)


# German and English romanisations of one name differ in these spellings; each side is reduced to one.
_ROMANISATION = (("dsch", "j"), ("tsch", "ch"), ("sch", "sh"), ("ou", "u"), ("dh", "d"), ("kh", "k"), ("ee", "i"),
                 ("w", "v"))
_POSITION_WORDS = {"mittlerer": "middle", "mittleren": "middle", "mittlere": "middle", "oberer": "upper",
                   "oberen": "upper", "obere": "upper", "unterer": "lower", "unteren": "lower", "untere": "lower"}


def _place_key(name: str) -> str:
    bare = _DIRECTION.sub("", name).strip()
    places = find_places(bare, "en") or find_places(bare, "de")
    if places and places[0].end - places[0].start >= len(bare) - 1:
        bare = places[0].name
    folded = unicodedata.normalize("NFKD", bare.casefold())
    words = "".join(c if c.isalnum() else " " for c in folded).split()
    key = "".join(_POSITION_WORDS.get(word, word) for word in words)
    for written, spoken in _ROMANISATION:
        key = key.replace(written, spoken)
    return key


def same_attribute(name: str, gold: dict, found: ExtractedFigure) -> bool:
    expected, got = str(gold.get(name, "")), str(getattr(found, name))
    if name == "attribution":
        return same_attribution(expected, got)
    if name == "location":
        return same_place(expected, got)
    return expected.casefold() == got.casefold()


def score_passages(
    passages: Iterable[Passage],
    extract: Callable[[str, str], list[ExtractedFigure]] = extract_figures,
) -> dict[str, LanguageScore]:
    scores: dict[str, LanguageScore] = {}
    for passage in passages:
        score = scores.setdefault(passage.lang, LanguageScore())
        found = extract(clean_text(passage.text), passage.lang)
        score.passages += 1
        score.gold += len(passage.figures)
        score.found += len(found)
        if not passage.figures:
            score.figure_free += 1
            score.figure_free_with_figures += bool(found)
        unmatched = list(found)
        for gold in passage.figures:
            match = next((f for f in unmatched if f.category == gold["category"] and same_value(gold, f)), None)
            if match is None:
                score.misses.append({"id": passage.id, "missed": gold})
                continue
            unmatched.remove(match)
            score.matched += 1
            for name in ATTRIBUTES:
                if same_attribute(name, gold, match):
                    score.attribute_hits[name] += 1
                else:
                    score.misses.append({"id": passage.id, name: {"gold": gold.get(name, ""), "found": getattr(match, name)}})
        score.misses.extend(
            {"id": passage.id, "extra": {"value": f.value, "category": f.category, "sentence": f.sentence[:160]}}
            for f in unmatched
        )
    return scores


def report(scores: dict[str, LanguageScore]) -> dict:
    return {"by_lang": {lang: score.as_dict() for lang, score in sorted(scores.items())}}


def dumps_misses(scores: dict[str, LanguageScore]) -> str:
    return "\n".join(json.dumps(m, ensure_ascii=False) for s in scores.values() for m in s.misses)
