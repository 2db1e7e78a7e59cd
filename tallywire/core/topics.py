"""Topic names and their message schemas: the only place either is declared.

Each record carries ``schema_version``. A compatible change (a new optional field) keeps the
version; a breaking change gets a new record version *and* a new topic name (``articles.v2``),
so old and new producers never share a topic.

Messages are JSON (UTF-8). ``decode`` turns bytes into a record or raises ``PoisonMessage`` with a
reason that the dead-letter record keeps beside the original bytes.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

# Messages larger than this are refused before parsing: a 5 MB value is an attack or a bug.
MAX_MESSAGE_BYTES = 2 * 1024 * 1024
# A dead letter keeps the original bytes up to this size (and the full size), so it fits a message.
MAX_DEAD_LETTER_PAYLOAD = 256 * 1024


class PoisonMessage(ValueError):
    """A message that cannot be turned into its topic's record. ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TopicRecord(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")
    SCHEMA_VERSION: ClassVar[int] = 1

    def to_bytes(self) -> bytes:
        return self.model_dump_json().encode("utf-8")

    @classmethod
    def decode(cls: type[R], payload: bytes | None) -> R:
        if payload is None:
            raise PoisonMessage("empty message value")
        if len(payload) > MAX_MESSAGE_BYTES:
            raise PoisonMessage(f"message of {len(payload)} bytes exceeds {MAX_MESSAGE_BYTES}")
        try:
            data = json.loads(payload.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PoisonMessage(f"not UTF-8 JSON: {exc}") from None
        if not isinstance(data, dict):
            raise PoisonMessage(f"not a JSON object but {type(data).__name__}")
        version = data.get("schema_version")
        if version != cls.SCHEMA_VERSION:
            raise PoisonMessage(f"{cls.__name__} schema_version {version!r}, expected {cls.SCHEMA_VERSION}")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
            raise PoisonMessage(f"invalid {cls.__name__}: {problems}") from None


R = TypeVar("R", bound=TopicRecord)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def stable_id(*parts: object) -> str:
    """A short, deterministic id from its parts: replays and restarts produce the same id."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:16]


class ArticleContent(TopicRecord):
    """What every article record carries: where it is from and its text."""

    article_id: str
    url: str  # canonical URL, or the file path for a local file
    source: str  # outlet (feed name, site name or file name)
    title: str = ""
    author: str = ""
    text: str
    lang: str = "de"
    # None when no signal dated the article (ingest/publication_date.py); readers that order by publication
    # use the fetch time then, never a made-up date.
    published_at: datetime | None = None
    # The signal that gave published_at: jsonld, opengraph, meta, time, byline, htmldate, url, feed, manifest;
    # "" when none did. Added without a version change: an optional field, "" for records written before.
    published_source: str = ""
    fetched_at: datetime
    # True when the text is the feed entry's own (its summary or content) because the page was a block page:
    # the article is known, its full text is not. Optional, so added without a version change.
    partial: bool = False


class RawArticle(ArticleContent):
    """An article as ingested: from a feed and its page, or from a local file."""

    schema_version: Literal[1] = 1
    origin: Literal["feed", "file"] = "file"
    feed: str = ""
    # The text's length in characters before it was cut at TALLYWIRE_MAX_ARTICLE_CHARS; 0: not cut.
    # Added without a version change: readers of version 1 that lack it ignore it, and it defaults to 0.
    truncated_from: int = 0


class ArticleWithFeatures(ArticleContent):
    """A raw article with what story grouping computed from its text (``story_grouping.ArticleFeatures``:
    embeddings and hashes), so that the costly part runs on any worker and the grouping on one."""

    schema_version: Literal[1] = 1
    features_b64: str


class Article(ArticleContent):
    """An article with its place among copies, stories and events."""

    schema_version: Literal[1] = 1
    duplicate_of: str = ""  # article this is a near-exact copy of; "" when none
    story_id: str
    event_id: str
    story_similarity: float = 0.0  # score that decided story_id (1.0 for the story's first article)
    event_similarity: float = 0.0
    grouping_params: str = ""  # how the grouping was made: version and thresholds

    @classmethod
    def from_raw(cls, raw: ArticleContent, **grouping: Any) -> Article:
        fields = raw.model_dump(include=set(ArticleContent.model_fields))
        return cls(**fields, **grouping)


class Figure(TopicRecord):
    """One figure an article states, with what is counted, whose, where and who said it."""

    schema_version: Literal[1] = 1
    figure_id: str
    article_id: str
    story_id: str
    event_id: str = ""
    source: str = ""
    url: str = ""
    title: str = ""
    # The article's publication time, or its fetch time when it is undated (figures_agent.figures_of): a
    # figure's series is ordered by it, so it has one; a figure without it is refused by the sink.
    published_at: datetime | None = None
    value: float
    value_low: float
    value_high: float
    qualifier: str = "exact"  # exact, approx, nearly, more_than, up_to, at_least
    status: str = "reported"  # reported, expected, possible
    category: str = ""
    counted: str = ""
    force: str = ""
    location: str = ""
    attribution: str = ""
    sentence: str = ""
    span_start: int = 0
    span_end: int = 0
    mentions: int = 1
    vague: bool = False  # a vague magnitude ("Zehntausende"): stored, but alert rules skip it
    confidence: float = 0.5  # how sure the extractor is of this reading, 0 to 1
    lang: str = "de"
    extractor_version: str = ""

    @property
    def key(self) -> str:
        """The series a figure belongs to: what is counted, whose, where."""
        return f"{self.category}/{self.force}/{self.location}"


# What an alert record is in its series' chain (processors/alert_series.py): news to deliver, a value
# learnt late from an earlier report (stored, not delivered), or a value a later revision replaced.
AlertKind = Literal["alert", "backfill", "superseded"]
ALERT: AlertKind = "alert"
BACKFILL: AlertKind = "backfill"
SUPERSEDED: AlertKind = "superseded"


class Alert(TopicRecord):
    """A figure value that is new for its key, as the figures of its series known so far place it in
    publication order (``processors/alert_series.py``).

    Version 2 (``alerts.v2``) added ``kind`` and ``revision``: a reader of version 1 would send
    back-fills and superseded entries to its channels as new alerts.
    """

    SCHEMA_VERSION: ClassVar[int] = 2
    schema_version: Literal[2] = 2
    alert_id: str  # one per series, status and value: revisions of one alert share it
    kind: AlertKind = "alert"
    revision: int = 0  # grows with the figures its series knows: the highest one of an alert id is right
    category: str
    force: str
    location: str
    value: float
    qualifier: str = "exact"
    status: str = "reported"
    previous_value: float | None = None
    change: float | None = None
    figure_id: str
    article_id: str
    story_id: str
    title: str = ""
    url: str = ""
    source: str = ""
    published_at: datetime | None = None
    attribution: str = ""
    sentence: str = ""
    outlets: int = 1
    created_at: datetime


class DeadLetter(TopicRecord):
    """Something a stage could not handle, with the reason and the original bytes."""

    schema_version: Literal[1] = 1
    stage: str
    reason: str
    topic: str = ""
    url: str = ""
    payload_b64: str = ""  # the original bytes, cut at MAX_DEAD_LETTER_PAYLOAD
    payload_bytes: int = 0  # the original size
    at: datetime

    @classmethod
    def of(cls, stage: str, reason: str, payload: bytes | None = b"", topic: str = "", url: str = "",
           size: int | None = None) -> DeadLetter:
        """``size``: the original's size when ``payload`` is only its head (a file too large to read whole)."""
        payload = payload or b""
        return cls(
            stage=stage,
            reason=reason,
            topic=topic,
            url=url,
            payload_b64=base64.b64encode(payload[:MAX_DEAD_LETTER_PAYLOAD]).decode("ascii"),
            payload_bytes=len(payload) if size is None else size,
            at=utcnow(),
        )

    @property
    def payload(self) -> bytes:
        return base64.b64decode(self.payload_b64)


@dataclass(frozen=True)
class TopicSpec(Generic[R]):
    name: str
    record: type[R]
    key: str  # what the message key is, for readers and for partitioning
    compacted: bool = False
    partitions: int | None = None  # None: the partitions setting

    def partition_count(self, default: int) -> int:
        return self.partitions or default


RAW_ARTICLES = TopicSpec("raw-articles.v1", RawArticle, key="article_id")
# One partition: grouping compares each article with every stored one, so one worker decides them all,
# in one order of arrival; the costly features are computed before, on every worker.
ARTICLE_FEATURES = TopicSpec("article-features.v1", ArticleWithFeatures, key="article_id", partitions=1)
ARTICLES = TopicSpec("articles.v1", Article, key="article_id")
FIGURES = TopicSpec("figures.v1", Figure, key="category/force/location")
ALERTS = TopicSpec("alerts.v2", Alert, key="category/force/location")
DEAD_LETTERS = TopicSpec("dead-letters.v1", DeadLetter, key="stage")

ALL_TOPICS: tuple[TopicSpec, ...] = (RAW_ARTICLES, ARTICLE_FEATURES, ARTICLES, FIGURES, ALERTS, DEAD_LETTERS)
