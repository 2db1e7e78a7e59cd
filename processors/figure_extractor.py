"""Figures from German and English news text: value, range, hedge, what is counted, whose, where,
who says, and whether it is reported, expected or possible. Pure: text in, figures out.

A number is a figure when a counted noun follows it ("11.000 nordkoreanische Soldaten") or, with
none, when it continues the figure before it in the sentence ("..., von denen etwa 8.000 in der
Region Kursk", "mit einer erwarteten Steigerung auf 12.000"). Dates, durations, money and the like
are never figures. Where a sentence names no place but points at one ("in der Region"), the place
named last before it in the article is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from processors import figure_lexicon as lex
from processors.numbers import NumberMention, find_numbers
from processors.sentences import Sentence, sentences

EXTRACTOR_VERSION = "figures-2026.11.24"


@dataclass(frozen=True)
class ExtractedFigure:
    value: float
    value_low: float
    value_high: float
    qualifier: str  # exact, approx, nearly, more_than, up_to, at_least
    status: str  # reported, expected, possible
    category: str
    counted: str  # the counted noun as written
    force: str
    location: str
    attribution: str
    sentence: str
    span_start: int
    span_end: int
    mentions: int = 1
    vague: bool = False


_WORD = re.compile(r"[^\W\d_][\w'-]*|\d[\d.,]*|[,;:.!?()\"„“”»«–-]")
_FUNCTION_WORDS = {
    "in", "im", "auf", "an", "am", "bei", "nach", "von", "vom", "zu", "zur", "und", "oder", "sowie", "seien",
    "sind", "waren", "wurden", "werden", "haben", "hatten", "stationiert", "of", "to", "at", "on", "and", "or",
    "were", "are", "is", "was", "have", "had", "from", "with", "by",
}
# Words between a number and its noun that say nothing about what is counted: "20,000 more soldiers".
_MODIFIERS = {"more", "mehr", "weitere", "weiteren", "additional", "zusätzliche", "zusätzlichen", "new", "neue", "neuen"}
_PLACE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, lex.PLACES), key=len, reverse=True)) + r")\b(?!-(?!region|gebiet|oblast)\w)",
    re.I,
)
# The title in any case ("US-Außenminister"), the name capitalised.
_TITLED_NAME = re.compile(
    r"(?i:\b(?:" + "|".join(lex.SPEAKER_TITLES) + r"))\s+((?:[A-ZÄÖÜ][\w-]+\s+){0,2}[A-ZÄÖÜ][\w-]+)"
)
_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}|\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}")


def extract_figures(text: str, lang: str = "de") -> list[ExtractedFigure]:
    lang = "en" if lang.lower().startswith("en") else "de"
    speakers = {m.group(1).split()[-1] for m in _TITLED_NAME.finditer(text)}
    last_place = ""
    last_speaker = ""
    found: list[ExtractedFigure] = []
    for sentence in sentences(text):
        speaker = _speaker(sentence.text, speakers) or last_speaker
        in_sentence: list[ExtractedFigure] = []
        mentions = find_numbers(sentence.text, lang)
        for index, mention in enumerate(mentions):
            previous_end = mentions[index - 1].end if index else 0
            figure = _figure(sentence, mention, previous_end, in_sentence, last_place, speaker, lang)
            if figure:
                in_sentence.append(figure)
        found.extend(in_sentence)
        last_place = _most_specific(sentence.text) or last_place
        last_speaker = speaker
    return _merged(found)


def _figure(
    sentence: Sentence,
    mention: NumberMention,
    previous_end: int,
    in_sentence: list[ExtractedFigure],
    last_place: str,
    speaker: str,
    lang: str,
) -> ExtractedFigure | None:
    text = sentence.text
    if _not_a_count(text, mention):
        return None
    after_clause = _clause_after(text, mention.end)
    before_clause = text[max(previous_end, text.rfind(",", 0, mention.start) + 1) : mention.start]
    parent = in_sentence[-1] if in_sentence else None
    noun = _counted_noun(text, mention.end, lang) or _counted_before(before_clause)
    if noun is None:
        if parent is None or not _continues(text, mention.end, lang):
            return None
        category, counted, noun_end = parent.category, parent.counted, mention.end
    else:
        category, counted, noun_end = noun
        noun_end = max(noun_end, mention.end)
        category = _casualty(after_clause, category)
    linked = parent if parent and _linked(text[previous_end : mention.start]) else None
    force = _force(text, mention.end, noun_end) or (parent.force if noun is None and parent else "")
    if force and _includes_subset(text, noun_end):
        force = _with_subset(force, text, noun_end)
    elif not force and _includes_subset(text, noun_end):
        force = _with_subset("", text, noun_end)
    elif not force and linked:
        force = linked.force
    return ExtractedFigure(
        value=mention.value,
        value_low=mention.low,
        value_high=mention.high,
        qualifier=_qualifier(text[: mention.start], mention),
        status=_status(before_clause + " " + after_clause),
        category=category,
        counted=counted,
        force=force,
        location=_location(text, mention, previous_end, after_clause, linked or (parent if noun is None else None), last_place),
        attribution=speaker,
        sentence=" ".join(text.split()),
        span_start=sentence.start + mention.start,
        span_end=sentence.start + mention.end,
        vague=mention.vague,
    )


def _words_after(text: str, position: int, limit: int) -> list[re.Match[str]]:
    words = []
    for match in _WORD.finditer(text, position):
        words.append(match)
        if len(words) >= limit:
            break
    return words


def _not_a_count(text: str, mention: NumberMention) -> bool:
    written = text[mention.start : mention.end]
    if any(m.start() <= mention.start < m.end() for m in _DATE.finditer(text, max(0, mention.start - 6), mention.end + 6)):
        return True
    if written.isdigit() and len(written) == 4 and 1800 <= int(written) <= 2100:
        return True  # a year
    if re.match(r"\.\s", text[mention.end : mention.end + 2]) and written.isdigit() and len(written) <= 2:
        return True  # an ordinal: "am 6. August", "seit dem 1. September"
    after = text[mention.end : mention.end + 20].lower().lstrip()
    before = text[max(0, mention.start - 12) : mention.start].lower().rstrip()
    return after.startswith(lex.NOT_COUNTS_AFTER) or before.endswith(("€", "$", "£", "nr.", "seite", "page", "no."))


def _counted_noun(text: str, position: int, lang: str) -> tuple[str, str, int] | None:
    """(category, noun as written, end of the noun) of the counted noun right after a number."""
    for index, match in enumerate(_words_after(text, position, 5)):
        word = match.group()
        if not word[0].isalpha():
            return None
        lowered = word.lower()
        if (index == 0 and lowered == "of") or lowered in _MODIFIERS:
            continue  # "thousands of soldiers", "20.000 weitere Soldaten"
        category = _category_of(lowered)
        if category:
            return category, word, match.end()
        if lowered in _FUNCTION_WORDS or (lang == "de" and word[0].isupper() and not _is_adjective(lowered)):
            return None
    return None


def _category_of(word: str) -> str:
    for stem, category in lex.COUNTED_NOUNS.items():
        if word.startswith(stem) and len(word) <= len(stem) + 3:
            return category
    return ""


def _counted_before(clause: str) -> tuple[str, str, int] | None:
    """ "die Zahl der Flüchtlinge ... auf 90.000": the noun named before the number."""
    lowered = clause.lower()
    for phrase in lex.COUNT_OF:
        at = lowered.rfind(phrase)
        if at != -1:
            following = _words_after(clause, at + len(phrase), 2)
            for match in following:
                if category := _category_of(match.group().lower()):
                    return category, match.group(), 0
    return None


def _is_adjective(word: str) -> bool:
    return word.endswith(("ische", "ischen", "ischer", "isches", "ische", "an", "ean")) or word in ("north", "south", "korean")


def _continues(text: str, position: int, lang: str) -> bool:
    """A number with no noun of its own carries the previous figure's noun: nothing noun-like follows."""
    following = _words_after(text, position, 1)
    if not following:
        return True
    word = following[0].group()
    if not word[0].isalpha():
        return True
    return word.lower() in _FUNCTION_WORDS or (lang == "de" and word[0].islower())


