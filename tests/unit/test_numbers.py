"""Reading numbers: digits in German and English conventions, words, scales, vague magnitudes, ranges."""

from __future__ import annotations

import math
import sys
import time
import unicodedata
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.numbers import MAX_VALUE, find_numbers, parse_number
from tests.unit.number_words import english, german

BILLION = 10**9


@given(st.integers(min_value=0, max_value=BILLION))
def test_german_thousands_dots_read_back(n: int) -> None:
    assert parse_number(f"{n:,}".replace(",", "."), "de") == n


@given(st.integers(min_value=0, max_value=BILLION))
def test_english_thousands_commas_read_back(n: int) -> None:
    assert parse_number(f"{n:,}", "en") == n


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=BILLION))
def test_german_words_read_back(n: int) -> None:
    assert parse_number(german(n), "de") == n


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=BILLION))
def test_english_words_read_back(n: int) -> None:
    assert parse_number(english(n), "en") == n


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("11.000", "de", 11000), ("11,000", "en", 11000), ("1,5 Millionen", "de", 1_500_000),
        ("1.5 million", "en", 1_500_000), ("2,3 Mio.", "de", 2_300_000), ("elf tausend", "de", 11000),
        ("elftausend", "de", 11000), ("Elf Tausend", "de", 11000), ("eleven thousand", "en", 11000),
        ("zwei Dutzend", "de", 24), ("two dozen", "en", 24), ("eine Milliarde", "de", BILLION),
        ("eine Billion", "de", 10**12), ("a billion", "en", BILLION), ("eins", "de", 1), ("one", "en", 1),
        ("12 000", "de", 12000),
    ],
)
def test_written_numbers(text: str, lang: str, value: float) -> None:
    assert parse_number(text, lang) == value


@pytest.mark.parametrize(
    ("text", "lang", "low", "high"),
    [
        ("10.000 bis 12.000 Soldaten", "de", 10000, 12000),
        ("zwischen 10.000 und 12.000 Soldaten", "de", 10000, 12000),
        ("between 10,000 and 12,000 troops", "en", 10000, 12000),
        ("10,000-12,000 troops", "en", 10000, 12000),
        ("Zehntausende Soldaten", "de", 10000, 99999),
        ("Zehntausenden Soldaten", "de", 10000, 99999),
        ("tens of thousands of troops", "en", 10000, 99999),
        ("hunderte Menschen", "de", 100, 999),
    ],
)
def test_ranges_and_vague_magnitudes(text: str, lang: str, low: float, high: float) -> None:
    [mention] = find_numbers(text, lang)
    assert (mention.low, mention.high) == (low, high)


def test_articles_are_not_numbers_in_running_text() -> None:
    assert find_numbers("ein Mann und eine Frau", "de") == []
    assert find_numbers("one of the soldiers", "en") == []
    assert [m.value for m in find_numbers("eine Million Menschen", "de")] == [1_000_000]


@given(st.text(max_size=300))
def test_any_text_is_read_without_error(text: str) -> None:
    for lang in ("de", "en"):
        for mention in find_numbers(text, lang):
            assert 0 <= mention.start < mention.end <= len(text)
            assert mention.low <= mention.value <= mention.high


@pytest.mark.parametrize("hostile", ["1." * 500_000, "1," * 500_000, "1" * 1_000_000, "1 " * 500_000, "elf " * 250_000])
def test_a_megabyte_of_digits_and_dots_is_read_in_seconds_not_minutes(hostile: str) -> None:
    # Guards against regex backtracking, which takes minutes on such input; the bound leaves room for
    # a loaded CI machine (up to 0.6 s here when idle, over 1 s beside a second test worker and a CI run).
    started = time.perf_counter()
    find_numbers(hostile, "de")
    find_numbers(hostile, "en")
    assert time.perf_counter() - started < 4.0


