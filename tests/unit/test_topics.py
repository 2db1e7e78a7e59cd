"""Topic records: round trips, and every kind of bad message is a PoisonMessage with a reason."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tallywire.core.topics import (
    ALL_TOPICS,
    MAX_DEAD_LETTER_PAYLOAD,
    MAX_MESSAGE_BYTES,
    DeadLetter,
    PoisonMessage,
    RawArticle,
    stable_id,
)

NOW = datetime(2024, 11, 7, tzinfo=timezone.utc)


def raw(**changes: object) -> RawArticle:
    fields = {"article_id": "a1", "url": "seeds/a.txt", "source": "a.txt", "text": "Text.", "fetched_at": NOW}
    return RawArticle(**{**fields, **changes})


def test_a_record_survives_its_own_encoding() -> None:
    article = raw(published_at=NOW, title="Titel")
    assert RawArticle.decode(article.to_bytes()) == article


@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_decoding(payload: bytes) -> None:
    for spec in ALL_TOPICS:
        try:
            spec.record.decode(payload)
        except PoisonMessage as exc:
            assert exc.reason


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"\xff\x00", "not UTF-8 JSON"),
        (b"[1, 2]", "not a JSON object"),
        (json.dumps({"schema_version": 2}).encode(), "schema_version 2, expected 1"),
        (json.dumps({"schema_version": 1}).encode(), "invalid RawArticle: article_id"),
        (b" " * (MAX_MESSAGE_BYTES + 1), "exceeds"),
        (None, "empty"),
    ],
)
def test_bad_messages_say_why(payload: bytes | None, reason: str) -> None:
    with pytest.raises(PoisonMessage, match=reason):
        RawArticle.decode(payload)


def test_a_dead_letter_keeps_the_original_bytes_cut_to_size() -> None:
    small = DeadLetter.of("stories", "not UTF-8 JSON", b"\x00abc")
    assert small.payload == b"\x00abc" and small.payload_bytes == 4
    big = DeadLetter.of("stories", "too large", b"x" * (MAX_DEAD_LETTER_PAYLOAD * 3))
    assert len(big.payload) == MAX_DEAD_LETTER_PAYLOAD and big.payload_bytes == MAX_DEAD_LETTER_PAYLOAD * 3
    assert DeadLetter.decode(big.to_bytes()) == big


def test_stable_ids_depend_on_every_part_and_nothing_else() -> None:
    assert stable_id("a", 1) == stable_id("a", 1)
    assert stable_id("a", 1) != stable_id("a", 2)
    assert stable_id("ab", "c") != stable_id("a", "bc")


def test_topic_names_are_versioned_and_unique() -> None:
    names = [spec.name for spec in ALL_TOPICS]
    assert len(set(names)) == len(names)
    assert all(spec.name.endswith(f".v{spec.record.SCHEMA_VERSION}") for spec in ALL_TOPICS)
