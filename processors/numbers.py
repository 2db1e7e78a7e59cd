"""Numbers as German and English news write them: digits, words, scales, vague magnitudes, ranges.

``find_numbers`` returns every number mention in a text with its span in the text as given;
``parse_number`` reads one written number. Neither raises, whatever the input.

What is read, and how:

- Digits in either convention ("11.000" de, "11,000" en, "12 000" with any Unicode space), in
  any Unicode script ("١٤٬٤٠٠" is 14400). A digit group that fits neither convention
  ("40.816.38", "1.2.3") is not a number: it is dropped, never guessed at.
- Digits with a scale: "1,5 Mio.", "2 Mrd.", "1.5 million", "2 bn". German "Billion" is 10^12,
  English "billion" 10^9, "lakh" 10^5 and "crore" 10^7 (South Asian English).
- Number words, German compounds of any length ("zweihundertfünfundvierzigtausend", also
  "fuenf", "zwoelf", "dreissig"), halves ("dreieinhalb", "anderthalb", "eine halbe Million",
  "ein halbes Dutzend", "two and a half million", "half a dozen"), "a hundred", "a dozen".
  A number word glued into a longer word ("dreiwöchig") is not a number; "ein", "a" and "one"
  alone are articles, numbers only before a scale.
- Ranges: "20 bis 100", "zwischen 20 und 100", "20-100", "20–100", "20 to 100",
  "between 20 and 100", "20 through 100"; also of vague magnitudes ("Hunderte bis Tausende").
- Vague magnitudes, as (low, high): Dutzende/dozens 24-99, Hunderte/hundreds 100-999,
  Tausende/thousands 1,000-9,999, Zehntausende/tens of thousands 10,000-99,999,
  Hunderttausende/hundreds of thousands 100,000-999,999, Millionen/millions 10^6-(10^9-1),
  "scores of" 40-99 (a score is twenty). With a quantifier ("mehrere", "einige", "etliche", "ein paar", "several", "a few",
  "a couple of") and a scale ("mehrere Tausend", "several hundred thousand"): the magnitude of its
  plural (1,000-9,999; 100,000-999,999; "ein paar Dutzend" 24-99), as readers label them.
- Values above ``MAX_VALUE`` (10^13) are refused: no news figure counts more, and a digit string
  that long is an identifier or garbage.

All patterns are linear: no nested quantifiers that can backtrack, possessive repetition where
word parts could split two ways, so hostile input cannot make them slow.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from decimal import Decimal
from collections.abc import Iterable
from typing import NamedTuple, TypeGuard

# No news figure is larger (German "zehn Billionen" is the most a budget ever states); a larger
# value read from text is an identifier, a typo or a hostile input.
MAX_VALUE = 1e13
# No article is this long or states this many numbers; a text that does is hostile, and reading
# stops there so that the time per input stays bounded.
MAX_TEXT_CHARS = 200_000
MAX_MENTIONS = 5_000
# A digit token this long cannot hold a plausible value; refusing it early keeps Decimal and
# float away from megabyte-long strings.
_MAX_DIGIT_TOKEN = 40


class NumberMention(NamedTuple):
    # A tuple, not a dataclass: a hostile text holds hundreds of thousands of these.
    start: int
    end: int
    value: float
    low: float
    high: float
    vague: bool = False
    # Four digits 1800-2100 written without separators: a year as often as a count. The reader
    # cannot tell; the extractor can, from the words around it ("im Jahr 2000" / "2000 soldiers").
    year_like: bool = False

    @property
    def is_range(self) -> bool:
        return self.low != self.high


# --- Unicode normalisation -------------------------------------------------------------------
# Characters that may need normalising: everything but printable ASCII and Latin letters. One scan
# of this class finds them; only they are then looked at one by one, so a German or English text
# costs one regex scan and a few quotation marks.
_CANDIDATE = re.compile(r"[^\t\n\r\x20-\x7e\u00a1-\u00ac\u00ae-\u024f]")
# Hyphens and dashes that join a range ("20–100"); the em dash is a parenthesis, not a range.
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d")
# Arabic thousands and decimal separators.
_ARABIC_THOUSANDS, _ARABIC_DECIMAL = "\u066c", "\u066b"


def _replacement(char: str, lang: str) -> str | None:
    """What a character reads as: a digit, a space, a hyphen, nothing, or None to keep it."""
    category = unicodedata.category(char)
    if category == "Nd":
        return str(unicodedata.decimal(char))
    # Any space (thin, narrow no-break, no-break) and the Arabic thousands sign separate thousands.
    if category == "Zs" or char == _ARABIC_THOUSANDS:
        return " "
    # Invisible characters (format characters such as ZWSP, RLM, soft hyphen; controls such as NUL)
    # must not split "13000": they are removed. Line and tab controls stay, they separate.
    if category == "Cf" or (category == "Cc" and not char.isspace()):
        return ""
    if char in _DASHES:
        return "-"
    if char == _ARABIC_DECIMAL:
        return "," if lang == "de" else "."
    return None


def _normalised(text: str, lang: str) -> tuple[str, list[int]]:
    """The text with ASCII digits and spaces, and the positions (in it) where characters were removed."""
    pieces: list[str] = []
    removed: list[int] = []
    length = 0
    last = 0
    for match in _CANDIDATE.finditer(text):
        replacement = _replacement(match.group(), lang)
        if replacement is None:
            continue
        kept = text[last : match.start()]
        pieces.append(kept)
        length += len(kept)
        if replacement:
            pieces.append(replacement)
            length += 1
        else:
            removed.append(length)
        last = match.end()
    if not pieces:
        return text, removed
    pieces.append(text[last:])
    return "".join(pieces), removed


def _original_span(start: int, end: int, removed: list[int]) -> tuple[int, int]:
    """A span of the normalised text in the original's coordinates, removed characters skipped."""
    if not removed:
        return start, end
    return start + bisect.bisect_right(removed, start), end + bisect.bisect_right(removed, end - 1)


