"""Tokens and longest-match lookup shared by the place gazetteer, the force table and their builder.

A name is looked up by its key: its tokens, lowercased, joined by one space ("Guinea-Bissau" ->
"guinea bissau", "U.S." -> "u.s."). In text, the tokens of one name may be separated only by one
space, hyphen or apostrophe (or an abbreviation's dot: "St. Louis"), so a name never spans a comma or a sentence end. Dict lookups on
n-grams keep a sentence's scan linear, with no large regular expression.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from typing import TypeVar

Entry = TypeVar("Entry")

# "U.S." and "U.K." are single tokens, so that the dots do not end the name.
TOKEN = re.compile(r"U\.S\.(?:A\.)?|U\.K\.|[^\W_]+")
_JOINERS = frozenset(" -'’\u2011")


def tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]


def name_key(name: str) -> str:
    return " ".join(m.group().lower() for m in TOKEN.finditer(name))


def first_token_spans(keys) -> dict[str, int]:
    """The longest key, in tokens, that starts with each first token (only for keys of 2+ tokens)."""
    spans: dict[str, int] = {}
    for key in keys:
        parts = key.split(" ")
        if len(parts) > 1 and spans.get(parts[0], 1) < len(parts):
            spans[parts[0]] = len(parts)
    return spans


def longest_match(text: str, toks: list[tuple[int, int, str]], i: int, first: str,
                  entries: dict[str, Entry], spans: dict[str, int]) -> tuple[int, Entry] | None:
    """The longest key starting at token i (whose lowercase is first): (index of its last token, entry)."""
    n = spans.get(first, 1)
    if n > 1:
        key, best = first, None
        for j in range(i + 1, min(len(toks), i + n)):
            if text[toks[j - 1][1]:toks[j][0]] not in _JOINERS and not _abbreviated(text, toks[j - 1], toks[j]):
                break
            key += " " + toks[j][2].lower()
            entry = entries.get(key)
            if entry is not None:
                best = (j, entry)
        if best is not None:
            return best
    entry = entries.get(first)
    return None if entry is None else (i, entry)


def _abbreviated(text: str, before: tuple[int, int, str], after: tuple[int, int, str]) -> bool:
    """ "St. Louis", "Mt. Kenya": a short capitalised abbreviation's dot joins it to the name's next word."""
    return text[before[1]:after[0]] == ". " and len(before[2]) <= 3 and before[2].istitle()


def scan(candidates: list[int], match_at: Callable[[int], tuple[int, Entry] | None]) -> Iterator[tuple[int, int, Entry]]:
    """Non-overlapping matches in text order, trying only the candidate token indices (picked by a
    comprehension, which is cheaper than a call per token): match_at(i) gives (index of the last
    token, entry) or None."""
    after = 0
    for i in candidates:
        if i >= after and (match := match_at(i)) is not None:
            yield i, match[0], match[1]
            after = match[0] + 1


def joined_after(text: str, end: int) -> bool:
    """Whether a hyphen joins the token ending at end to a following word ("US-Soldaten")."""
    return end + 1 < len(text) and text[end] in "-\u2011" and text[end + 1].isalpha()


def shouting(toks: list[tuple[int, int, str]], i: int) -> bool:
    """Whether token i stands among all-caps words, as in a shouted headline ("HELP US NOW")."""
    return any(0 <= k < len(toks) and len(toks[k][2]) > 1 and toks[k][2].isupper() and toks[k][2].isalpha()
               for k in (i - 1, i + 1))


# How names are read, beside the data: a change to the reading rules changes GAZETTEER_VERSION too.
READING_RULES = "2: an English place name that is a common word is read after a lowercase word"


def data_version(places: str, forces: str) -> str:
    """GAZETTEER_VERSION: the first 12 hex digits of the SHA-256 of both data files' text and the reading rules."""
    return hashlib.sha256((places + forces + READING_RULES).encode("utf-8")).hexdigest()[:12]
