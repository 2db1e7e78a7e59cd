"""News-like articles made from templates, for load tests and benchmarks.

Each generated report states figures (troops, killed, refugees, ...) for a force and place, in German
or English; a share of the articles are copies of an earlier one with small edits, as a wire copy
republished by another outlet would be, and a share (when asked for) are translations of an earlier
one: the same facts in the other language's parallel templates. Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from datetime import datetime, timedelta, timezone

PLACES = ["Kursk", "Donezk", "Charkiw", "Cherson", "Saporischschja", "Belgorod", "Luhansk", "Sumy"]
SPEAKERS = ["Selenskyj", "Blinken", "Stoltenberg", "Austin", "Syrskyj", "Peskow", "Kuleba"]
OUTLETS = ["wire-a", "wire-b", "daily-c", "tv-d", "web-e", "radio-f"]
SUBJECTS_DE = ["Verhandlungen", "Waffenlieferungen", "Sanktionen", "Luftabwehr", "Energieversorgung", "Getreideexporte"]
SUBJECTS_EN = ["negotiations", "arms deliveries", "sanctions", "air defence", "energy supply", "grain exports"]

GERMAN = [
    "{speaker} erklärte am {day}, dass sich etwa {n1} nordkoreanische Soldaten in der Region {place} befinden.",
    "Nach Angaben von {speaker} wurden bei den Kämpfen um {place} mindestens {n2} Zivilisten getötet.",
    "Die Behörden rechnen mit einer Steigerung auf {n3} Flüchtlinge aus {place} in den kommenden Wochen.",
    "Beobachter berichten über neue Entwicklungen bei den {subject}, die seit Wochen stocken.",
    "Die Lage in {place} bleibt angespannt, wie Korrespondenten vor Ort schildern.",
    "Experten halten eine weitere Eskalation für möglich, sollte es keine Fortschritte bei den {subject} geben.",
]
ENGLISH = [
    "{speaker} said on {day} that about {n1} North Korean soldiers are now in the {place} region.",
    "According to {speaker}, at least {n2} civilians were killed in the fighting around {place}.",
    "Officials expect the number of refugees from {place} to rise to {n3} in the coming weeks.",
    "Observers report new developments in the {subject}, which have stalled for weeks.",
    "The situation in {place} remains tense, correspondents on the ground say.",
    "Experts consider a further escalation possible if there is no progress on the {subject}.",
]
DAYS_DE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@dataclass(frozen=True)
class SyntheticArticle:
    name: str
    lang: str
    source: str
    published_at: datetime
    text: str
    copy_of: str  # name of the article this copies, "" for an original
    translation_of: str = ""  # name of the article this translates, "" for none


@dataclass(frozen=True)
class _Facts:
    """What a report says, apart from its language: indices into the parallel word lists, the numbers
    and the order of the template sentences."""

    speaker: str
    day: int
    place: str
    subject: int
    numbers: tuple[int, int, int]
    order: tuple[int, ...]


def _formatted(value: int, lang: str) -> str:
    return f"{value:,}".replace(",", ".") if lang == "de" else f"{value:,}"


def _facts(rng: random.Random, lang: str) -> _Facts:
    days, subjects = (DAYS_DE, SUBJECTS_DE) if lang == "de" else (DAYS_EN, SUBJECTS_EN)
    speaker = rng.choice(SPEAKERS)
    day = days.index(rng.choice(days))
    place = rng.choice(PLACES)
    subject = subjects.index(rng.choice(subjects))
    numbers = (rng.randrange(1000, 20000, 100), rng.randrange(100, 3000, 100), rng.randrange(5000, 90000, 100))
    order = tuple(rng.sample(range(len(GERMAN)), k=len(GERMAN)))
    return _Facts(speaker, day, place, subject, numbers, order)


def _report(facts: _Facts, lang: str) -> str:
    templates, days, subjects = (GERMAN, DAYS_DE, SUBJECTS_DE) if lang == "de" else (ENGLISH, DAYS_EN, SUBJECTS_EN)
    fill = {
        "speaker": facts.speaker,
        "day": days[facts.day],
        "place": facts.place,
        "subject": subjects[facts.subject],
        **{f"n{i}": _formatted(value, lang) for i, value in enumerate(facts.numbers, 1)},
    }
    sentences = [templates[i] for i in facts.order]
    paragraphs = [" ".join(s.format(**fill) for s in sentences[i : i + 2]) for i in range(0, len(sentences), 2)]
    return "\n".join(paragraphs)


def _edited(rng: random.Random, text: str) -> str:
    """A republished copy: a sentence dropped or a by-line added."""
    lines = text.split("\n")
    if len(lines) > 2 and rng.random() < 0.5:
        lines.pop(rng.randrange(1, len(lines)))
    else:
        lines.append(rng.choice(["(dpa)", "(Reuters)", "(AFP)", "Mehr dazu in Kürze."]))
    return "\n".join(lines)


def synthetic_articles(
    count: int, seed: int = 7, copy_share: float = 0.2, translation_share: float = 0.0
) -> Iterator[SyntheticArticle]:
    rng = random.Random(seed)
    start = datetime(2024, 11, 1, tzinfo=timezone.utc)
    originals: list[tuple[SyntheticArticle, _Facts]] = []
    for index in range(count):
        published = start + timedelta(minutes=7 * index)
        name = f"synthetic-{index:06d}"
        if originals and rng.random() < copy_share:
            original = rng.choice(originals[-50:])[0]
            yield SyntheticArticle(name, original.lang, rng.choice(OUTLETS), published, _edited(rng, original.text), original.name)
            continue
        # Drawn only when asked for, so that the articles of a seed stay what they were before translations.
        if originals and translation_share and rng.random() < translation_share:
            original, facts = rng.choice(originals[-50:])
            lang = "en" if original.lang == "de" else "de"
            yield SyntheticArticle(name, lang, rng.choice(OUTLETS), published, _report(facts, lang), "", original.name)
            continue
        lang = "de" if rng.random() < 0.6 else "en"
        outlet = rng.choice(OUTLETS)
        facts = _facts(rng, lang)
        article = SyntheticArticle(name, lang, outlet, published, _report(facts, lang), "")
        originals.append((article, facts))
        yield article


def write_folder(articles: list[SyntheticArticle], folder: Path) -> Path:
    """Write the articles as text files with the manifest ``tallywire ingest`` reads; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {}
    for article in articles:
        (folder / f"{article.name}.txt").write_text(article.text, encoding="utf-8")
        manifest[f"{article.name}.txt"] = {
            "published": article.published_at.isoformat(),
            "lang": article.lang,
            "source": article.source,
        }
    (folder / "manifest.json").write_text(json.dumps({"articles": manifest}), encoding="utf-8")
    return folder
