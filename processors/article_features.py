"""What the grouping keeps of one article: the expensive, store-free part of the stories stage.

``article_features`` cleans the text, embeds it (``sentence_embedder``), signs it for copies
(``copy_detector``) and pulls out the numbers, names and places the event signals read
(``event_matcher``). It reads no state, so a worker can run it anywhere (in a thread, on another
partition) and hand the result on as bytes; ``StoryGrouper.assign_features`` then does only the cheap
store work.

Bytes (``to_bytes``): a JSON header (id, language, time, numbers, names, places) and three arrays: the
MinHash (64 x uint32 = 256 B), the document vector (1,024 x int8) and up to MAX_SENTENCES sentence rows
(512 x int8 each): at most 1.3 KB + 16 KB + the header, about 6-10 KB for a news article of 10-16
kept sentences.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from tallywire.core.text_cleanup import clean_text
from processors.copy_detector import PERMUTATIONS, band_keys, copy_signature
from processors.event_matcher import MAX_NAME_KEYS, EventView, names, numbers, places, vector_buckets
from processors.sentence_embedder import DIM, dequantise, embed_article, quantise


@dataclass(frozen=True)
class ArticleFeatures:
    article_id: str
    lang: str
    published_at: datetime | None
    numbers: tuple[str, ...]  # digit strings of at least two digits, most frequent first
    names: tuple[str, ...]  # lower-cased capitalised words, most frequent first
    minhash: np.ndarray  # uint32 (PERMUTATIONS,)
    document: np.ndarray  # int8 (2 * DIM,): quantised ``sentence_embedder.document_vector``
    sentences: np.ndarray  # int8 (n, DIM): quantised sentence rows in text order, n <= MAX_SENTENCES
    places: tuple[str, ...] = ()  # gazetteer names of the places named, first mentioned first

    def document_vector(self) -> np.ndarray:
        return dequantise(self.document)

    def sentence_rows(self) -> np.ndarray:
        return dequantise(self.sentences)

    def event_view(self) -> EventView:
        return EventView(self.lang, self.document_vector(), dequantise(self.sentences[0]), self.names, self.numbers,
                         self.places)

    def candidate_keys(self) -> list[str]:
        """The store's posting-list keys this article goes under: MinHash bands for copies, numbers,
        names and document-vector buckets for stories and events."""
        return (
            [f"c:{key}" for key in band_keys(self.minhash)]
            + [f"k:n:{n}" for n in self.numbers]
            + [f"k:p:{p}" for p in self.names[:MAX_NAME_KEYS]]
            + [f"k:{key}" for key in vector_buckets(self.document_vector())]
        )

    def to_bytes(self) -> bytes:
        header = json.dumps(
            [self.article_id, self.lang, self.published_at.isoformat() if self.published_at else None,
             list(self.numbers), list(self.names), list(self.places)],
            ensure_ascii=False, separators=(",", ":"),
        ).encode("utf-8")
        return (
            struct.pack(">I", len(header)) + header
            + self.minhash.astype(np.uint32).tobytes() + self.document.astype(np.int8).tobytes()
            + self.sentences.astype(np.int8).tobytes()
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> ArticleFeatures:
        (length,) = struct.unpack_from(">I", raw)
        # Records stored before places were kept have a five-field header: they name no places.
        article_id, lang, published_at, found_numbers, found_names, *found_places = json.loads(raw[4 : 4 + length])
        at = 4 + length
        minhash = np.frombuffer(raw, dtype=np.uint32, count=PERMUTATIONS, offset=at)
        at += PERMUTATIONS * 4
        document = np.frombuffer(raw, dtype=np.int8, count=2 * DIM, offset=at)
        sentences = np.frombuffer(raw, dtype=np.int8, offset=at + 2 * DIM).reshape(-1, DIM)
        return cls(
            article_id, lang, datetime.fromisoformat(published_at) if published_at else None,
            tuple(found_numbers), tuple(found_names), minhash, document, sentences,
            tuple(found_places[0]) if found_places else (),
        )


def article_features(article_id: str, text: str, lang: str, published_at: datetime | None = None) -> ArticleFeatures:
    """Everything the grouping needs from the text; no store access."""
    cleaned = clean_text(text)
    vectors = embed_article(cleaned)
    return ArticleFeatures(
        article_id, lang, published_at, tuple(numbers(cleaned)), tuple(names(cleaned)),
        copy_signature(cleaned), quantise(vectors.document), quantise(vectors.sentences), tuple(places(cleaned, lang)),
    )
