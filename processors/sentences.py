"""Sentences of news text, with their offsets: the unit both figure extraction and story matching read.

Paragraphs are lines (``tallywire.core.text_cleanup`` has unwrapped hard-wrapped text) and a live
ticker's "+++" entries. A period after an ordinal ("am 6. August") or an abbreviation ("ca.") does not
end a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import wordfreq

from processors.numbers import MAX_TEXT_CHARS

MAX_SENTENCE_CHARS = 1_500
_NO_SPLIT_BEFORE = {"ca", "bzw", "dr", "nr", "mio", "mrd", "tsd", "mill", "etc", "vs", "st", "u.a", "z.b", "sog", "evtl", "inkl",
                    # English titles before a name: "Gov. Andy Beshear", "Lt. Col. Jesus Rafael"
                    "gov", "gen", "col", "lt", "maj", "capt", "sgt", "sen", "rep", "mr", "mrs", "ms", "prof",
                    # English months before a day: "the Feb. 6 earthquake"
                    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
# A dotted name goes on into the name it starts ("U.S. European Command", "U.N. Security Council") unless a
# word that opens sentences follows ("... in the U.S. The company ...").
_DOTTED_NAMES = {"u.s", "u.k", "u.n", "e.u"}
_SENTENCE_OPENERS = frozenset(wordfreq.top_n_list("en", 150))
_TICKER_MARK = re.compile(r"\+\+\+")
_SENTENCE_END = re.compile(r"[.!?…][\"“”»«]?\s+")


@dataclass(frozen=True)
class Sentence:
    start: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Sentences of the text's paragraphs; a run-on longer than any real sentence is cut in pieces so
    that the work per sentence, and so per text, stays bounded."""
    return [piece for sentence in _split_sentences(text[:MAX_TEXT_CHARS]) for piece in _pieces(sentence)]


def _first_word(line: str, at: int) -> str:
    word = re.match(r"[^\W\d_]+", line[at:])
    return word.group().lower() if word else ""


def _pieces(sentence: Sentence) -> list[Sentence]:
    if len(sentence.text) <= MAX_SENTENCE_CHARS:
        return [sentence]
    return [
        Sentence(sentence.start + at, sentence.text[at : at + MAX_SENTENCE_CHARS])
        for at in range(0, len(sentence.text), MAX_SENTENCE_CHARS)
    ]


def _split_sentences(text: str) -> list[Sentence]:
    found = []
    for offset, line in _paragraphs(text):
        start = 0
        for match in _SENTENCE_END.finditer(line):
            before = line[start : match.start()].rsplit(None, 1)[-1].lower() if line[start : match.start()].strip() else ""
            following = line[match.end() : match.end() + 1]
            ordinal = before.isdigit() and len(before) <= 2
            initial = len(before) == 1 and before.isalpha() and line[match.start() - 1].isupper()  # "P. Suresh", "George W. Bush"
            if ordinal or initial or before.rstrip(".") in _NO_SPLIT_BEFORE or not (following.isupper() or following in "„\"“0123456789"):
                continue
            if before.rstrip(".") in _DOTTED_NAMES and _first_word(line, match.end()) not in _SENTENCE_OPENERS:
                continue
            found.append(Sentence(offset + start, line[start : match.end()].rstrip()))
            start = match.end()
        if line[start:].strip():
            found.append(Sentence(offset + start, line[start:]))
    return found


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, text) of each line, and of each entry of a live ticker's line: "+++" ends an entry as a
    line break does ("... 31 Objekte. +++ 8.20 Uhr: In Rehau ...")."""
    offset = 0
    for line in text.split("\n"):
        start = 0
        for mark in _TICKER_MARK.finditer(line):
            yield offset + start, line[start : mark.start()]
            start = mark.end()
        yield offset + start, line[start:]
        offset += len(line) + 1