def _casualty(clause: str, category: str) -> str:
    if category not in lex.PEOPLE_CATEGORIES:
        return category
    lowered = clause.lower()
    for verb, casualty in lex.CASUALTY_VERBS.items():
        if verb in lowered:
            return casualty
    return category


def _force(text: str, number_end: int, noun_end: int) -> str:
    phrase = text[number_end:noun_end].lower()
    # "Soldaten der nordkoreanischen Armee", "Soldaten oder Soldaten der nordkoreanischen Armee"
    genitive = re.match(
        r"\s*(?:(?:oder|und|or|and)\s+\S+\s+)?(?:der|des|of the)\s+(\S+)\s+(?:armee|streitkräfte|truppen|army|forces|military)",
        text[noun_end : noun_end + 80].lower(),
    )
    for candidate in (phrase, genitive.group(1) if genitive else ""):
        for stem, force in lex.FORCES.items():
            if stem in candidate:
                return force
    return ""


def _includes_subset(text: str, noun_end: int) -> bool:
    following = text[noun_end : noun_end + 20].lower()
    return any(following.lstrip(" ,").startswith(word) for word in lex.SUBSET_WORDS)


def _with_subset(force: str, text: str, noun_end: int) -> str:
    window = text[noun_end : noun_end + 60].lower()
    subset = next((f for stem, f in lex.FORCES.items() if stem in window), "")
    if not subset or subset == force:
        return force
    host = force or lex.ALLIED_HOSTS.get(subset, "")
    return f"{host}_incl_{subset}" if host else force


