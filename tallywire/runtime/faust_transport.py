"""The Faust transport tallywire's workers and sink use: faust-streaming 0.15.3's aiokafka transport
with two changes to how its consumer fetches and one to how it stops, for the embedded broker and
Kafka alike (``create_app`` sets it as the app's ``transport``).

1. Never ask aiokafka for "all partitions". Faust hands its own set of active (unpaused) partitions,
   the live object, to aiokafka's ``fetched_records`` in the consumer thread, and aiokafka reads an
   empty set as "every assigned partition". When recovery ends Faust pauses the changelog partitions,
   emptying that set while a fetch for them is still waiting: the fetch then returned the paused
   stream partitions' records and moved aiokafka's positions past them, Faust dropped the records as
   not active, and the seek done just before (``tallywire.runtime.faust_recovery``) was undone. The restarted
   worker sat idle with its waiting articles skipped (not committed: the next restart would bring them
   back). ``SnapshotFetchConsumer`` fetches for a copy of the set taken when the fetch starts.

2. Fetch in batches: the broker answers a fetch once ``fetch_min_bytes`` are there or after Faust's
   1.5 s wait, not for every new message. The embedded broker (Tansu's memory engine) spends time in
   proportion to every message a partition holds on each fetch that returns any, so one fetch per new
   message made it the bottleneck of a long stream (the measurements: ``bench/RESULTS.md``, and
   ``docs/decisions/0004-faust-workarounds-pinned.md``). A stage may then wait up to 1.5 s when few
   articles arrive. Faust does not pass aiokafka's ``fetch_min_bytes``, so
   ``BatchedFetchConsumerThread`` sets it on the consumer it builds, before the consumer starts and
   reads it.

3. Bound the wait for messages in processing when the worker stops. Faust waits until every message
   handed to a stream is acknowledged, without a limit; a message left in a ``stream.take`` buffer
   as the worker stops is never acknowledged (faust-streaming #162), and a sink stopped by Ctrl-C
   hung there (once in a CI run, waiting for one ``articles.v1`` message). ``SnapshotFetchConsumer``
   waits ``stop_wait_s`` at most while the app stops, then commits what was acknowledged: the rest
   is delivered again on the next start, where the sinks' ids keep it from being stored twice. The
   wait during a rebalance keeps Faust's behaviour (the streams go on there, and their buffers drain).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Set as AbstractSet
from typing import Any

import aiokafka
from faust.transport.consumer import RecordMap
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

log = logging.getLogger(__name__)


class BatchedFetchConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    """Faust's consumer thread, whose worker consumer waits for ``fetch_min_bytes`` per fetch."""

    def _create_worker_consumer(self, transport: faust_aiokafka.Transport) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        consumer._fetch_min_bytes = transport.fetch_min_bytes  # noqa: SLF001 - read when it starts
        return consumer


class SnapshotFetchConsumer(faust_aiokafka.Consumer):
    """Faust's aiokafka consumer, fetching in batches for the partitions active when a fetch starts,
    whose wait for unacknowledged messages is bounded when the app stops."""

    async def wait_empty(self) -> None:
        if not self.app.should_stop or self.transport.stop_wait_s is None:
            await super().wait_empty()
            return
        waiting = asyncio.ensure_future(super().wait_empty())
        done, _ = await asyncio.wait({waiting}, timeout=self.transport.stop_wait_s)
        if not done:
            log.warning(
                "stopping with %d message(s) still unacknowledged after %.0f s; they are not committed and"
                " will be delivered again on the next start", len(self._unacked_messages), self.transport.stop_wait_s,
            )
            # Faust's wait swallows cancellation; it ends once no message is tracked as in processing.
            # Untracked, they stay unacknowledged: the commit that follows stops short of them.
            self._unacked_messages.clear()
        await waiting

    def _new_consumer_thread(self) -> BatchedFetchConsumerThread:
        return BatchedFetchConsumerThread(self, loop=self.loop, beacon=self.beacon)

    async def _getmany(self, active_partitions: AbstractSet[TP] | None, timeout: float) -> RecordMap:
        if active_partitions is None:  # a client-only app: every partition, as Faust means it
            return await super()._getmany(None, timeout)
        # Copied here, on the event loop that pauses and resumes partitions: the consumer thread
        # reads the copy, which no pause can empty.
        fetching = set(active_partitions)
        if not fetching:
            return {}
        return await super()._getmany(fetching, timeout)


class SnapshotFetchTransport(faust_aiokafka.Transport):
    """Faust's aiokafka transport with ``SnapshotFetchConsumer`` as its consumer; ``stop_wait_s`` None
    waits for streams without a limit when stopping, as Faust does."""

    Consumer = SnapshotFetchConsumer

    def __init__(self, *args: Any, fetch_min_bytes: int = 1, stop_wait_s: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fetch_min_bytes = fetch_min_bytes
        self.stop_wait_s = stop_wait_s