# --- Digits ----------------------------------------------------------------------------------
# A run of digits with the separators either convention uses; a space, or the Swiss apostrophe, joins
# only groups of exactly three digits after one to three ("12 500", "12'500", not "2023 500" or "am 3 4"). Each
# repetition begins with a separator, so the pattern cannot backtrack; it begins with a digit
# class, so the regex engine skips to the next digit without trying the pattern at each position.
_DIGIT_RUN = r"[0-9](?:[0-9]{0,2}(?:[\ '’][0-9]{3}(?![0-9]))+(?:[.,][0-9]+)?|[0-9]*(?:[.,][0-9]+)*)"


def _digit_forms(thousands: str, decimal: str) -> re.Pattern[str]:
    t, d = re.escape(thousands), re.escape(decimal)
    return re.compile(
        rf"(?P<int>[0-9]+)"
        rf"|(?P<grouped>[0-9]{{1,3}}(?:{t}[0-9]{{3}})+|[0-9]{{1,3}}(?:[\ '’][0-9]{{3}})+)(?:{d}(?P<gfrac>[0-9]+))?"
        rf"|(?P<whole>[0-9]+){d}(?P<frac>[0-9]+)"
        # One separator of the other convention that cannot be a thousands group: "1.5 Millionen"
        # in a German text is a decimal point, not a typo.
        rf"|(?P<swhole>[0-9]+){t}(?P<sfrac>[0-9]{{1,2}}|[0-9]{{4,}})"
    )


_DIGIT_FORMS = {"de": _digit_forms(".", ","), "en": _digit_forms(",", ".")}
_DIGIT_NO_SEPARATORS = str.maketrans("", "", ". ,'’")


def _decimal(digits: str, lang: str) -> Decimal | None:
    """"11.000" (de) and "11,000" (en) are 11000; "1,5" (de) and "1.5" (en) are 1.5; "40.816.38" is None."""
    form = _DIGIT_FORMS[lang].fullmatch(digits) if len(digits) <= _MAX_DIGIT_TOKEN else None
    if form is None:
        return None
    if form.group("int") is not None:
        return Decimal(form.group("int"))
    if form.group("grouped") is not None:
        whole, fraction = form.group("grouped").translate(_DIGIT_NO_SEPARATORS), form.group("gfrac") or "0"
    elif form.group("whole") is not None:
        whole, fraction = form.group("whole"), form.group("frac")
    else:
        whole, fraction = form.group("swhole"), form.group("sfrac")
    return Decimal(f"{whole}.{fraction}")


