"""A message that makes a stage raise becomes a dead letter; the messages after it are handled."""

from __future__ import annotations

import asyncio

from tallywire.runtime.stage_guard import handle_each
from tallywire.core.topics import RAW_ARTICLES, RawArticle, utcnow


def raw(article_id: str) -> bytes:
    return RawArticle(article_id=article_id, url=f"http://127.0.0.1/{article_id}", source="test", text="Text.",
                      fetched_at=utcnow()).to_bytes()


async def values(items: list[bytes]):  # noqa: ANN201 - an async generator, as a Faust stream is
    for item in items:
        yield item


def run_stage(items: list[bytes], fail_on: str) -> tuple[list[str], list]:
    handled: list[str] = []
    letters: list = []

    async def handle(record: RawArticle) -> None:
        if record.article_id == fail_on:
            raise KeyError("a bug that this article's content triggers")
        handled.append(record.article_id)

    async def dead_letter(letter) -> None:  # noqa: ANN001
        letters.append(letter)

    asyncio.run(handle_each(values(items), RAW_ARTICLES, "story-features", handle, dead_letter))
    return handled, letters


def test_a_message_the_stage_raises_on_is_a_dead_letter_with_its_bytes_and_the_rest_go_on() -> None:
    items = [raw("a"), raw("poison"), raw("b"), raw("c")]
    handled, letters = run_stage(items, fail_on="poison")
    assert handled == ["a", "b", "c"]
    [letter] = letters
    assert letter.stage == "story-features" and letter.topic == RAW_ARTICLES.name
    assert "KeyError" in letter.reason and "this article's content" in letter.reason
    assert letter.payload == items[1]


def test_undecodable_and_raising_messages_are_both_kept() -> None:
    items = [b"\xffnot json", raw("poison"), raw("a")]
    handled, letters = run_stage(items, fail_on="poison")
    assert handled == ["a"]
    assert [letter.payload for letter in letters] == items[:2]
    assert "not UTF-8 JSON" in letters[0].reason


def test_cancellation_is_not_content_and_stops_the_stage() -> None:
    async def handle(record: RawArticle) -> None:
        raise asyncio.CancelledError

    async def dead_letter(letter) -> None:  # noqa: ANN001
        raise AssertionError("a stopping worker is not a dead letter")

    try:
        asyncio.run(handle_each(values([raw("a")]), RAW_ARTICLES, "story-features", handle, dead_letter))
    except asyncio.CancelledError:
        return
    raise AssertionError("cancellation was swallowed")