# (text, lang, value or (low, high), the span's text): every form the reader covers.
FORMS = [
    # German words
    ("ein halbes Dutzend Soldaten", "de", 6, "ein halbes Dutzend"),
    ("ein Dutzend Panzer", "de", 12, "ein Dutzend"),
    ("zwei Dutzend Panzer", "de", 24, "zwei Dutzend"),
    ("eine halbe Million Menschen", "de", 500_000, "eine halbe Million"),
    ("mit einer halben Million Menschen", "de", 500_000, "einer halben Million"),
    ("anderthalb Millionen Flüchtlinge", "de", 1_500_000, "anderthalb Millionen"),
    ("eineinhalb Millionen Flüchtlinge", "de", 1_500_000, "eineinhalb Millionen"),
    ("dreieinhalb Millionen Flüchtlinge", "de", 3_500_000, "dreieinhalb Millionen"),
    ("zweieinhalbtausend Soldaten", "de", 2500, "zweieinhalbtausend"),
    ("zweihundertfünfundvierzigtausend Menschen", "de", 245_000, "zweihundertfünfundvierzigtausend"),
    ("Zweihundertfuenfundvierzigtausend Menschen", "de", 245_000, "Zweihundertfuenfundvierzigtausend"),
    ("fuenfhundert Soldaten", "de", 500, "fuenfhundert"),
    ("zwoelf Soldaten", "de", 12, "zwoelf"),
    ("dreissig Soldaten", "de", 30, "dreissig"),
    ("neunzehnhundertneunzig", "de", 1990, "neunzehnhundertneunzig"),
    ("zwei Millionen dreihunderttausend Menschen", "de", 2_300_000, "zwei Millionen dreihunderttausend"),
    ("eine Milliarde Euro", "de", 10**9, "eine Milliarde"),
    ("zwei Billionen Euro", "de", 2 * 10**12, "zwei Billionen"),
    # German digits
    ("1,5 Mio. Menschen", "de", 1_500_000, "1,5 Mio."),
    ("2 Mrd. Euro", "de", 2 * 10**9, "2 Mrd."),
    ("3 Billionen Euro", "de", 3 * 10**12, "3 Billionen"),
    ("5 Tsd. Soldaten", "de", 5000, "5 Tsd."),
    ("11.000 Soldaten", "de", 11_000, "11.000"),
    ("1.5 Millionen", "de", 1_500_000, "1.5 Millionen"),
    ("13\u2009500 Soldaten", "de", 13_500, "13\u2009500"),
    ("13\u202f500 Soldaten", "de", 13_500, "13\u202f500"),
    ("13\u00a0500 Soldaten", "de", 13_500, "13\u00a0500"),
    ("im Jahr 2000", "de", 2000, "2000"),
    # English words
    ("a dozen tanks", "en", 12, "a dozen"),
    ("half a dozen tanks", "en", 6, "half a dozen"),
    ("half a million people", "en", 500_000, "half a million"),
    ("two and a half million people", "en", 2_500_000, "two and a half million"),
    ("a hundred soldiers", "en", 100, "a hundred"),
    ("a thousand soldiers", "en", 1000, "a thousand"),
    ("two hundred and five soldiers", "en", 205, "two hundred and five"),
    ("forty-five soldiers", "en", 45, "forty-five"),
    ("a billion dollars", "en", 10**9, "a billion"),
    # English digits
    ("1.5 million people", "en", 1_500_000, "1.5 million"),
    ("2 bn dollars", "en", 2 * 10**9, "2 bn"),
    ("3 billion dollars", "en", 3 * 10**9, "3 billion"),
    ("2.5 lakh people", "en", 250_000, "2.5 lakh"),
    ("3 crore rupees", "en", 30_000_000, "3 crore"),
    ("2000 soldiers", "en", 2000, "2000"),
    ("11,000 soldiers", "en", 11_000, "11,000"),
    ("١٤٬٤٠٠ soldiers", "en", 14_400, "١٤٬٤٠٠"),
    ("١٤٬٤٠٠ Soldaten", "de", 14_400, "١٤٬٤٠٠"),
    # Ranges
    ("20 bis 100 Soldaten", "de", (20, 100), "20 bis 100"),
    ("zwischen 20 und 100 Soldaten", "de", (20, 100), "20 und 100"),
    ("20-100 Soldaten", "de", (20, 100), "20-100"),
    ("20–100 Soldaten", "de", (20, 100), "20–100"),
    ("zwanzig bis hundert Soldaten", "de", (20, 100), "zwanzig bis hundert"),
    ("20 to 100 soldiers", "en", (20, 100), "20 to 100"),
    ("between 20 and 100 soldiers", "en", (20, 100), "20 and 100"),
    ("20 through 100 soldiers", "en", (20, 100), "20 through 100"),
    ("20–100 soldiers", "en", (20, 100), "20–100"),
    ("Hunderte bis Tausende Menschen", "de", (100, 9_999), "Hunderte bis Tausende"),
    # Vague magnitudes
    ("Dutzende Soldaten", "de", (24, 99), "Dutzende"),
    ("Hunderte Soldaten", "de", (100, 999), "Hunderte"),
    ("Tausende Soldaten", "de", (1_000, 9_999), "Tausende"),
    ("Zehntausende Soldaten", "de", (10_000, 99_999), "Zehntausende"),
    ("Hunderttausende Menschen", "de", (100_000, 999_999), "Hunderttausende"),
    ("Millionen Menschen", "de", (10**6, 10**9 - 1), "Millionen"),
    ("mehrere Tausend Soldaten", "de", (1_000, 9_999), "mehrere Tausend"),
    ("einige Hundert Soldaten", "de", (100, 999), "einige Hundert"),
    ("ein paar Dutzend Soldaten", "de", (24, 99), "ein paar Dutzend"),
    ("mehrere hunderttausend Menschen", "de", (100_000, 999_999), "mehrere hunderttausend"),
    ("dozens of soldiers", "en", (24, 99), "dozens"),
    ("scores of wounded people", "en", (40, 99), "scores"),
    ("hundreds of soldiers", "en", (100, 999), "hundreds"),
    ("thousands of soldiers", "en", (1_000, 9_999), "thousands"),
    ("tens of thousands of soldiers", "en", (10_000, 99_999), "tens of thousands"),
    ("hundreds of thousands of people", "en", (100_000, 999_999), "hundreds of thousands"),
    ("several thousand soldiers", "en", (1_000, 9_999), "several thousand"),
    ("a few dozen soldiers", "en", (24, 99), "a few dozen"),
    ("a few hundred soldiers", "en", (100, 999), "a few hundred"),
    ("a couple of hundred soldiers", "en", (100, 999), "a couple of hundred"),
    ("several hundred thousand people", "en", (100_000, 999_999), "several hundred thousand"),
    # Invisible characters inside a number are read through, and stay in its span
    ("x 13\u200b000 y", "de", 13_000, "13\u200b000"),
    ("x 13\u200f000 y", "en", 13_000, "13\u200f000"),
    ("x 13\x00000 y", "de", 13_000, "13\x00000"),
    ("x 13\u00ad000 y", "de", 13_000, "13\u00ad000"),
    ("\u200fx\u200b 1\u200b3\u200b000\u200b y", "de", 13_000, "1\u200b3\u200b000"),
]


