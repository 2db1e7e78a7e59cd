"""Reading numbers: digits in German and English conventions, words, scales, vague magnitudes, ranges."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from processors.numbers import find_numbers, parse_number
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
def test_a_megabyte_of_digits_and_dots_is_read_in_under_a_second(hostile: str) -> None:
    started = time.perf_counter()
    find_numbers(hostile, "de")
    find_numbers(hostile, "en")
    assert time.perf_counter() - started < 1.0
