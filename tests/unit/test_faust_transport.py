"""The workers' Faust transport: a fetch asks for the partitions active when it started, never for
"none" (which aiokafka reads as all), and the broker answers it once ``fetch_min_bytes`` are there."""

from __future__ import annotations

import asyncio

import faust
from faust.types import TP
from faust.types.tuples import Message

from tallywire.runtime.faust_transport import BatchedFetchConsumerThread, SnapshotFetchConsumer, SnapshotFetchTransport


class PausingConsumerThread:
    """A consumer thread whose fetch waits while the worker pauses every partition."""

    def __init__(self, active: set[TP]) -> None:
        self.active = active
        self.fetched_for: list[set[TP]] = []

    async def getmany(self, partitions: set[TP], timeout: float) -> dict:
        self.active.clear()
        await asyncio.sleep(0)
        self.fetched_for.append(set(partitions))
        return {}


# aiokafka reads an empty set of partitions as all of them: the paused ones' records were fetched and dropped.
def test_a_fetch_asks_for_the_partitions_active_when_it_started_never_for_none() -> None:
    changelog = TP("counts-changelog", 0)
    active = {changelog}
    thread = PausingConsumerThread(active)

    async def run() -> None:
        app = faust.App("snapshot-fetch", broker="kafka://127.0.0.1:9")
        app.transport = SnapshotFetchTransport(app.conf.broker_consumer, app)
        consumer = app.consumer
        assert isinstance(consumer, SnapshotFetchConsumer)
        consumer._thread = thread  # noqa: SLF001 - the consumer thread is what is faked
        assert await consumer._getmany(active, timeout=1.0) == {}  # noqa: SLF001
        assert await consumer._getmany(active, timeout=1.0) == {}  # noqa: SLF001 - now empty: no fetch

    asyncio.run(run())
    assert thread.fetched_for == [{changelog}]


def test_the_worker_consumer_waits_for_the_configured_bytes_per_fetch() -> None:
    async def run() -> int:
        app = faust.App("batched-fetch", broker="kafka://127.0.0.1:9")
        app.transport = SnapshotFetchTransport(app.conf.broker_consumer, app, fetch_min_bytes=65536)
        thread = app.consumer._thread  # noqa: SLF001 - the thread builds the aiokafka consumer
        assert isinstance(thread, BatchedFetchConsumerThread)
        consumer = thread._create_worker_consumer(app.transport)  # noqa: SLF001
        await consumer.stop()  # never started: closes its client, which it would otherwise leave to the collector
        return consumer._fetch_min_bytes  # noqa: SLF001 - what aiokafka's fetcher is built with

    assert asyncio.run(run()) == 65536


def _unacked_message(consumer: SnapshotFetchConsumer) -> Message:
    """A message handed to a stream that never acknowledges it, as a stopped ``stream.take`` buffer."""
    message = Message("articles.v1", 3, 1, 0.0, 0, {}, b"k", b"v", None)
    consumer._unacked_messages.add(message)  # noqa: SLF001 - where Faust tracks messages in processing
    return message


def test_a_stopping_worker_waits_a_bounded_time_for_an_unacknowledged_message() -> None:
    async def run() -> tuple[bool, float, bool]:
        app = faust.App("bounded-stop", broker="kafka://127.0.0.1:9")
        app.transport = SnapshotFetchTransport(app.conf.broker_consumer, app, stop_wait_s=0.3)
        consumer = app.consumer
        # Not stopping (a rebalance): Faust's wait, which ends only once the message is acknowledged.
        message = _unacked_message(consumer)
        rebalance_wait = asyncio.ensure_future(consumer.wait_empty())
        done, _ = await asyncio.wait({rebalance_wait}, timeout=1.5)
        message.acked = True
        await asyncio.wait({rebalance_wait}, timeout=5)
        # Stopping: the wait gives up after stop_wait_s (and Faust's 1 s poll of acknowledgements).
        stuck = _unacked_message(consumer)
        app._stopped.set()  # noqa: SLF001 - what Service.stop sets first
        started = asyncio.get_running_loop().time()
        stop_wait = asyncio.ensure_future(consumer.wait_empty())
        await asyncio.wait({stop_wait}, timeout=5)
        waited = asyncio.get_running_loop().time() - started
        # Faust's wait ignores cancellation: end a wait that did not give up by itself, as an ack would.
        consumer._unacked_messages.clear()  # noqa: SLF001
        await asyncio.wait({rebalance_wait, stop_wait}, timeout=5)
        return bool(done), waited, stuck.acked

    rebalance_done_early, stop_wait, acked = asyncio.run(run())
    assert not rebalance_done_early
    assert 0.3 <= stop_wait < 2.5
    assert not acked  # so its offset is not committed: it comes again on the next start
