"""A restarted worker resumes its streams exactly at their committed offsets. Two changes to
faust-streaming 0.15.3 (pinned: ``tests/unit/test_faust_upstream.py`` fails, naming the workaround, when
an upgrade changes a method they replace or rely on), both needed; ``create_app`` plugs them in through Faust's own
``TableManager`` setting (this module) and the app's ``transport`` (``tallywire.runtime.faust_transport``),
for the embedded broker and Kafka alike.

1. Seek, then resume. When table recovery ends, Faust resumes the stream partitions, with the
   consumer's flow running since the changelogs were read, and only then seeks them to their
   committed offsets. Messages fetched in between reach the agents' queues; the seek moves each read
   offset back, Faust clears the queues and, of the messages fetched again, drops those below the
   highest offset delivered meanwhile and counts a jump above the read offset as a gap, committed as
   if handled: a worker restarted with raw articles waiting for it lost some and handled others twice
   (faust-streaming #216, #221). ``SeekFirstRecovery`` seeks while the partitions are paused and
   resumes after (the order of faust-streaming PR #217).

2. Never ask aiokafka for "all partitions": see ``tallywire.runtime.faust_transport``.
"""

from __future__ import annotations

import asyncio

from faust.tables import TableManager
from faust.tables.recovery import Recovery


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
