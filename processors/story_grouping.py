"""Copies, stories and events for a stream of articles, one article at a time. Pure: no Kafka in it.

- copy: near-exact duplicate (``copy_detector``: MinHash of word 3-shingles, Jaccard >= copy_threshold);
- story: the same report, translated or lightly rewritten (``story_matcher``: in-order sentence
  alignment >= story_threshold);
- event: the same news event told by another outlet (``event_matcher``: one logistic model for all
  language pairs over document and lead cosine, rare shared names, numbers, places and the language
  pair, >= its one threshold).

The work is split in two so that the expensive part needs no state: ``article_features`` (clean,
embed, sign; pure, ~15 ms) and ``StoryGrouper.assign_features`` (look up candidates, decide, store;
well under a millisecond per candidate). ``assign`` is the two together.

The state that must survive a restart is ``records``: article id -> the article's record (its day,
its grouping and its ``ArticleFeatures`` bytes), a str -> bytes mapping, in the pipeline a
changelog-backed Faust table written once per article. Everything else is an ``index`` in memory,
derived from the records (``rebuild_index``, after a worker recovered them), so that a lookup touches
few keys and the changelog carries no rewritten posting lists:

- ``c:<band>`` / ``k:<signal>``: newline-separated ids of the latest ``posting_cap`` articles with that
  MinHash band or candidate signal (number, name, vector bucket);
- ``d:<YYYY-MM-DD>``: how many articles were published that day, ``d:<YYYY-MM-DD>:<n>``: their ids
  in chunks of DAY_CHUNK; ``m:days``, ``m:newest``: the clock.

Memory per stored article, bounded: the record is a header of about 0.4 KB plus the features (1.3 KB
+ 512 B per kept sentence, at most MAX_SENTENCES = 32: at most about 18 KB, 6-10 KB for a typical news
article), and its id (about 20 B) in at most 64 posting lists (16 bands, 16 numbers, 24 names, 8 vector
buckets): at most about 20 KB in all. Posting lists are capped, so the work per new article does not
grow with the store: at most 64 lists of posting_cap ids are counted and 2 * candidates records read.
Articles leave the store once their day lies wholly before the newest published_at minus
``window_days`` and ``grace_days`` (at most a day late); undated articles take the newest time seen.
Every stored article is a candidate. So an article that arrives up to ``grace_days`` behind the newest
one meets all those published within ``window_days`` before it, whichever came first: the stream's
order does not decide what it is compared with. The price: an article that arrives in order meets
those up to window + grace days older, and the store holds that many days. The grouping is greedy (an
article joins one earlier group, groups never merge), so a chain of reports longer than the span
compared can still split in some orders. A new group's id is the id of its first article.
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

from processors.article_features import ArticleFeatures, article_features
from processors.copy_detector import copy_similarity
from processors.event_matcher import event_signals, event_similarity
from processors.event_model import EVENT_MODEL
from processors.story_matcher import story_similarity

log = logging.getLogger(__name__)

UNDATED = "undated"
DAY_CHUNK = 256


@dataclass(frozen=True)
class GroupingParams:
    # What ``python -m processors.story_eval --cv`` chooses on the whole dev sets ("whole_set_choice");
    # its cross-validated figures are those of the same choice made inside each fold.
    story_threshold: float = 0.2612
    # The shipped event model (data/event_model.json): intercept, then one weight per
    # event_matcher.EVENT_SIGNALS, and the threshold on its probability.
    event_weights: tuple[float, ...] = EVENT_MODEL.weights
    event_threshold: float = EVENT_MODEL.threshold
    copy_threshold: float = 0.6
    candidates: int = 24  # stored articles sharing the most signals, compared in full
    posting_cap: int = 200  # ids kept per signal key: bounds the work per article as the store grows
    window_days: float = 7.0
    # How late an article may arrive, behind the newest publication time seen, and still meet every
    # article of its window: a feed's backlog or a folder ingested at once comes in any order.
    grace_days: float = 7.0
    version: str = "grouping-6"

    def describe(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Grouping:
    duplicate_of: str
    story_id: str
    event_id: str
    story_similarity: float
    event_similarity: float


@dataclass(frozen=True)
class StoredArticle:
    day: str
    grouping: Grouping
    features: ArticleFeatures


def encode_record(article: StoredArticle) -> bytes:
    header = json.dumps([article.day, list(asdict(article.grouping).values())], separators=(",", ":")).encode("utf-8")
    return struct.pack(">I", len(header)) + header + article.features.to_bytes()


def decode_record(raw: bytes) -> StoredArticle:
    (length,) = struct.unpack_from(">I", raw)
    day, grouping = json.loads(raw[4 : 4 + length])
    return StoredArticle(day, Grouping(*grouping), ArticleFeatures.from_bytes(raw[4 + length :]))


@dataclass(frozen=True)
class PairScores:
    """How a new article compares with one stored article."""

    copy: float
    story: float
    event: float


def pair_scores(new: ArticleFeatures, stored: ArticleFeatures, params: GroupingParams) -> PairScores:
    return PairScores(
        copy=copy_similarity(new.minhash, stored.minhash),
        story=story_similarity(new.sentence_rows(), stored.sentence_rows()),
        event=event_similarity(pair_event_signals(new, stored), params.event_weights),
    )


def pair_event_signals(a: ArticleFeatures, b: ArticleFeatures) -> np.ndarray:
    return event_signals(a.event_view(), b.event_view())


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
        """``article_features`` then ``assign_features``."""
        known = self.stored(article_id)
        if known is not None:
            return known.grouping  # a replay: no need to embed it again
        return self.assign_features(article_features(article_id, text, lang, published_at))

    def assign_features(self, features: ArticleFeatures) -> Grouping:
        """Group an article by its features against the store, and store it: the cheap, stateful part."""
        known = self.stored(features.article_id)
        if known is not None:
            return known.grouping  # a replay: the grouping it was given the first time
        day = self._advance_clock(features.published_at)
        keys = features.candidate_keys()
        scored = [(candidate, pair_scores(features, candidate.features, self.params)) for candidate in self._candidates(keys)]
        grouping = decide(features, scored, self.params)
        self.store_article(StoredArticle(day, grouping, features))
        return grouping

    def _candidates(self, keys: list[str]) -> list[StoredArticle]:
        """The stored articles sharing the most copy bands, and those sharing the most signals: at most
        2 * candidates, however many articles share a common name or a template's shingles."""
        chosen: dict[str, None] = {}  # ordered: first stored first on ties, so replays decide alike
        for group in ([k for k in keys if k.startswith("c:")], [k for k in keys if k.startswith("k:")]):
            shared = Counter(i for key in group for i in self._posting(key))
            chosen.update((i, None) for i, _ in shared.most_common(self.params.candidates))
        found = (self.stored(i) for i in chosen)
        return [article for article in found if article is not None]

    def _posting(self, key: str) -> list[str]:
        raw = self.index.get(key)
        return raw.decode("utf-8").split("\n") if raw else []

    def store_article(self, record: StoredArticle) -> None:
        """Keep a grouped article's record and put its id into its posting lists."""
        self.records[record.features.article_id] = encode_record(record)
        self._index_record(record)

    def _index_record(self, record: StoredArticle) -> None:
        article_id = record.features.article_id
        for key in record.features.candidate_keys():
            ids = self._posting(key)
            ids.append(article_id)
            self.index[key] = "\n".join(ids[-self.params.posting_cap :]).encode("utf-8")
        self._add_to_day(record.day, article_id)

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
            kept = timedelta(days=self.params.window_days + self.params.grace_days)
            self._expire_before((published_at - kept).date().isoformat())
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
        for key in article.features.candidate_keys():
            ids = [i for i in self._posting(key) if i != article_id]
            if ids:
                self.index[key] = "\n".join(ids).encode("utf-8")
            elif key in self.index:
                del self.index[key]
        del self.records[article_id]


def decide(features: ArticleFeatures, scored: list[tuple[StoredArticle, PairScores]], params: GroupingParams) -> Grouping:
    """Copy of the closest copy, else the story of the closest story match, else the event of the
    closest event match at or above the event threshold, else new story and event."""
    story_score = max((s.story for _, s in scored), default=0.0)
    event_score = max((s.event for _, s in scored), default=0.0)
    if not scored:
        return Grouping("", features.article_id, features.article_id, story_score, event_score)
    article, best = max(scored, key=lambda pair: pair[1].copy)
    if best.copy >= params.copy_threshold:
        original = article.grouping
        return Grouping(original.duplicate_of or article.features.article_id, original.story_id, original.event_id,
                        story_score, event_score)
    article, best = max(scored, key=lambda pair: pair[1].story)
    if best.story >= params.story_threshold:
        return Grouping("", article.grouping.story_id, article.grouping.event_id, story_score, event_score)
    article, best = max(scored, key=lambda pair: pair[1].event)
    if best.event >= params.event_threshold:
        return Grouping("", features.article_id, article.grouping.event_id, story_score, event_score)
    return Grouping("", features.article_id, features.article_id, story_score, event_score)
