"""Each message of a stage is handled on its own: whatever it makes the stage raise, it ends as a dead
letter with the stage, the reason and its original bytes, and the stage goes on with the next one.

A stage that crashed on content lost the message and stopped every message behind it on the
partition; a restart crashed on it again. Cancellation (a stopping worker) is not content and passes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, Awaitable, Callable
from typing import TypeVar

from tallywire.core.topics import DeadLetter, PoisonMessage, TopicRecord, TopicSpec

log = logging.getLogger(__name__)

R = TypeVar("R", bound=TopicRecord)


async def handle_each(
    values: AsyncIterable[bytes],
    spec: TopicSpec[R],
    stage: str,
    handle: Callable[[R], Awaitable[None]],
    dead_letter: Callable[[DeadLetter], Awaitable[None]],
    handled: Callable[[R | None], None] = lambda record: None,
) -> None:
    """Decode each value as ``spec``'s record and ``handle`` it; a value that fails either way becomes a dead
    letter. ``handled`` is told each record (None for one that did not decode) once it is done with."""
    async for value in values:
        record = None
        try:
            record = spec.record.decode(value)
            await handle(record)
        except PoisonMessage as exc:
            await dead_letter(DeadLetter.of(stage, exc.reason, value, topic=spec.name))
        except Exception as exc:  # noqa: BLE001 - any content error: the message is kept, the stage goes on
            log.exception("%s failed on a message of %s; sent to dead letters", stage, spec.name)
            reason = f"{stage} raised {type(exc).__name__}: {exc}"[:2000]
            await dead_letter(DeadLetter.of(stage, reason, value, topic=spec.name))
        handled(record)
