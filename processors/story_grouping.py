"""Copies, stories and events for a stream of articles, one article at a time. Pure: no Kafka in it.

- copy: near-exact duplicate (MinHash of word 5-shingles, Jaccard at least ``copy_threshold``);
- story: the same report, translated or lightly rewritten: most sentences of each text have a close
  counterpart in the other (the mean best sentence match, taken both ways, the lower of the two, at
  least ``story_threshold``). Whole-document similarity cannot draw this line: other outlets' reports
  of the same event score as high as a translation;
- event: the same news event by other outlets: document cosine at least ``event_threshold``.

Thresholds come from cross-validation on the labelled dev sets (``processors.story_eval``). A new
group's id is the id of its first article. Articles older than the window fall out of the index.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import numpy as np
from datasketch import MinHash, MinHashLSH

from processors.sentence_embedder import article_sentences, embed


@dataclass(frozen=True)
class GroupingParams:
    story_threshold: float = 0.575
    event_threshold: float = 0.56
    copy_threshold: float = 0.8
    candidates: int = 20  # stored articles, nearest by document, compared sentence by sentence
    window_days: float = 7.0
    minhash_permutations: int = 64
    version: str = "grouping-2026.11.24"

    def describe(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


@dataclass(frozen=True)
class Grouping:
    duplicate_of: str
    story_id: str
    event_id: str
    story_similarity: float
    event_similarity: float


@dataclass
class _Stored:
    article_id: str
    published: datetime | None
    sentences: np.ndarray  # int8, one row per sentence: 512 bytes a sentence
    grouping: Grouping


_WORD = re.compile(r"\w+")
_INT8_SCALE = 127.0


def story_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """How much of each text has a counterpart in the other: the lower mean best sentence match."""
    if not len(a) or not len(b):
        return 0.0
    matches = a @ b.T
    return float(min(matches.max(axis=1).mean(), matches.max(axis=0).mean()))


def document_vector(sentences: np.ndarray) -> np.ndarray:
    mean = sentences.mean(axis=0) if len(sentences) else np.zeros(512, dtype=np.float32)
    norm = np.linalg.norm(mean)
    return (mean / norm if norm else mean).astype(np.float32)


def minhash(text: str, permutations: int) -> MinHash:
    words = _WORD.findall(text.lower())
    signature = MinHash(num_perm=permutations, seed=7)
    shingles = {" ".join(words[i : i + 5]).encode("utf-8") for i in range(max(1, len(words) - 4))}
    signature.update_batch(list(shingles))
    return signature


class StoryGrouper:
    def __init__(self, params: GroupingParams | None = None) -> None:
        self.params = params or GroupingParams()
        self._stored: dict[str, _Stored] = {}
        self._order: list[str] = []  # row i of the document matrix belongs to _order[i]
        self._buffer = np.zeros((1024, 512), dtype=np.float32)  # grows by doubling: appends stay O(1)
        self._minhashes: dict[str, MinHash] = {}
        self._lsh = MinHashLSH(threshold=self.params.copy_threshold, num_perm=self.params.minhash_permutations)
        self._newest: datetime | None = None

    def __len__(self) -> int:
        return len(self._stored)

    def bytes_per_article(self) -> float:
        """Index memory per stored article: sentence rows, document row, MinHash."""
        if not self._stored:
            return 0.0
        sentence_bytes = sum(s.sentences.nbytes for s in self._stored.values())
        return sentence_bytes / len(self._stored) + 512 * 4 + self.params.minhash_permutations * 8

    @property
    def _documents(self) -> np.ndarray:
        return self._buffer[: len(self._order)]

    def assign(self, article_id: str, text: str, lang: str = "de", published_at: datetime | None = None) -> Grouping:
        if article_id in self._stored:
            return self._stored[article_id].grouping
        if published_at and (self._newest is None or published_at > self._newest):
            self._newest = published_at
            self._expire()
        vectors = embed(article_sentences(text) or [" ".join(text.split())[:2000]])
        document = document_vector(vectors)
        signature = minhash(text, self.params.minhash_permutations)
        grouping = self._copy_of(signature) or self._grouping(article_id, vectors, document)
        self._store(article_id, published_at, vectors, document, signature, grouping)
        return grouping

    def _copy_of(self, signature: MinHash) -> Grouping | None:
        best_id, best = "", 0.0
        for candidate in self._lsh.query(signature):
            similarity = signature.jaccard(self._minhashes[candidate])
            if similarity > best:
                best_id, best = candidate, similarity
        if best < self.params.copy_threshold:
            return None
        original = self._stored[best_id].grouping
        return Grouping(best_id, original.story_id, original.event_id, 1.0, 1.0)

    def _grouping(self, article_id: str, vectors: np.ndarray, document: np.ndarray) -> Grouping:
        if not self._order:
            return Grouping("", article_id, article_id, 1.0, 1.0)
        document_scores = self._documents @ document
        nearest = np.argsort(-document_scores)[: self.params.candidates]
        story_row, story_score = -1, 0.0
        for row in nearest:
            stored = self._stored[self._order[row]]
            score = story_similarity(vectors, stored.sentences.astype(np.float32) / _INT8_SCALE)
            if score > story_score:
                story_row, story_score = int(row), score
        if story_score >= self.params.story_threshold:
            matched = self._stored[self._order[story_row]].grouping
            return Grouping("", matched.story_id, matched.event_id, story_score, float(document_scores[story_row]))
        event_row = int(nearest[0])
        event_score = float(document_scores[event_row])
        if event_score >= self.params.event_threshold:
            event_id = self._stored[self._order[event_row]].grouping.event_id
            return Grouping("", article_id, event_id, story_score, event_score)
        return Grouping("", article_id, article_id, story_score, event_score)

    def _store(
        self,
        article_id: str,
        published: datetime | None,
        vectors: np.ndarray,
        document: np.ndarray,
        signature: MinHash,
        grouping: Grouping,
    ) -> None:
        quantised = np.clip(np.round(vectors * _INT8_SCALE), -127, 127).astype(np.int8)
        self._stored[article_id] = _Stored(article_id, published, quantised, grouping)
        if len(self._order) == len(self._buffer):
            self._buffer = np.vstack([self._buffer, np.zeros_like(self._buffer)])
        self._buffer[len(self._order)] = document
        self._order.append(article_id)
        self._minhashes[article_id] = signature
        self._lsh.insert(article_id, signature)

    def _expire(self) -> None:
        """Drop articles published more than the window before the newest one."""
        assert self._newest is not None
        cutoff = self._newest - timedelta(days=self.params.window_days)
        expired = [a for a in self._order if (p := self._stored[a].published) is not None and p < cutoff]
        if not expired:
            return
        gone = set(expired)
        keep = [i for i, a in enumerate(self._order) if a not in gone]
        self._buffer[: len(keep)] = self._buffer[keep]
        self._order = [self._order[i] for i in keep]
        for article_id in expired:
            del self._stored[article_id]
            self._lsh.remove(article_id)
            del self._minhashes[article_id]