def _linked(between: str) -> bool:
    lowered = between.lower()
    return any(link in lowered for link in lex.PARENT_LINKS)


def _clause_after(text: str, position: int) -> str:
    comma = text.find(",", position)
    while comma != -1 and text[comma + 1 :].lstrip().lower().startswith(lex.CLAUSE_CONTINUATIONS):
        comma = text.find(",", comma + 1)
    return text[position : comma if comma != -1 else len(text)]


def _most_specific(window: str) -> str:
    best, best_rank = "", 0
    for match in _PLACE.finditer(window):
        place, rank = lex.PLACES[match.group(1).lower()]
        if rank > best_rank:
            best, best_rank = place, rank
    return best


def _location(
    text: str,
    mention: NumberMention,
    previous_end: int,
    after_clause: str,
    parent: ExtractedFigure | None,
    last_place: str,
) -> str:
    before = text[previous_end : mention.start]
    if place := _most_specific(after_clause) or _most_specific(before):
        return place
    if parent and parent.location:
        return parent.location
    if any(ref in (after_clause + " " + before).lower() for ref in lex.UNNAMED_PLACE):
        return last_place
    return _most_specific(text[mention.end :])


def _qualifier(before: str, mention: NumberMention) -> str:
    tail = " ".join(before.lower().split()[-2:])
    for hedge, qualifier in sorted(lex.HEDGES.items(), key=lambda item: -len(item[0])):
        if tail.endswith(hedge) and (len(tail) == len(hedge) or not tail[-len(hedge) - 1].isalnum()):
            return qualifier
    return "approx" if mention.vague else "exact"


def _status(clause: str) -> str:
    lowered = f" {clause.lower()} "
    if any(word in lowered for word in lex.EXPECTED_WORDS):
        return "expected"
    if any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in lex.POSSIBLE_WORDS):
        return "possible"
    return "reported"


def _speaker(sentence: str, speakers: set[str]) -> str:
    lowered = sentence.lower()
    if not any(word in lowered for word in lex.SPEECH_WORDS):
        return ""
    for name in speakers:
        if re.search(rf"\b{re.escape(name)}\b", sentence):
            return name
    for written, shown in lex.GROUP_SOURCES.items():
        if re.search(rf"\b{re.escape(written)}\b", lowered):
            return shown
    return ""


def _same_figure(a: ExtractedFigure, b: ExtractedFigure) -> bool:
    """One figure stated twice: same value, what and status; whose and where agree where both are known."""
    return (
        (a.value, a.value_low, a.value_high, a.category, a.status) == (b.value, b.value_low, b.value_high, b.category, b.status)
        and (not a.force or not b.force or a.force == b.force)
        and (not a.location or not b.location or a.location == b.location)
    )


def _merged(figures: list[ExtractedFigure]) -> list[ExtractedFigure]:
    """Each figure once, with its mentions counted; the first mention's wording is kept."""
    merged: list[ExtractedFigure] = []
    for figure in figures:
        index = next((i for i, kept in enumerate(merged) if _same_figure(kept, figure)), None)
        if index is None:
            merged.append(figure)
            continue
        kept = merged[index]
        merged[index] = replace(
            kept,
            force=kept.force or figure.force,
            location=kept.location or figure.location,
            attribution=kept.attribution or figure.attribution,
            mentions=kept.mentions + figure.mentions,
        )
    return merged
