"""Copies, stories and events for a stream of articles, one article at a time. Pure: no Kafka in it.

- copy: near-exact duplicate (``copy_detector``: MinHash of word 3-shingles, Jaccard >= copy_threshold);
- story: the same report, translated or lightly rewritten (``story_matcher``: in-order sentence
  alignment >= story_threshold);
- event: the same news event told by another outlet (``event_matcher``: document cosine >= the event
  threshold for a same-language or a cross-language pair, calibrated apart: cross-validation on SemEval
  put the same-language line near 0.58 and the cross-language one near 0.65).

The state that must survive a restart is ``records``, article id -> the article's record (grouping,
day, its keys, MinHash, int8 vectors): a str -> bytes mapping, a changelog-backed Faust table in the
pipeline, written once per article. Everything else is an ``index`` in memory, derived from the
records (``rebuild_index``), so that a lookup touches few keys and the changelog carries no
rewritten posting lists:

- ``k:<signal>`` / ``c:<band>``: newline-separated ids of the latest ``posting_cap`` articles with that
  candidate signal (number, name, vector bucket) or MinHash band;
- ``d:<YYYY-MM-DD>``: how many articles were published that day, ``d:<YYYY-MM-DD>:<n>``: their ids
  in chunks of DAY_CHUNK; ``m:days``, ``m:newest``: the clock.

Bytes per stored article: record ~1.4 KB + 512 per sentence (at most 32: <= 18 KB), plus its id in
at most 64 posting lists. Articles leave the store once their day lies wholly before the newest
published_at minus the window (at most a day late); undated articles take the newest time seen.
A new group's id is the id of its first article.
"""

from __future__ import annotations

import json
import logging
import struct
from collections import Counter
from collections.abc import MutableMapping
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

import numpy as np

from ingest.text_cleanup import clean_text
from processors.copy_detector import PERMUTATIONS, band_keys, copy_signature, copy_similarity
from processors.event_matcher import candidate_signals, event_similarity
from processors.sentence_embedder import DIM, dequantise, embed_article, quantise
from processors.story_matcher import story_similarity

log = logging.getLogger(__name__)

UNDATED = "undated"
DAY_CHUNK = 256