# --- Words -----------------------------------------------------------------------------------
# Kinds of number words: unit (1-9), teen (10-19), tens, hundred, thousand, dozen, big scale
# (million and up), article ("a", "eine"), half ("halbe", "half a"), plus a half ("einhalb",
# "and a half"), one and a half ("anderthalb"), and (a joiner), zero.
U, T, Z, H, K, D, B, A, HALF, PLUS_HALF, ONE_HALF, AND, ZERO = range(13)
# Which kind may follow which: "fünfundvierzig" U AND Z, "forty-five" Z U, "neunzehnhundert" T H,
# "zwei Millionen dreihunderttausend" U B U H K, "two and a half million" U PLUS_HALF B.
_NEXT = {
    None: {U, T, Z, H, K, A, HALF, ONE_HALF, ZERO},
    U: {AND, H, K, D, B, PLUS_HALF},
    T: {H, K, D, B},
    Z: {U, K, D, B},
    H: {U, T, Z, AND, K, D, B},
    K: {U, T, Z, H, AND},
    B: {U, T, Z, H},
    A: {H, K, D, B, HALF},
    HALF: {H, K, D, B},
    PLUS_HALF: {H, K, D, B},
    ONE_HALF: {H, K, D, B},
    AND: {U, T, Z},
    D: set(),
    ZERO: set(),
}
_ENDS = {U, T, Z, H, K, D, B, PLUS_HALF, ONE_HALF, ZERO}

_UNITS = {"de": ("ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"),
          "en": ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")}
_TEENS = {"de": ("zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn",
                 "neunzehn"),
          "en": ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
                 "nineteen")}