@pytest.mark.parametrize(("text", "lang", "expected", "span"), FORMS)
def test_every_form_is_read_with_its_span(text: str, lang: str, expected: float | tuple, span: str) -> None:
    [mention] = find_numbers(text, lang)
    assert text[mention.start : mention.end] == span
    low, high = expected if isinstance(expected, tuple) else (expected, expected)
    assert (mention.low, mention.high) == (low, high)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Cal Kestis fights 40.816.38 stormtroopers.", "en"),  # a malformed digit group is no number
        ("Cal Kestis kämpft gegen 40.816.38 Sturmtruppen.", "de"),
        ("1.000.000.000.000.000.000 Soldaten", "de"),  # implausible: above MAX_VALUE
        ("1,000,000,000,000,000,000 troops", "en"),
        ("9" * 400 + " troops", "en"),
        ("eine dreiwöchige Offensive", "de"),  # a number word glued into another word
        ("ein Mann und eine Frau", "de"),
        ("one of the soldiers", "en"),
        ("half the soldiers", "en"),
        ("The scores were level at half-time.", "en"),  # "scores" counts only before "of"
        ("Version 1.2.3", "en"),
    ],
)
def test_no_number_is_read(text: str, lang: str) -> None:
    assert find_numbers(text, lang) == []


def test_years_are_numbers_marked_year_like() -> None:
    assert [m.year_like for m in find_numbers("2000 Soldaten im Jahr 2000, 2.000 Soldaten, 2200 Soldaten", "de")] == [
        True, True, False, False]
    [years] = find_numbers("2022-2023", "en")
    assert years.year_like and (years.low, years.high) == (2022, 2023)


