"""A restarted worker resumes its streams exactly at their committed offsets. Two changes to
faust-streaming 0.15.3 (pinned), both needed; ``create_app`` plugs them in through Faust's own
``TableManager`` setting and the app's ``transport``, for the embedded broker and Kafka alike.

1. Seek, then resume. When table recovery ends, Faust resumes the stream partitions, with the
   consumer's flow running since the changelogs were read, and only then seeks them to their
   committed offsets. Messages fetched in between reach the agents' queues; the seek moves each read
   offset back, Faust clears the queues and, of the messages fetched again, drops those below the
   highest offset delivered meanwhile and counts a jump above the read offset as a gap, committed as
   if handled: a worker restarted with raw articles waiting for it lost some and handled others twice
   (faust-streaming #216, #221). ``SeekFirstRecovery`` seeks while the partitions are paused and
   resumes after (the order of faust-streaming PR #217).

2. Never ask aiokafka for "all partitions". Faust hands its own set of active (unpaused) partitions,
   the live object, to aiokafka's ``fetched_records`` in the consumer thread, and aiokafka reads an
   empty set as "every assigned partition". When recovery ends Faust pauses the changelog partitions,
   emptying that set while a fetch for them is still waiting: the fetch then returned the paused
   stream partitions' records and moved aiokafka's positions past them, Faust dropped the records as
   not active, and the seek done just before (change 1) was undone. The restarted worker sat idle
   with its waiting articles skipped (not committed: the next restart would bring them back).
   ``SnapshotFetchConsumer`` fetches for a copy of the set taken when the fetch starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Set as AbstractSet

from faust.tables import TableManager
from faust.tables.recovery import Recovery
from faust.transport.consumer import RecordMap
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP


class SeekFirstRecovery(Recovery):
    """The two places where Faust resumes streams, ``_resume_streams`` (an app without tables) and
    ``on_recovery_completed``, as in faust-streaming 0.15.3 but for the order of seek and resume."""

    async def _resume_streams(self, generation_id: int = 0) -> None:
        await self.app.on_rebalance_complete.send()
        if self.app.consumer_generation_id != generation_id:
            self.log.warning("Recovery rebalancing again")
            return
        await self._seek_then_resume_streams()
        self.tables.on_actives_ready()
        self.tables.on_standbys_ready()
        self.app.on_rebalance_end()
        self.log.info("Worker ready")

    async def on_recovery_completed(self, generation_id: int = 0) -> None:
        self.log.info("Restore complete!")
        await self.app.on_rebalance_complete.send()
        self._set_recovery_ended()
        recovered = [
            asyncio.ensure_future(table.on_recovery_completed(self.actives_for_table[table], self.standbys_for_table[table]))
            for table in self.tables.values()
        ]
        if recovered:
            await asyncio.wait(recovered)
        if self.app.consumer_generation_id != generation_id:
            self.log.warning("Recovery rebalancing again")
            return
        await self._seek_then_resume_streams()
        self.tables.on_actives_ready()
        if not self.app.assignor.assigned_standbys():
            self.tables.on_standbys_ready()
        self.app.on_rebalance_end()
        self.log.info("Worker ready")

    async def _seek_then_resume_streams(self) -> None:
        consumer = self.app.consumer
        assignment = consumer.assignment()
        if assignment:
            # The stream partitions are paused since the assignment: nothing of them is fetched or
            # queued until they are resumed below (SnapshotFetchConsumer sees to the fetches).
            self.log.info("Seek stream partitions to committed offsets.")
            await self._wait(consumer.perform_seek(), timeout=self.app.conf.broker_request_timeout)
        self.completed.set()
        # Clears the agents' queues: with the stream partitions still paused, they hold nothing of them.
        self.app.flow_control.resume()
        consumer.resume_partitions({tp for tp in assignment if not self._is_changelog_tp(tp)})
        consumer.resume_flow()
        await self.app._fetcher.maybe_start()  # noqa: SLF001 - as Faust's own recovery does


class SeekFirstTableManager(TableManager):
    """Faust's table manager with ``SeekFirstRecovery`` as its recovery service."""

    @property
    def recovery(self) -> Recovery:
        if self._recovery is None:
            self._recovery = SeekFirstRecovery(self.app, self, beacon=self.beacon, loop=self.loop)
        return self._recovery


class SnapshotFetchConsumer(faust_aiokafka.Consumer):
    """Faust's aiokafka consumer, fetching for the partitions active when a fetch starts."""

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
    """Faust's aiokafka transport with ``SnapshotFetchConsumer`` as its consumer."""

    Consumer = SnapshotFetchConsumer
