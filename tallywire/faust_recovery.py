"""Faust's table recovery, changed in one respect: a worker's stream partitions are seeked to their
committed offsets while they are still paused, and only then resumed.

faust-streaming 0.15.3 (pinned) does it the other way round when recovery ends: it resumes the
stream partitions, with the consumer's flow running since the changelogs were read, and then seeks
them. Messages fetched in between are delivered to the agents' queues; the seek then moves each
partition's read offset back to the committed one, Faust clears the queues (dropping what they held)
and, of the messages fetched again, drops those below the highest offset delivered meanwhile and
counts a jump above the read offset as a gap, which it commits as if handled. A worker restarted with
raw articles waiting for it lost some and handled others twice. Seeking first means nothing of a
stream partition is fetched before its position is the committed offset (the order faust-streaming
PR #217 describes).
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
            # queued until they are resumed below.
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
