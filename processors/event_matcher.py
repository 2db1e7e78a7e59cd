"""Event similarity of two articles, and the cheap signals that pick which stored articles to compare.

Different outlets' reports of one event share the topic, not the sentences: document-level similarity
carries over between data sets where sentence-alignment thresholds do not (SemEval-2022 Task 8).
Candidate signals must hold across languages: numbers, names, and coarse buckets of the multilingual
document vector, so that a pair with neither figures nor names in common can still meet.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from processors.sentences import sentences

MAX_NUMBER_SIGNALS = 16
MAX_NAME_SIGNALS = 24
# 8 buckets of 6 random-hyperplane bits: documents at cosine 0.7 share one with probability ~0.85.
VECTOR_BANDS = 8
VECTOR_BITS = 6
_NUMBER = re.compile(r"\d[\d.,']*\d|\d")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_HYPERPLANES = np.random.default_rng(2022).standard_normal((VECTOR_BANDS * VECTOR_BITS, 1024)).astype(np.float32)


def event_similarity(document_a: np.ndarray, document_b: np.ndarray) -> float:
    """Cosine of the two document vectors (``sentence_embedder.document_vector``)."""
    return float(document_a @ document_b)


def candidate_signals(cleaned_text: str, document: np.ndarray) -> list[str]:
    """At most 48 keys; stored articles sharing the most keys with a new one are compared with it."""
    return [f"n:{n}" for n in _numbers(cleaned_text)] + [f"p:{p}" for p in _names(cleaned_text)] + _vector_buckets(document)


def _numbers(text: str) -> list[str]:
    """Digits only, so that 11.000 (de) and 11,000 (en) meet; single digits say nothing."""
    digits = Counter(re.sub(r"\D", "", n) for n in _NUMBER.findall(text))
    return [d for d, _ in digits.most_common() if len(d) >= 2][:MAX_NUMBER_SIGNALS]


def _names(text: str) -> list[str]:
    """Capitalised words not opening a sentence, the most repeated first: names in English; in German
    nouns too, which still say what the text is about."""
    found: Counter[str] = Counter()
    for sentence in sentences(text):
        for word in _WORD.findall(sentence.text)[1:]:
            if len(word) >= 4 and word[0].isupper():
                found[word.lower()] += 1
    return [w for w, _ in sorted(found.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))][:MAX_NAME_SIGNALS]


def _vector_buckets(document: np.ndarray) -> list[str]:
    bits = (_HYPERPLANES @ document > 0).reshape(VECTOR_BANDS, VECTOR_BITS)
    return [f"v:{band}:{int(''.join('1' if b else '0' for b in row), 2)}" for band, row in enumerate(bits)]
