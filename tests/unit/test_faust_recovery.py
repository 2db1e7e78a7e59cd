"""When recovery ends, a worker's stream partitions are seeked while paused and resumed only after."""

from __future__ import annotations

import asyncio

import faust
import pytest
from faust.types import TP

from tallywire.runtime.faust_recovery import SeekFirstRecovery, SeekFirstTableManager

STREAM = TP("raw-articles.v1", 0)


class RecordingConsumer:
    """What recovery asks of the consumer, in order."""

    def __init__(self, changelog: TP) -> None:
        self.changelog = changelog
        self.calls: list[object] = []

    def assignment(self) -> set[TP]:
        return {STREAM, self.changelog}

    async def perform_seek(self) -> None:
        await asyncio.sleep(0)  # a real seek awaits the broker: anything resumed before it could be fetched
        self.calls.append("seek")

    def resume_partitions(self, tps: set[TP]) -> None:
        self.calls.append(("resume", sorted(tps)))

    def resume_flow(self) -> None:
        self.calls.append("flow")


class IdleFetcher:
    async def maybe_start(self) -> None:
        pass


def _recovery_with_a_table() -> tuple[SeekFirstRecovery, RecordingConsumer]:
    app = faust.App("recovery-order", TableManager=SeekFirstTableManager)
    table = app.Table("counts", partitions=1)
    consumer = RecordingConsumer(TP(table.changelog_topic.get_topic_name(), 0))
    app.consumer = consumer
    app.__dict__["_fetcher"] = IdleFetcher()  # a cached property: the real one would start draining
    recovery = app.tables.recovery
    assert isinstance(recovery, SeekFirstRecovery)
    return recovery, consumer


# Faust resumes streams in on_recovery_completed after restoring tables, in _resume_streams when an app has none.
@pytest.mark.parametrize("ending", ["on_recovery_completed", "_resume_streams"])
def test_recovery_seeks_stream_partitions_before_it_resumes_them(ending: str) -> None:
    async def run() -> list[object]:
        recovery, consumer = _recovery_with_a_table()
        await getattr(recovery, ending)(generation_id=recovery.app.consumer_generation_id)
        return consumer.calls

    assert asyncio.run(run()) == ["seek", ("resume", [STREAM]), "flow"]
