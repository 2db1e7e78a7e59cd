"""Text from PDFs and print layouts (seed 003): unwrapped, de-hyphenated, link lines and page furniture gone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tallywire.core.text_cleanup import clean_text
from tests.conftest import SEEDS


def test_the_hard_wrapped_seed_reads_as_paragraphs() -> None:
    cleaned = clean_text((SEEDS / "003_ec74ea791d9cc449.txt").read_text(encoding="utf-8"))
    assert "etwa 10.000 nordkoreanische Soldaten in der Kursk-Region veröffentlicht" in cleaned
    assert "Die Ukraine und ihre NATO-Verbündeten werten" in cleaned  # a hyphen that belongs stays
    assert "entfesselt Wellen von Drohnenangriffen." in cleaned  # a sentence cut by a link block is whole
    assert "https://" not in cleaned
    assert "Situation in der Kursk-Region\n" in cleaned  # a heading stays its own line


def test_words_hyphenated_across_lines_are_joined() -> None:
    wrapped = "\n".join(["Die Regierung in Kiew bat die Verbün-", "deten um weitere Luftabwehrsysteme und", "Munition für die Front im Osten des Landes."] * 3)
    assert "Verbündeten" in clean_text(wrapped)


def test_page_numbers_and_headers_are_dropped() -> None:
    text = "\n".join(["Erste Zeile eines langen Artikels über die Lage an der Front im Osten", "Seite 2 von 7", "- 3 -",
                      "zweite Zeile eines langen Artikels über die Lage an der Front im Osten"] * 3)
    cleaned = clean_text(text)
    assert "Seite 2" not in cleaned and "- 3 -" not in cleaned


def test_web_text_keeps_its_lines() -> None:
    web = "Überschrift\nEin Absatz, der lang genug ist, um ein ganzer Absatz einer Webseite zu sein. " * 2
    assert clean_text(web).count("\n") == web.strip().count("\n")


@given(st.text(max_size=2000))
def test_any_text_is_cleaned_without_error_and_idempotently(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