@dataclass(frozen=True)
class GroupingParams:
    # Chosen by 5-fold cross-validation on the dev sets: python -m processors.story_eval --cv
    story_threshold: float = 0.262
    event_threshold_same_lang: float = 0.578
    event_threshold_cross_lang: float = 0.648
    copy_threshold: float = 0.6
    candidates: int = 24  # stored articles sharing the most signals, compared in full
    posting_cap: int = 200  # ids kept per signal key: bounds the work per article as the store grows
    window_days: float = 7.0
    version: str = "grouping-2"

    def describe(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    def event_threshold(self, lang_a: str, lang_b: str) -> float:
        return self.event_threshold_same_lang if lang_a == lang_b else self.event_threshold_cross_lang


@dataclass(frozen=True)
class Grouping:
    duplicate_of: str
    story_id: str
    event_id: str
    story_similarity: float
    event_similarity: float


@dataclass(frozen=True)
class StoredArticle:
    article_id: str
    lang: str
    day: str
    keys: tuple[str, ...]  # its posting-list keys, to take it out of them on expiry
    grouping: Grouping
    minhash: np.ndarray  # uint32 (PERMUTATIONS,)
    document: np.ndarray  # int8 (2 * DIM,)
    sentences: np.ndarray  # int8 (n, DIM)


def encode_record(article: StoredArticle) -> bytes:
    header = json.dumps(
        [article.article_id, article.lang, article.day, list(article.keys), list(asdict(article.grouping).values())],
        separators=(",", ":"),
    ).encode("utf-8")
    body = article.minhash.astype(np.uint32).tobytes() + article.document.tobytes() + article.sentences.tobytes()
    return struct.pack(">I", len(header)) + header + body


def decode_record(raw: bytes) -> StoredArticle:
    (length,) = struct.unpack_from(">I", raw)
    article_id, lang, day, keys, grouping = json.loads(raw[4 : 4 + length])
    minhash, document, sentences = _arrays(raw, 4 + length)
    return StoredArticle(article_id, lang, day, tuple(keys), Grouping(*grouping), minhash, document, sentences)


@dataclass(frozen=True)
class ArticleFeatures:
    """What grouping needs of an article, computed without the store: the expensive part (cleaning,
    embedding, hashing), so that it can run on any worker and travel in a message."""

    article_id: str
    lang: str
    published_at: datetime | None
    copy_keys: tuple[str, ...]
    signal_keys: tuple[str, ...]
    minhash: np.ndarray  # uint32 (PERMUTATIONS,)
    document: np.ndarray  # int8 (2 * DIM,)
    sentences: np.ndarray  # int8 (n, DIM)

    def to_bytes(self) -> bytes:
        published = self.published_at.isoformat() if self.published_at else None
        header = json.dumps([self.article_id, self.lang, published, list(self.copy_keys), list(self.signal_keys)],
                            separators=(",", ":")).encode("utf-8")
        body = self.minhash.astype(np.uint32).tobytes() + self.document.tobytes() + self.sentences.tobytes()
        return struct.pack(">I", len(header)) + header + body

    @classmethod
    def from_bytes(cls, raw: bytes) -> ArticleFeatures:
        (length,) = struct.unpack_from(">I", raw)
        article_id, lang, published, copy_keys, signal_keys = json.loads(raw[4 : 4 + length])
        minhash, document, sentences = _arrays(raw, 4 + length)
        return cls(article_id, lang, datetime.fromisoformat(published) if published else None,
                   tuple(copy_keys), tuple(signal_keys), minhash, document, sentences)


def article_features(article_id: str, text: str, lang: str, published_at: datetime | None = None) -> ArticleFeatures:
    cleaned = clean_text(text)
    vectors = embed_article(cleaned)
    minhash = copy_signature(cleaned)
    return ArticleFeatures(
        article_id, lang, published_at,
        tuple(f"c:{key}" for key in band_keys(minhash)),
        tuple(f"k:{key}" for key in candidate_signals(cleaned, vectors.document)),
        minhash, quantise(vectors.document), quantise(vectors.sentences),
    )


def _arrays(raw: bytes, at: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    minhash = np.frombuffer(raw, dtype=np.uint32, count=PERMUTATIONS, offset=at)
    at += PERMUTATIONS * 4
    document = np.frombuffer(raw, dtype=np.int8, count=2 * DIM, offset=at)
    sentences = np.frombuffer(raw, dtype=np.int8, offset=at + 2 * DIM).reshape(-1, DIM)
    return minhash, document, sentences


@dataclass(frozen=True)
class _Scored:
    article: StoredArticle
    copy: float
    story: float
    event: float


class StoryGrouper:
    def __init__(self, records: MutableMapping[str, bytes] | None = None, params: GroupingParams = GroupingParams()) -> None:
        self.records: MutableMapping[str, bytes] = {} if records is None else records
        self.params = params
        self.rebuild_index()

    def rebuild_index(self) -> None:
        """Derive the index from the records, e.g. after a restarted worker recovered them."""
        self.index: dict[str, bytes] = {}
        for raw in list(self.records.values()):
            self._index_record(decode_record(raw))

    def stored(self, article_id: str) -> StoredArticle | None:
        raw = self.records.get(article_id)
        return decode_record(raw) if raw is not None else None

    def assign(self, article_id: str, text: str, lang: str, published_at: datetime | None = None) -> Grouping:
        return self.assign_features(article_features(article_id, text, lang, published_at))

    def assign_features(self, features: ArticleFeatures) -> Grouping:
        """Group an article whose features are already computed: store lookups and a decision only."""
        known = self.stored(features.article_id)
        if known is not None:
            return known.grouping  # a replay: the grouping it was given the first time
        day = self._advance_clock(features.published_at)
        sentences, document = dequantise(features.sentences), dequantise(features.document)
        scored = [
            self._score(candidate, features.minhash, sentences, document)
            for candidate in self._candidates(list(features.copy_keys), list(features.signal_keys))
        ]
        grouping = decide(features.article_id, features.lang, scored, self.params)
        record = StoredArticle(
            features.article_id, features.lang, day, features.copy_keys + features.signal_keys, grouping,
            features.minhash, features.document, features.sentences,
        )
        self.store_article(record)
        return grouping

    def _candidates(self, copy_keys: list[str], signal_keys: list[str]) -> list[StoredArticle]:
        """The stored articles sharing the most copy bands, and those sharing the most signals: at most
        2 * candidates, however many articles share a common name or a template's shingles."""
        chosen: dict[str, None] = {}  # ordered: first stored first on ties, so replays decide alike
        for keys in (copy_keys, signal_keys):
            shared = Counter(i for key in keys for i in self._posting(key))
            chosen.update((i, None) for i, _ in shared.most_common(self.params.candidates))
        found = (self.stored(i) for i in chosen)
        return [article for article in found if article is not None]

    @staticmethod
    def _score(candidate: StoredArticle, minhash: np.ndarray, sentences: np.ndarray, document: np.ndarray) -> _Scored:
        return _Scored(
            candidate,
            copy=copy_similarity(minhash, candidate.minhash),
            story=story_similarity(sentences, dequantise(candidate.sentences)),
            event=event_similarity(document, dequantise(candidate.document)),
        )

    def _posting(self, key: str) -> list[str]:
        raw = self.index.get(key)
        return raw.decode("utf-8").split("\n") if raw else []

    def store_article(self, record: StoredArticle) -> None:
        """Keep a grouped article's record and put its id into its posting lists."""
        self.records[record.article_id] = encode_record(record)
        self._index_record(record)

    def _index_record(self, record: StoredArticle) -> None:
        for key in record.keys:
            ids = self._posting(key)
            ids.append(record.article_id)
            self.index[key] = "\n".join(ids[-self.params.posting_cap :]).encode("utf-8")
        self._add_to_day(record.day, record.article_id)

    def _add_to_day(self, day: str, article_id: str) -> None:
        """Day lists come in chunks of DAY_CHUNK ids, so that adding one rewrites a bounded value."""
        count = int(self.index.get(f"d:{day}", b"0"))
        chunk = f"d:{day}:{count // DAY_CHUNK}"
        self.index[chunk] = "\n".join(self._posting(chunk) + [article_id]).encode("utf-8")
        self.index[f"d:{day}"] = str(count + 1).encode()
        if count == 0:
            self.index["m:days"] = json.dumps(sorted(self._days() | {day})).encode("utf-8")

    def _days(self) -> set[str]:
        raw = self.index.get("m:days")
        return set(json.loads(raw)) if raw else set()

    def _advance_clock(self, published_at: datetime | None) -> str:
        """The article's day; a newer publication time moves the window on and expires what fell out."""
        raw = self.index.get("m:newest")
        newest = datetime.fromisoformat(raw.decode()) if raw else None
        if published_at is None:
            return newest.date().isoformat() if newest else UNDATED
        if newest is None or published_at > newest:
            self.index["m:newest"] = published_at.isoformat().encode()
            self._expire_before((published_at - timedelta(days=self.params.window_days)).date().isoformat())
        return published_at.date().isoformat()

    def _expire_before(self, cutoff_day: str) -> None:
        days = self._days()
        old = sorted(d for d in days if d != UNDATED and d < cutoff_day)
        for day in old:
            for chunk in range((int(self.index.pop(f"d:{day}")) - 1) // DAY_CHUNK + 1):
                for article_id in self._posting(f"d:{day}:{chunk}"):
                    self._forget(article_id)
                del self.index[f"d:{day}:{chunk}"]
        if old:
            self.index["m:days"] = json.dumps(sorted(days - set(old))).encode("utf-8")
            log.debug("expired the days %s", old)

    def _forget(self, article_id: str) -> None:
        article = self.stored(article_id)
        if article is None:
            return
        for key in article.keys:
            ids = [i for i in self._posting(key) if i != article_id]
            if ids:
                self.index[key] = "\n".join(ids).encode("utf-8")
            elif key in self.index:
                del self.index[key]
        del self.records[article_id]


def decide(article_id: str, lang: str, scored: list[_Scored], params: GroupingParams) -> Grouping:
    """Copy of the closest copy, else the story of the closest story match, else the event of the
    closest event match (by margin over its language pair's threshold), else new story and event."""
    story_score = max((s.story for s in scored), default=0.0)
    event_score = max((s.event for s in scored), default=0.0)
    copy = max(scored, key=lambda s: s.copy, default=None)
    if copy is not None and copy.copy >= params.copy_threshold:
        original = copy.article.grouping
        return Grouping(original.duplicate_of or copy.article.article_id, original.story_id, original.event_id,
                        story_score, event_score)
    story = max(scored, key=lambda s: s.story, default=None)
    if story is not None and story.story >= params.story_threshold:
        return Grouping("", story.article.grouping.story_id, story.article.grouping.event_id, story_score, event_score)
    event = max(scored, key=lambda s: s.event - params.event_threshold(lang, s.article.lang), default=None)
    if event is not None and event.event >= params.event_threshold(lang, event.article.lang):
        return Grouping("", article_id, event.article.grouping.event_id, story_score, event_score)
    return Grouping("", article_id, article_id, story_score, event_score)
