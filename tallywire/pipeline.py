"""Run the pipeline in this process: broker (embedded or given), ingest, agents, ClickHouse sink.

``until_idle`` stops once every message produced has been handled by every stage that consumes it
(counted, since the embedded broker's end offsets are wrong); otherwise it runs until Ctrl-C.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import faust

from ingest.article_journal import ArticleJournal
from ingest.article_size import SizeLimits, TooLarge
from ingest.file_source import read_articles
from ingest.raw_producer import RawArticleOutlet
from sinks.clickhouse_client import is_chdb
from tallywire.data_dir_lock import BROKER, CLICKHOUSE, own_data_dir
from tallywire.embedded_broker import EmbeddedBroker, running_broker
from tallywire.errors import BrokerError, TallywireError
from tallywire.faust_app import PipelineContext, create_app
from tallywire.progress import Progress
from tallywire.settings import Settings
from tallywire.topic_admin import ensure_topics
from tallywire.topics import DeadLetter, RawArticle

log = logging.getLogger(__name__)

# Drained must hold this long before the run stops: a stage may be between receive and send.
IDLE_CONFIRM_S = 1.0


@dataclass
class IngestCounts:
    new: int = 0
    already_seen: int = 0
    failed: int = 0
    replayed: int = 0
    interrupted: bool = False


@contextmanager
def kafka_bootstrap(settings: Settings) -> Iterator[tuple[str, EmbeddedBroker | None]]:
    """The configured Kafka, or the embedded broker for as long as the block runs."""
    if settings.kafka_bootstrap:
        yield settings.kafka_bootstrap, None
        return
    with EmbeddedBroker(settings.data_dir, settings.broker_start_timeout_s) as broker:
        yield broker.bootstrap, broker


def running_bootstrap(settings: Settings) -> str:
    """The Kafka a command that joins a pipeline talks to: the configured one, or the embedded broker a
    pipeline on the same data directory runs."""
    bootstrap = settings.kafka_bootstrap or running_broker(settings.data_dir)
    if not bootstrap:
        raise BrokerError(
            f"no pipeline is running on {settings.data_dir} and TALLYWIRE_KAFKA_BOOTSTRAP is not set",
            hint="start `tallywire run` first, or set TALLYWIRE_KAFKA_BOOTSTRAP",
        )
    return bootstrap


def journal_for(settings: Settings) -> ArticleJournal:
    return ArticleJournal(settings.data_dir / "journal" / "raw-articles.jsonl", settings.journal_fsync_interval_ms)


def ingest_files(outlet: RawArticleOutlet, paths: list[Path], counts: IngestCounts) -> None:
    # The journal learns an id only once the broker acknowledged it; this run's own pushes count too.
    pushed: set[str] = set()
    for item in read_articles(paths, outlet.limits):
        if not isinstance(item, RawArticle):
            outlet.dead_letter(item)
            counts.failed += 1
        elif item.article_id in pushed or outlet.seen(item.article_id):
            counts.already_seen += 1
        else:
            try:
                outlet.publish(item)
            except TooLarge as exc:
                outlet.dead_letter(DeadLetter.of("ingest", exc.reason, item.to_bytes(), url=item.url))
                counts.failed += 1
                continue
            pushed.add(item.article_id)
            counts.new += 1
    outlet.flush()


def data_dir_owner(settings: Settings, roles: tuple[str, ...], runs_broker: bool) -> AbstractContextManager[None]:
    """The locks a process takes before it touches the data directory: for the embedded broker it starts,
    and for the data directory's chDB its sink opens. Processing workers and the commands that join a
    running pipeline (ingest, poll, sql, lag) take none."""
    parts = []
    if runs_broker:
        parts.append(BROKER)
    if "sink" in roles and is_chdb(settings.resolved_clickhouse_dsn):
        parts.append(CLICKHOUSE)
    return own_data_dir(settings.data_dir, tuple(parts))


def run_pipeline(
    settings: Settings, files: list[Path], until_idle: bool, roles: tuple[str, ...] = ("process", "sink")
) -> IngestCounts:
    counts = IngestCounts()
    try:
        _run_pipeline(settings, files, until_idle, roles, counts)
    except KeyboardInterrupt:
        counts.interrupted = True  # what was ingested is journaled; the broker and sink stopped on the way out
    return counts


def _run_pipeline(
    settings: Settings, files: list[Path], until_idle: bool, roles: tuple[str, ...], counts: IngestCounts
) -> None:
    progress = Progress()
    with data_dir_owner(settings, roles, runs_broker=settings.embedded_broker), \
            kafka_bootstrap(settings) as (bootstrap, broker):
        ensure_topics(settings, bootstrap)
        outlet = RawArticleOutlet(bootstrap, journal_for(settings), progress, SizeLimits.from_settings(settings))
        try:
            if settings.embedded_broker:
                counts.replayed = outlet.replay_journal()
            ingest_files(outlet, files, counts)
        finally:
            outlet.close()
        log.info(
            "ingested %d new articles (%d already seen, %d failed, %d replayed from the journal)",
            counts.new, counts.already_seen, counts.failed, counts.replayed,
        )
        context = create_app(settings, bootstrap, roles=roles, progress=progress)
        if broker is not None:
            _stop_if_broker_dies(context, broker)
        try:
            run_worker(context, until_idle)
        finally:
            context.close()


class _Worker(faust.Worker):
    """Faust's worker, remembering a Ctrl-C: it stops on SIGINT as on SIGTERM, and exits 0 after either."""

    interrupted = False

    def _on_sigint(self) -> None:
        self.interrupted = True
        super()._on_sigint()


def run_worker(context: PipelineContext, until_idle: bool) -> None:
    """Runs the Faust worker until it stops; KeyboardInterrupt once it stopped on a Ctrl-C."""
    worker = _Worker(context.app, loglevel=context.settings.log_level, quiet=True, redirect_stdouts=False)
    context.stop = lambda: asyncio.ensure_future(worker.stop())
    if until_idle:
        _stop_when_drained(context)
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise TallywireError(f"the Faust worker exited with code {exc.code}", hint="see the log above") from None
    if context.failure:
        raise TallywireError(context.failure, hint="run again; the journal replays what the broker held")
    if worker.interrupted:
        raise KeyboardInterrupt


def _stop_if_broker_dies(context: PipelineContext, broker: EmbeddedBroker) -> None:
    @context.app.timer(1.0)
    async def check_broker() -> None:
        if not broker.alive and not context.failure:
            context.failure = f"the embedded broker died; see {broker.log_path}"
            log.error("%s; stopping", context.failure)
            context.stop()


def _stop_when_drained(context: PipelineContext) -> None:
    idle_since: float | None = None
    last_report = 0.0
    stopping = False

    @context.app.timer(0.25)
    async def check_drained() -> None:
        nonlocal idle_since, last_report, stopping
        now = time.monotonic()
        if not context.progress.drained():
            idle_since = None
            if now - last_report > 5:
                last_report = now
                log.info("working: %s", context.progress.snapshot())
            return
        idle_since = idle_since or now
        if now - idle_since >= IDLE_CONFIRM_S and not stopping:
            stopping = True
            log.info("all topics drained: %s", context.progress.snapshot())
            context.stop()