def test_english_billion_and_german_billion_differ() -> None:
    assert parse_number("eine Billion", "de") == 10**12  # a million millions
    assert parse_number("one billion", "en") == BILLION


def _characters(*categories: str) -> list[str]:
    return [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in categories]


def test_every_unicode_format_character_inside_a_number_is_read_through() -> None:
    for invisible in _characters("Cf"):
        assert [m.value for m in find_numbers(f"13{invisible}000", "de")] == [13_000], hex(ord(invisible))


def test_every_unicode_space_is_a_thousands_separator() -> None:
    for space in _characters("Zs"):
        for lang in ("de", "en"):
            assert [m.value for m in find_numbers(f"13{space}500 soldiers", lang)] == [13_500], hex(ord(space))


def test_the_swiss_apostrophe_groups_thousands_and_nothing_else() -> None:
    for mark in "'’":
        assert [m.value for m in find_numbers(f"rund 66{mark}000 Personen, 1{mark}200 Einwohner", "de")] == [66_000, 1_200]
        assert [m.value for m in find_numbers(f"2{mark}500{mark}000 people", "en")] == [2_500_000]
    assert [m.value for m in find_numbers("in the 1990's", "en")] == [1990]


def test_digits_of_every_script_are_read() -> None:
    for zero in (c for c in _characters("Nd") if unicodedata.decimal(c) == 0):
        written = "".join(chr(ord(zero) + int(d)) for d in "14400")
        assert [m.value for m in find_numbers(f"x {written} y", "en")] == [14_400], hex(ord(zero))


def _check_mentions(text: str) -> None:
    for lang in ("de", "en"):
        for mention in find_numbers(text, lang):
            assert 0 <= mention.start < mention.end <= len(text)
            assert math.isfinite(mention.value) and 0 <= mention.low <= mention.value <= mention.high <= MAX_VALUE


@settings(max_examples=5_000, deadline=timedelta(seconds=1))
@given(st.text(max_size=300))
def test_arbitrary_text_never_raises_and_spans_lie_within_it(text: str) -> None:
    _check_mentions(text)


SOUP = "0123456789.,  \u202f\u00a0\u2009\u200b\u200f\x00\u00ad-–١٤٬٫"


@settings(max_examples=5_000, deadline=timedelta(seconds=1))
@given(st.text(alphabet=SOUP, max_size=200) | st.text(alphabet=SOUP + "MioMrdbnmillionhalfeinTausendbisto ", max_size=200))
def test_digit_and_separator_soup_never_raises_and_spans_lie_within_it(text: str) -> None:
    _check_mentions(text)


def _german(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@settings(max_examples=1_000, deadline=timedelta(seconds=1))
@given(st.integers(min_value=0, max_value=int(MAX_VALUE)), st.sampled_from([("de", _german), ("en", "{:,}".format)]))
def test_integers_with_thousands_separators_are_read_back_in_running_text(n: int, style: tuple) -> None:
    lang, written = style
    [mention] = find_numbers(f"Es waren {written(n)} Soldaten.", lang)
    assert mention.value == n
