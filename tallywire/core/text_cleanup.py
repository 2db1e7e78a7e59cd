"""Clean article text before anything reads it, above all text that came out of PDFs and print layouts.

Such text (seed 003) is hard-wrapped at a fixed width, hyphenates words across lines, breaks a
sentence around a block of links or a page header, and stands headings between blank lines. Web text
(one paragraph per line) is left as it is apart from whitespace, so headings stay on their own lines.
"""

from __future__ import annotations

import re
import statistics
import unicodedata

_URL_LINE = re.compile(r"^\s*(?:https?://|www\.)\S*\s*$")
# Stray page furniture: "Seite 3", "- 2 -", "3 / 12", a bare page number.
_PAGE_HEADER = re.compile(
    r"^\s*(?:(?:seite|page)\s+\d{1,4}(?:\s*(?:/|von|of)\s*\d{1,4})?|[-–]\s*\d{1,4}\s*[-–]|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$", re.I
)
_SENTENCE_END = tuple(".!?:;…\"“”»«)")
_SOFT_HYPHEN = "\u00ad"
# A wrapped line is rarely longer than this; web paragraphs almost always are.
_WRAP_WIDTH = 100


def clean_text(text: str) -> str:
    """Normalise whitespace; unwrap hard-wrapped text and undo line-end hyphenation; drop link lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace(_SOFT_HYPHEN, "").replace("\u00a0", " ")
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if not (_URL_LINE.match(line) or _PAGE_HEADER.match(line))]
    paragraphs = _paragraphs(lines) if _is_hard_wrapped(lines) else [line for line in lines if line]
    return "\n".join(re.sub(r"[ \t]+", " ", p) for p in paragraphs).strip()


def _is_hard_wrapped(lines: list[str]) -> bool:
    lengths = [len(line) for line in lines if line]
    if len(lengths) < 6:
        return False
    short = sum(1 for n in lengths if n <= _WRAP_WIDTH)
    return short / len(lengths) >= 0.9 and statistics.median(lengths) >= 25


def _paragraphs(lines: list[str]) -> list[str]:
    """Join wrapped lines into paragraphs; a blank line ends one unless the sentence runs on."""
    paragraphs: list[str] = []
    current = ""
    blank_before = False
    for line in lines:
        if not line:
            blank_before = True
            continue
        if current and blank_before and not _runs_on(current, line):
            paragraphs.append(current)
            current = ""
        current = _join(current, line) if current else line
        blank_before = False
    if current:
        paragraphs.append(current)
    return paragraphs


def _runs_on(paragraph: str, next_line: str) -> bool:
    """A sentence broken by a blank line (a link block, a page break) continues after it."""
    if paragraph.endswith(_SENTENCE_END):
        return False
    # A short unpunctuated paragraph is a heading; a long one was cut mid-sentence.
    return len(paragraph) > 60 or next_line[:1].islower()


def _join(left: str, right: str) -> str:
    if left.endswith("-") and len(left) > 1 and left[-2].isalpha():
        # "Verbün-" + "deten" is one word; "NATO-" + "Verbündeten" keeps its hyphen.
        return left[:-1] + right if right[:1].islower() else left + right
    return f"{left} {right}"
