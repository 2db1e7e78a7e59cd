"""The Faust application and the context its agents register on, wired to one broker and one settings
object. Which agents run is the application layer's choice (``tallywire.app.agents``).

``roles`` name the agents' sets: ``process`` (stories, figures, alerts) and ``sink`` (ClickHouse). The
all-in-one ``tallywire run`` takes both; a deployment runs them as separate scalable services.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import faust

from tallywire.runtime.faust_recovery import SeekFirstTableManager
from tallywire.runtime.faust_transport import SnapshotFetchTransport
from tallywire.core.progress import Progress
from tallywire.core.settings import Settings
from tallywire.runtime.stage_guard import handle_each
from tallywire.core.topics import DEAD_LETTERS, DeadLetter, TopicRecord, TopicSpec

log = logging.getLogger(__name__)

R = TypeVar("R", bound=TopicRecord)
T = TypeVar("T")


@dataclass
class PipelineContext:
    """What the agents of one process share."""

    settings: Settings
    app: faust.App
    progress: Progress = field(default_factory=Progress)
    stop: Callable[[], object] = lambda: None  # the worker's stop, which returns the task stopping it
    failure: str = ""  # why the process stopped, when it did not stop of its own accord
    # Called, in order, once the worker has stopped: close what the agents opened.
    closers: list[Callable[[], None]] = field(default_factory=list)
    # The topics sent to, built once: building a Faust topic (with its schema) for every message sent
    # was work per article.
    _send_topics: dict[str, faust.TopicT] = field(default_factory=dict)

    def close(self) -> None:
        for close in self.closers:
            close()

    def consume(self, spec: TopicSpec, stage: str) -> faust.TopicT:
        """The topic for an agent of ``stage`` to read; declared up front so drain checks count it."""
        self.progress.consumes(stage, spec.name)
        return self.topic(spec)

    def topic(self, spec: TopicSpec) -> faust.TopicT:
        # Values stay bytes so that each agent decodes them itself and sends what fails to decode
        # to the dead-letter topic, instead of Faust dropping it with a log line.
        return self.app.topic(
            spec.name,
            key_serializer="raw",
            value_serializer="raw",
            partitions=spec.partition_count(self.settings.partitions),
        )

    async def send(self, spec: TopicSpec, key: str, record: TopicRecord) -> None:
        if spec.name not in self._send_topics:
            self._send_topics[spec.name] = self.topic(spec)
        await self._send_topics[spec.name].send(key=key.encode("utf-8"), value=record.to_bytes())
        self.progress.note_produced(spec.name)

    async def dead_letter(self, letter: DeadLetter) -> None:
        log.warning("dead letter from %s: %s", letter.stage, letter.reason)
        await self.send(DEAD_LETTERS, letter.stage, letter)

    async def handle_each(
        self, stream: faust.StreamT, spec: TopicSpec[R], stage: str, handle: Callable[[R], Awaitable[None]],
        done: Callable[[R], None] = lambda record: None,
    ) -> None:
        """Run ``handle`` on each valid record of the stream; what fails to decode or makes ``handle``
        raise goes to the dead-letter topic with its reason (see tallywire.runtime.stage_guard). ``done``: called
        with each record that decoded, once it is handled or dead-lettered."""

        def handled(record: R | None) -> None:
            self.progress.note_handled(stage, spec.name)
            if record is not None:
                done(record)

        await handle_each(stream, spec, stage, handle, self.dead_letter, handled)

    async def in_thread(self, function: Callable[..., T], *args: object) -> T:
        """CPU-heavy work off the event loop, so heartbeats and commits keep running."""
        return await asyncio.get_running_loop().run_in_executor(None, function, *args)


def _broker_url(bootstrap: str) -> str:
    return ";".join(f"kafka://{host.strip()}" for host in bootstrap.split(","))


def group_id(settings: Settings, roles: tuple[str, ...]) -> str:
    """One consumer group per set of roles: Faust assigns every subscribed topic's partitions among
    all members of a group, so a sink-only member in the processors' group would be handed
    raw-article partitions it has no agent for."""
    return f"{settings.app_id}-{'-'.join(sorted(roles))}"


def _max_batch_bytes(settings: Settings) -> int:
    """The embedded broker reports a partition's end as the start of its last batch plus one, and Faust
    restores a table from its changelog up to that end: the records after the first of a last batch
    were missing from a restarted worker's table, which then alerted on values it had alerted before.
    A one-byte limit puts every record in a batch of its own, so the ends are exact."""
    return 1 if settings.embedded_broker else 16384  # 16384: Faust's default


def _log_rebalances(app: faust.App) -> None:
    """One line per assignment and one when the worker processes again: Faust's own lines are below
    the level tallywire lets through, and an operator (or a test) needs to see a worker that idles with
    no partitions or hangs in table recovery."""

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]  # Faust's type asks for a keyword its call never requires
    async def assigned(sender: faust.App, assigned: set, **kwargs: object) -> None:  # noqa: ARG001
        topics: dict[str, list[int]] = {}
        for tp in assigned:
            topics.setdefault(tp.topic, []).append(tp.partition)
        shown = ", ".join(f"{topic}{sorted(parts)}" for topic, parts in sorted(topics.items())) or "none"
        log.info("partitions assigned (%d): %s", len(assigned), shown)

    @app.on_rebalance_complete.connect  # type: ignore[arg-type]  # as above
    async def complete(sender: faust.App, **kwargs: object) -> None:  # noqa: ARG001
        log.info("rebalance complete: tables recovered, streams resumed")


def table_store_dir(settings: Settings) -> Path:
    """Where a rocksdb:// table store keeps its tables (Faust's datadir; unused by memory://)."""
    return settings.data_dir / "faust"


def create_faust_app(settings: Settings, bootstrap: str, roles: tuple[str, ...], progress: Progress) -> PipelineContext:
    """The app of a worker of ``roles``, with no agent yet."""
    app = faust.App(
        group_id(settings, roles),
        broker=_broker_url(bootstrap),
        store=settings.faust_store,
        datadir=str(table_store_dir(settings)),
        broker_session_timeout=settings.session_timeout_s,
        broker_heartbeat_interval=settings.heartbeat_interval_s,
        broker_commit_interval=settings.commit_interval_s,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_max_request_size=4 * 1024 * 1024,
        producer_max_batch_size=_max_batch_bytes(settings),
        web_enabled=False,
        # Streams resume only once seeked to their committed offsets (see tallywire.runtime.faust_recovery).
        TableManager=SeekFirstTableManager,
    )
    # Before anything reaches app.transport (agents, topics): its consumer never fetches paused stream
    # partitions, fetches in batches and waits a bounded time for streams when stopping (see
    # tallywire.runtime.faust_transport). Faust builds the transport without a loop, so can we.
    app.transport = SnapshotFetchTransport(
        app.conf.broker_consumer, app, fetch_min_bytes=settings.fetch_min_bytes, stop_wait_s=settings.stop_wait_s
    )
    context = PipelineContext(settings=settings, app=app, progress=progress)
    _log_rebalances(app)
    if settings.metrics_port:
        from tallywire.runtime.metrics import start_metrics_server

        healthy = lambda: app.started and not app.should_stop  # noqa: E731
        context.closers.append(start_metrics_server(settings.metrics_host, settings.metrics_port, progress, healthy))
    return context