_TENS = {"de": ("zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"),
         "en": ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")}


def _spellings(table: dict[str, tuple[int, float]]) -> dict[str, tuple[int, float]]:
    """The table with each word also without umlauts and ß, as keyboards and feeds without them write it."""
    return table | {word.replace("ü", "ue").replace("ö", "oe").replace("ß", "ss"): value for word, value in table.items()}


def _small_numbers(lang: str) -> dict[str, tuple[int, float]]:
    table: dict[str, tuple[int, float]] = {}
    for kind, words, first, step in ((U, _UNITS, 1, 1), (T, _TEENS, 10, 1), (Z, _TENS, 20, 10)):
        table.update({word: (kind, first + step * i) for i, word in enumerate(words[lang])})
    return table


# German writes a number below a million as one word ("zweihundertfünfundvierzigtausend"); these
# are its parts.
_DE_PARTS = _spellings(_small_numbers("de") | {
    "eins": (U, 1), "hundert": (H, 100), "tausend": (K, 1000), "und": (AND, 0), "null": (ZERO, 0),
    "einhalb": (PLUS_HALF, 0.5), "anderthalb": (ONE_HALF, 1.5),
})
# Whole words; an English number word is always one of these.
_WORDS = {
    "de": {
        "dutzend": (D, 12), "million": (B, 1e6), "millionen": (B, 1e6), "mio.": (B, 1e6), "milliarde": (B, 1e9),
        "milliarden": (B, 1e9), "mrd.": (B, 1e9), "billion": (B, 1e12), "billionen": (B, 1e12),
        "viertelmillion": (B, 2.5e5), "dreiviertelmillion": (B, 7.5e5),
        "zweier": (U, 2), "dreier": (U, 3),  # the genitive: "die Leichen zweier Bewohner"
        **dict.fromkeys(("ein", "eine", "einen", "einer", "einem", "eines"), (A, 1)),
        **dict.fromkeys(("halbe", "halbes", "halben", "halber"), (HALF, 0.5)),
    },
    "en": _small_numbers("en") | {
        "hundred": (H, 100), "thousand": (K, 1000), "and": (AND, 0), "zero": (ZERO, 0), "and a half": (PLUS_HALF, 0.5),
        "dozen": (D, 12), "million": (B, 1e6), "billion": (B, 1e9), "bn": (B, 1e9), "trillion": (B, 1e12),
        "a": (A, 1), "an": (A, 1), "half": (HALF, 0.5), "half a": (HALF, 0.5), "half an": (HALF, 0.5),
        "a quarter of a": (HALF, 0.25), "quarter of a": (HALF, 0.25), "three quarters of a": (HALF, 0.75),
    },
}
# Words that alone in running text are an article or a pronoun ("one of them"), not a count.
_ARTICLE_LIKE = {"ein", "eine", "einen", "einer", "einem", "eines", "eins", "a", "an", "one"}


def _starting(*word_lists: Iterable[str]) -> str:
    """A lookahead for the first letters of the words: most positions of a text fail it at once,
    before the word alternatives are tried (a third of the time of ``find_numbers``)."""
    firsts = {word[0] for words in word_lists for word in words}
    return f"(?=[{re.escape(''.join(sorted(firsts)))}])"


def _alternation(words: Iterable[str]) -> str:
    # Longest first: re takes the first alternative that matches, so this is maximal munch.
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


# Maximal munch splits every real German number word right ("achtzehn", not "acht"+"zehn";
# "eineinhalb" is "ein"+"einhalb"), so the repetition is possessive and cannot backtrack.
_DE_PART = re.compile(_alternation(_DE_PARTS), re.I)
_WORD_PATTERN = {
    # "und" alone is a conjunction, not worth a look as a number: a compound starts with another part.
    "de": rf"(?:{_alternation(_WORDS['de'])}|(?:{_alternation(p for p in _DE_PARTS if p != 'und')})(?:{_alternation(_DE_PARTS)})*+)(?!\w)",
    "en": rf"(?:{_alternation(_WORDS['en'])})(?!\w)",
}
_PHRASE = {
    lang: re.compile(rf"{_starting(_WORDS[lang], _DE_PARTS if lang == 'de' else ())}(?<!\w)(?:{w})(?:(?:\s+|-)(?:{w}))*+", re.I)
    for lang, w in _WORD_PATTERN.items()
}
_TOKEN = {lang: re.compile(w, re.I) for lang, w in _WORD_PATTERN.items()}


def _tokens(phrase: re.Match[str], lang: str) -> list[tuple[int, int, int, float]]:
    """(start, end, kind, value) of each word of a phrase; a German compound gives one per part."""
    tokens = []
    table = _WORDS[lang]
    for word in _TOKEN[lang].finditer(phrase.string, phrase.start(), phrase.end()):
        lowered = " ".join(word.group().lower().split())
        if lowered in table:
            tokens.append((word.start(), word.end(), *table[lowered]))
            continue
        parts = _DE_PART.finditer(phrase.string, word.start(), word.end())
        tokens.extend((part.start(), part.end(), *_DE_PARTS[part.group().lower()]) for part in parts)
    return tokens


def _words_value(tokens: list[tuple[int, int, int, float]]) -> float:
    """The value of a sequence of word tokens that ``_NEXT`` allows."""
    total = below_million = 0.0
    count: float | None = None
    previous = None
    for _, _, kind, value in tokens:
        if kind in (U, T, Z, PLUS_HALF, ZERO):
            count = (count or 0.0) + value
        elif kind in (A, ONE_HALF):
            count = value
        elif kind == HALF:
            count = value * (count if previous == A and count is not None else 1.0)
        elif kind in (H, D):
            count = (count or 1.0) * value
        elif kind == K:
            below_million += (count or 1.0) * value
            count = None
        elif kind == B:
            total += (below_million + (count or 0.0) or 1.0) * value
            below_million, count = 0.0, None
        previous = kind
    return total + below_million + (count or 0.0)


def _word_numbers(phrase: re.Match[str], lang: str, lone_article_is_number: bool) -> list[tuple[int, int, float]]:
    """The numbers in a run of number words: the longest sequence the grammar allows, then the next."""
    tokens = _tokens(phrase, lang)
    found = []
    index = 0
    while index < len(tokens):
        end = index + 1
        if tokens[index][2] not in _NEXT[None]:
            index = end
            continue
        while end < len(tokens) and tokens[end][2] in _NEXT[tokens[end - 1][2]]:
            end += 1
        last = end
        while last > index and tokens[last - 1][2] not in _ENDS:
            last -= 1
        if last == index:
            index = end
            continue
        start_at, end_at = tokens[index][0], tokens[last - 1][1]
        lone = last - index == 1 and phrase.string[start_at:end_at].lower() in _ARTICLE_LIKE
        if lone_article_is_number or not lone:
            found.append((start_at, end_at, _words_value(tokens[index:last])))
        index = last
    return found


# --- Scales after digits ---------------------------------------------------------------------
_DIGIT_SCALES = {
    "de": {"tausend": 1e3, "tsd.": 1e3, "dutzend": 12, "million": 1e6, "millionen": 1e6, "mio.": 1e6, "mio": 1e6,
           "milliarde": 1e9, "milliarden": 1e9, "mrd.": 1e9, "mrd": 1e9, "billion": 1e12, "billionen": 1e12},
    # South Asian English: a lakh is 100,000, a crore ten million ("2.5 lakh people").
    "en": {"thousand": 1e3, "dozen": 12, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9,
           "trillion": 1e12, "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7},
}
_DIGIT_NUMBER = {
    lang: re.compile(rf"(?P<digits>{_DIGIT_RUN})(?:\s?(?P<scale>{_alternation(scales)})(?!\w))?", re.I)
    for lang, scales in _DIGIT_SCALES.items()
}


def _scaled(digits: str, scale: str | None, lang: str) -> float | None:
    value = _decimal(digits, lang)
    if value is None:
        return None
    # In Decimal, so that "2,3 Mio." is 2300000 and not 2299999.9999999995.
    return float(value * int(_DIGIT_SCALES[lang][scale.lower()]) if scale else value)


# --- Vague magnitudes ------------------------------------------------------------------------
_MAGNITUDES = {
    "de": {"dutzend": (12, 99), "hundert": (100, 999), "tausend": (1_000, 9_999), "zehntausend": (10_000, 99_999),
           "hunderttausend": (100_000, 999_999), "million": (1_000_000, 999_999_999)},
    "en": {"dozen": (12, 99), "hundred": (100, 999), "thousand": (1_000, 9_999), "ten thousand": (10_000, 99_999),
           "hundred thousand": (100_000, 999_999), "million": (1_000_000, 999_999_999)},
}
_PLURALS = {
    "de": r"(?P<plural>dutzende|hunderttausende|zehntausende|tausende|hunderte|millionen)n?",
    "en": r"(?P<plural>dozens|hundreds|thousands|millions)",
}
_QUANTIFIED = {
    "de": r"(?:mehrere|einige|etliche|ein\s+paar)\s+(?P<scale>hunderttausend|zehntausend|tausend|hundert|dutzend|millionen)",
    "en": r"(?:several|a\s+few|a\s+couple\s+of)\s+(?P<scale>hundred\s+thousand|hundred|thousand|dozen|million)",
}
_VAGUE = {
    "de": re.compile(rf"{_starting('medhzt')}\b(?:{_QUANTIFIED['de']}|{_PLURALS['de']})(?!\w)", re.I),
    # "tens of thousands", "hundreds of thousands": the plural read as the magnitude it names.
    # "scores of" (a score is twenty): at least two score, and fewer than a hundred.
    "en": re.compile(rf"{_starting('sathdm')}\b(?:{_QUANTIFIED['en']}|(?P<of>tens|hundreds)\s+of\s+thousands|{_PLURALS['en']}"
                     rf"|(?P<scores>scores)(?=\s+of\b))(?!\w)", re.I),
}


def _vague_range(match: re.Match[str], lang: str) -> tuple[float, float]:
    if match.group("scale"):
        magnitude = " ".join(match.group("scale").lower().split())
        low, high = _MAGNITUDES[lang][magnitude if lang == "en" else magnitude.removesuffix("en")]  # "Millionen"
        return max(low, 24), high  # as its plural: every reader labels "mehrere Hundert" as "Hunderte"
    if lang == "en" and match.group("scores"):
        return 40, 99
    if lang == "en" and match.group("of"):
        return _MAGNITUDES[lang]["ten thousand" if match.group("of").lower() == "tens" else "hundred thousand"]
    plural = match.group("plural").lower()
    low, high = _MAGNITUDES[lang][plural[:-1] if lang == "en" else plural.removesuffix("n").removesuffix("e")]
    return max(low, 24), high  # "dozens" are more than two dozen


# --- Ranges ----------------------------------------------------------------------------------
_RANGE_JOIN = {
    "de": re.compile(r"\s*(?:-|bis)\s*|\s+und\s+", re.I),
    "en": re.compile(r"\s*(?:-|to|through|thru)\s*|\s+and\s+", re.I),
}
_RANGE_OPEN = {"de": re.compile(r"zwischen\s+$", re.I), "en": re.compile(r"between\s+$", re.I)}
_YEAR = re.compile(r"1[89][0-9][0-9]|20[0-9][0-9]|2100")


# --- Reading ---------------------------------------------------------------------------------
def _lang(lang: str) -> str:
    return "en" if lang.lower().startswith("en") else "de"


def _plausible(value: float | None) -> TypeGuard[float]:
    return value is not None and math.isfinite(value) and 0 <= value <= MAX_VALUE


def _singles(text: str, lang: str, lone_article_is_number: bool) -> list[NumberMention]:
    """Every single value and vague magnitude in the normalised text, in text order."""
    found: list[NumberMention] = []
    for match in itertools.islice(_DIGIT_NUMBER[lang].finditer(text), MAX_MENTIONS):
        value = _scaled(match.group("digits"), match.group("scale"), lang)
        if _plausible(value):
            year_like = match.group("scale") is None and _YEAR.fullmatch(match.group("digits")) is not None
            found.append(NumberMention(match.start(), match.end(), value, value, value, year_like=year_like))
    for phrase in itertools.islice(_PHRASE[lang].finditer(text), MAX_MENTIONS):
        found.extend(NumberMention(start, end, value, value, value)
                     for start, end, value in _word_numbers(phrase, lang, lone_article_is_number) if _plausible(value))
    for match in itertools.islice(_VAGUE[lang].finditer(text), MAX_MENTIONS):
        low, high = _vague_range(match, lang)
        found.append(NumberMention(match.start(), match.end(), float(low), float(low), float(high), vague=True))
    return _leftmost_longest(found)


def _leftmost_longest(mentions: list[NumberMention]) -> list[NumberMention]:
    """Of overlapping readings the one that starts first, and of those the longest: "mehrere Tausend"
    over "Tausend", "tens of thousands" over "thousands", "zwei Millionen" over "Millionen"."""
    kept: list[NumberMention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def _join_ranges(text: str, singles: list[NumberMention], lang: str) -> list[NumberMention]:
    joined: list[NumberMention] = []
    index = 0
    while index < len(singles):
        current = singles[index]
        following = singles[index + 1] if index + 1 < len(singles) else None
        if following and current.vague == following.vague and current.low < following.high:
            between = text[current.end : following.start]
            join = _RANGE_JOIN[lang].fullmatch(between) if len(between) <= 9 else None
            if join and (join.group().strip().lower() not in ("und", "and")
                         or _RANGE_OPEN[lang].search(text, max(0, current.start - 12), current.start)):
                low, high = current.low, following.high
                year_like = current.year_like and following.year_like  # "2022-2023"
                joined.append(NumberMention(current.start, following.end, (low + high) / 2, low, high, current.vague, year_like))
                index += 2
                continue
        joined.append(current)
        index += 1
    return joined


def find_numbers(text: str, lang: str = "de") -> list[NumberMention]:
    """Every number in ``text``: single values, ranges ("10.000 bis 12.000") and vague magnitudes.

    Spans are in ``text`` as given, although digits and spaces are read after Unicode normalisation.
    """
    lang = _lang(lang)
    normal, removed = _normalised(text[:MAX_TEXT_CHARS], lang)
    mentions = _join_ranges(normal, _singles(normal, lang, lone_article_is_number=False), lang)
    if not removed:
        return mentions
    return [m._replace(start=s, end=e) for m in mentions for s, e in [_original_span(m.start, m.end, removed)]]


def parse_number(text: str, lang: str = "de") -> float | None:
    """The value of one written number ("11.000", "elf tausend", "1,5 Millionen"); None if it is none."""
    lang = _lang(lang)
    normal, _ = _normalised(text[:MAX_TEXT_CHARS].strip(), lang)
    singles = _singles(normal, lang, lone_article_is_number=True)  # alone, "eins" and "one" are numbers
    if len(singles) == 1 and (singles[0].start, singles[0].end) == (0, len(normal)) and not singles[0].vague:
        return singles[0].value
    return None
