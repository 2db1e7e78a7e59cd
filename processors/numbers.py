"""Numbers as German and English news write them: digits, words, scales, vague magnitudes, ranges.

``find_numbers`` returns every number mention in a text with its span; ``parse_number`` reads one
written number. All patterns are linear: no nested quantifiers, so hostile input cannot make them
backtrack (1 MB of digits and dots is read in well under a second).
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import NamedTuple

from text_to_num import text2num

# Digits with thousands groups; the separators' meaning depends on the language.
_DIGITS = r"\d{1,3}(?:[.,\u202f\u00a0 ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"

_SCALES = {
    "tausend": 1e3, "thousand": 1e3,
    "million": 1e6, "millionen": 1e6, "mio": 1e6, "m": 1e6,
    "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "billion": 1e9, "bn": 1e9,
    "dutzend": 12, "dozen": 12,
}
_SCALE = r"(?:tausend|thousand|millionen|million|mio|milliarden|milliarde|mrd|billion|bn|m|dutzend|dozen)\b(?:(?<=mio|mrd)\.)?"

_DE_MORPHEMES = (
    "dreizehn|vierzehn|fünfzehn|sechzehn|siebzehn|achtzehn|neunzehn|zwanzig|dreißig|vierzig|fünfzig|sechzig|"
    "siebzig|achtzig|neunzig|hundert|tausend|zwölf|zehn|elf|eins|eine|einen|einer|ein|zwei|drei|vier|fünf|"
    "sechs|sieben|sieb|acht|neun|und|null"
)
_EN_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    "seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|zero"
)
_DE_WORD = rf"(?:{_DE_MORPHEMES})+"
_EN_WORD = rf"(?:{_EN_WORDS})(?:-(?:{_EN_WORDS}))?"
# Words that are numbers only next to a scale: "ein", "eine", "a", "one".
_ARTICLE_WORDS = {"ein", "eine", "einen", "einer", "eins", "und", "a", "an", "one"}
_ONE_WORDS = {"ein": 1.0, "eine": 1.0, "einen": 1.0, "einer": 1.0, "eins": 1.0, "one": 1.0, "a": 1.0, "an": 1.0,
              "null": 0.0, "zero": 0.0}
# Scales that multiply the words before them; below a million text2num reads the words itself.
_BIG_SCALES = {"million": 1e6, "millionen": 1e6, "mio": 1e6, "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9,
               "billion": 1e9, "bn": 1e9, "dutzend": 12.0, "dozen": 12.0}

_VAGUE = {
    "de": [
        (r"hunderttausende[n]?", 100_000, 999_999),
        (r"zehntausende[n]?", 10_000, 99_999),
        (r"tausende[n]?", 1_000, 9_999),
        (r"hunderte[n]?", 100, 999),
        (r"dutzende[n]?", 24, 99),
    ],
    "en": [
        (r"hundreds of thousands", 100_000, 999_999),
        (r"tens of thousands", 10_000, 99_999),
        (r"thousands", 1_000, 9_999),
        (r"hundreds", 100, 999),
        (r"dozens", 24, 99),
    ],
}


class NumberMention(NamedTuple):
    # A tuple, not a dataclass: a hostile text holds hundreds of thousands of these.
    start: int
    end: int
    value: float
    low: float
    high: float
    vague: bool = False

    @property
    def is_range(self) -> bool:
        return self.low != self.high


def _word_pattern(lang: str) -> str:
    word = _DE_WORD if lang == "de" else _EN_WORD
    scale = r"(?:millionen|million|milliarden|milliarde|dutzend)" if lang == "de" else r"(?:million|billion|dozen)"
    joiner = r"(?:\s+|-)" if lang == "de" else r"(?:\s+(?:and\s+)?|-)"
    return rf"\b{word}(?:{joiner}(?:{word}|{scale})){{0,16}}\b"


def _single_pattern(lang: str) -> re.Pattern[str]:
    return re.compile(rf"(?P<digits>{_DIGITS})(?:\s*(?P<scale>{_SCALE}))?|(?P<words>{_word_pattern(lang)})", re.I)


_SINGLE = {lang: _single_pattern(lang) for lang in ("de", "en")}
# Searched apart so that each scan has one cheap first step per position.
_DIGIT_NUMBER = re.compile(rf"(?P<digits>{_DIGITS})(?:\s*(?P<scale>{_SCALE}))?(?P<words>)", re.I)
_WORD_NUMBER = {lang: re.compile(rf"(?P<digits>)(?P<scale>)(?P<words>{_word_pattern(lang)})", re.I) for lang in ("de", "en")}
_RANGE_JOIN = {
    "de": re.compile(r"\s*(?:-|–|bis)\s*$|^\s*und\s*$", re.I),
    "en": re.compile(r"\s*(?:-|–|to)\s*$|^\s*and\s*$", re.I),
}
_RANGE_OPEN = {"de": re.compile(r"zwischen\s+$", re.I), "en": re.compile(r"between\s+$", re.I)}


# No article is this long or states this many numbers; a text that does is hostile, and reading
# stops there so that the time per input stays bounded.
MAX_TEXT_CHARS = 200_000
MAX_MENTIONS = 5_000

_NO_SPACES = str.maketrans("", "", "\u202f\u00a0 ")


def digits_value(digits: str, lang: str) -> float:
    """"11.000" (de) and "11,000" (en) are 11000; "1,5" (de) and "1.5" (en) are 1.5."""
    if digits.isdigit():
        return float(digits)
    compact = digits.translate(_NO_SPACES)
    thousands, decimal = (".", ",") if lang == "de" else (",", ".")
    groups = compact.split(thousands)
    if len(groups) > 1 and all(len(g) == 3 for g in groups[1:]) and decimal not in groups[0]:
        compact = "".join(groups)
    elif thousands in compact:
        # "1.5" in a German text is still an English-style decimal more often than a typo.
        compact = compact.replace(thousands, decimal) if compact.count(thousands) == 1 else compact.replace(thousands, "")
    return float(compact.replace(decimal, "."))


def words_value(words: str, lang: str, lone_article_is_number: bool = True) -> float | None:
    """ "elf tausend" -> 11000, "zwei Millionen dreihunderttausend" -> 2300000, "two dozen" -> 24."""
    tokens = [t for t in re.split(r"\s+", words.lower().strip()) if t and t != "and"]
    if not lone_article_is_number and all(t in _ARTICLE_WORDS for t in tokens):
        return None
    total = 0.0
    chunk: list[str] = []
    for token in tokens:
        scale = _BIG_SCALES.get(token.rstrip("."))
        if scale is None:
            chunk.append(token)
            continue
        count = _chunk_value(chunk, lang) if chunk else 1.0
        if count is None:
            return None
        total += count * scale
        chunk = []
    if chunk:
        rest = _chunk_value(chunk, lang)
        if rest is None:
            return None
        total += rest
    return total


def _chunk_value(tokens: list[str], lang: str) -> float | None:
    """A number below a million in words; German writes it as one word, spaces are dropped."""
    if len(tokens) == 1 and tokens[0] in _ONE_WORDS:
        return _ONE_WORDS[tokens[0]]
    phrase = " ".join(tokens) if lang == "en" else "".join(tokens)
    try:
        return float(text2num(phrase, lang))
    except ValueError:
        return None


def parse_number(text: str, lang: str = "de") -> float | None:
    """The value of one written number ("11.000", "elf tausend", "1,5 Millionen"); None if it is none."""
    match = _SINGLE[_lang(lang)].fullmatch(text.strip())
    return _value(match, _lang(lang)) if match else None  # alone, "eins" and "one" are numbers


def _lang(lang: str) -> str:
    return "en" if lang.lower().startswith("en") else "de"


def _value(match: re.Match[str], lang: str, strict: bool = True) -> float | None:
    if match.group("digits"):
        value = digits_value(match.group("digits"), lang)
        scale = (match.group("scale") or "").lower().rstrip(".")
        if scale == "m" and lang == "de":
            return None  # "5 m" in German is metres
        return value * _SCALES.get(scale, 1.0)
    return words_value(match.group("words"), lang, lone_article_is_number=strict)


def find_numbers(text: str, lang: str = "de") -> list[NumberMention]:
    """Every number in ``text``: single values, ranges ("10.000 bis 12.000") and vague magnitudes."""
    lang = _lang(lang)
    text = text[:MAX_TEXT_CHARS]
    singles: list[NumberMention] = []
    for pattern in (_DIGIT_NUMBER, _WORD_NUMBER[lang]):
        for seen, match in enumerate(pattern.finditer(text)):
            if seen >= MAX_MENTIONS:
                break
            value = _value(match, lang, strict=False)
            if value is not None:
                singles.append(NumberMention(match.start(), match.end(), value, value, value))
    singles.sort()
    starts = [m.start for m in singles]
    # Longest pattern first: "tens of thousands" is taken before "thousands" inside it.
    for pattern, low, high in _VAGUE[lang]:
        for match in itertools.islice(re.finditer(rf"\b{pattern}\b", text, re.I), MAX_MENTIONS):
            if not _overlaps(singles, starts, match.start(), match.end()):
                at = bisect.bisect_left(starts, match.start())
                starts.insert(at, match.start())
                singles.insert(at, NumberMention(match.start(), match.end(), float(low), float(low), float(high), vague=True))
    return _join_ranges(text, singles, lang)


def _overlaps(mentions: list[NumberMention], starts: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_left(starts, end) - 1
    return index >= 0 and mentions[index].end > start


def _join_ranges(text: str, singles: list[NumberMention], lang: str) -> list[NumberMention]:
    joined: list[NumberMention] = []
    index = 0
    while index < len(singles):
        current = singles[index]
        following = singles[index + 1] if index + 1 < len(singles) else None
        if following and not current.vague and not following.vague and current.value < following.value:
            between = text[current.end : following.start]
            before = text[max(0, current.start - 12) : current.start]
            if len(between) <= 6 and _RANGE_JOIN[lang].search(between) and (
                "und" not in between.lower() and "and" not in between.lower() or _RANGE_OPEN[lang].search(before)
            ):
                middle = (current.value + following.value) / 2
                joined.append(NumberMention(current.start, following.end, middle, current.value, following.value))
                index += 2
                continue
        joined.append(current)
        index += 1
    return joined
