"""Run the pipeline in this process: broker (embedded or given), ingest, feed poller, agents, ClickHouse sink.

``until_idle`` stops once the feeds were polled once and every message produced has been handled by
every stage that consumes it (counted, since the embedded broker's end offsets are wrong); otherwise it
runs until Ctrl-C. Either way it prints its progress line (tallywire.core.progress) as it goes.

The feed poller runs in a thread beside the Faust worker, not as a task on Faust's event loop: it
blocks (its fetcher runs an event loop of its own to completion, which cannot even start on a thread
whose loop runs; the producer's flush waits for acks; extraction is CPU work; the journal fsyncs), and
on Faust's loop each of these would hold up heartbeats, commits and every agent. In the thread it is
the same poller ``tallywire poll`` runs, feeding the same raw-article outlet as the seeds.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import threading
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import faust

from ingest.article_journal import ArticleJournal
from ingest.article_size import SizeLimits, TooLarge
from ingest.feed_registry import Feed
from ingest.file_source import read_articles
from ingest.raw_producer import RawArticleOutlet
from tallywire.app.data_dir_owner import data_dir_owner
from tallywire.runtime.embedded_broker import EmbeddedBroker, running_broker
from tallywire.core.errors import BrokerError, TallywireError
from tallywire.app.agents import create_app
from tallywire.runtime.faust_app import PipelineContext, table_store_dir
from tallywire.runtime.worker_roles import ROLES
from tallywire.app.feed_polling import FeedPolling
from tallywire.core.progress import Progress, ProgressMeter
from tallywire.app.restart import HandledWatch, restore_alerted_values, resume
from tallywire.core.settings import Settings
from tallywire.runtime.topic_admin import ensure_topics
from tallywire.core.topics import DeadLetter, RawArticle

log = logging.getLogger(__name__)

# Drained must hold this long before the run stops: a stage may be between receive and send.
IDLE_CONFIRM_S = 1.0
# How often the restart point may move on: each check reads the journal appended since the last one.
HANDLED_CHECK_S = 1.0
RECYCLE_CHECK_S = 1.0


@dataclass
class IngestCounts:
    new: int = 0
    already_seen: int = 0
    failed: int = 0
    replayed: int = 0
    interrupted: bool = False
    # The run stopped to start again with a fresh embedded broker (see _recycle_full_broker).
    recycle: bool = False


@contextmanager
def kafka_bootstrap(settings: Settings) -> Iterator[tuple[str, EmbeddedBroker | None]]:
    """The configured Kafka, or the embedded broker for as long as the block runs."""
    if settings.kafka_bootstrap:
        yield settings.kafka_bootstrap, None
        return
    # A fresh embedded broker has empty changelogs (it keeps messages in memory only): tables a rocksdb://
    # store kept on disk belong to the changelogs of the last run, and the journal's replay rebuilds them.
    shutil.rmtree(table_store_dir(settings), ignore_errors=True)
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


def outlet_for(settings: Settings, bootstrap: str, progress: Progress | None = None) -> RawArticleOutlet:
    return RawArticleOutlet(bootstrap, journal_for(settings), progress, SizeLimits.from_settings(settings))


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


def run_pipeline(
    settings: Settings, files: list[Path], until_idle: bool, roles: tuple[str, ...] = ("process", "sink"),
    feeds: list[Feed] | None = None,
) -> IngestCounts:
    """``feeds``: poll them (once with ``until_idle``, else on each feed's interval) while the agents run."""
    counts = IngestCounts()
    try:
        _run_pipeline(settings, files, until_idle, roles, counts, feeds)
    except KeyboardInterrupt:
        counts.interrupted = True  # what was ingested is journaled; the broker and sink stopped on the way out
    return counts


def _run_pipeline(
    settings: Settings, files: list[Path], until_idle: bool, roles: tuple[str, ...], counts: IngestCounts,
    feeds: list[Feed] | None,
) -> None:
    progress = Progress()
    # The restart point moves on only where one process runs every stage on the embedded broker.
    tracked = settings.embedded_broker and set(roles) == set(ROLES)
    with data_dir_owner(settings, roles, runs_broker=settings.embedded_broker):
        journal = journal_for(settings)
        resumed = resume(settings, journal, tracked)
        with kafka_bootstrap(settings) as (bootstrap, broker), \
                closing(RawArticleOutlet(bootstrap, journal, progress, SizeLimits.from_settings(settings))) as outlet:
            ensure_topics(settings, bootstrap)
            if settings.embedded_broker:
                counts.replayed = outlet.replay_journal(resumed.start)
                if resumed.skipped:
                    restored = restore_alerted_values(settings, bootstrap, progress)
                    log.info("journal replayed from byte %d; the figures of %d alerts sent again to rebuild the"
                             " alerted values", resumed.start, restored)
            ingest_files(outlet, files, counts)
            log.info(
                "ingested %d new articles (%d already seen, %d failed, %d replayed from the journal)",
                counts.new, counts.already_seen, counts.failed, counts.replayed,
            )
            context = create_app(settings, bootstrap, roles=roles, progress=progress)
            if broker is not None:
                _stop_on_failure(context, lambda: "" if broker.alive else
                                 f"the embedded broker died; see {broker.log_path}")
            show = _print_progress(context, ProgressMeter(progress, bounded=not feeds))
            watch = HandledWatch(journal, resumed.start, progress) if tracked else None
            if watch:
                _move_restart_point(context, watch)
                if broker is not None and settings.broker_recycle_mb and not until_idle:
                    _recycle_full_broker(context, broker, watch, counts)
            try:
                with _polling_beside(context, feeds, outlet, once=until_idle) if feeds else nullcontext() as poller:
                    run_worker(context, until_idle, polling=poller.is_alive if poller else lambda: False)
            finally:
                context.close()
                if watch:
                    watch.check()
                show(last=True)


@contextmanager
def _polling_beside(context: PipelineContext, feeds: list[Feed], outlet: RawArticleOutlet,
                    once: bool) -> Iterator[threading.Thread]:
    """The feed poller in a thread for as long as the block runs (see the module's docstring for why a
    thread); a poller that fails stops the pipeline with its reason. Leaving the block stops the poller
    between two entries, after the fetch in flight."""
    polling = FeedPolling(context.settings, feeds, outlet, context.progress)
    failure = ""

    def poll() -> None:
        nonlocal failure
        try:
            polling.poll() if once else polling.poll_until_stopped()
        except Exception as exc:  # noqa: BLE001 - whatever it is, the pipeline must not run on without its poller
            log.exception("the feed poller failed")
            failure = f"the feed poller failed: {type(exc).__name__}: {exc}"

    _stop_on_failure(context, lambda: failure)
    # A daemon, so that a second Ctrl-C during a slow fetch ends the process.
    thread = threading.Thread(target=poll, name="feed-poller", daemon=True)
    thread.start()
    try:
        yield thread
    finally:
        polling.stop()
        thread.join()
        polling.close()


class _Worker(faust.Worker):
    """Faust's worker, remembering a Ctrl-C: Faust stops on SIGINT as on SIGTERM and exits 0 after either, so
    the command tells the two apart by this flag (Ctrl-C exits 130)."""

    interrupted = False

    def _setup_logging(self) -> None:
        # tallywire's logging (configure_logging) stays as it is: mode's would replace the root logger's
        # handlers with colored text lines (neither JSON nor free of escape codes) and add a spinner that
        # writes to the terminal.
        self.spinner = None

    def _on_sigint(self) -> None:
        self.interrupted = True
        super()._on_sigint()


def run_worker(context: PipelineContext, until_idle: bool, polling: Callable[[], bool] = lambda: False) -> None:
    """Runs the Faust worker until it stops; KeyboardInterrupt once it stopped on a Ctrl-C. ``polling``:
    whether a poller still produces; ``until_idle`` waits for it, then for the drain."""
    worker = _Worker(context.app, loglevel=context.settings.log_level, quiet=True, redirect_stdouts=False)
    context.stop = lambda: asyncio.ensure_future(worker.stop())
    if until_idle:
        _stop_when_drained(context, polling)
    try:
        worker.execute_from_commandline()
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise TallywireError(f"the Faust worker exited with code {exc.code}", hint="see the log above") from None
    if context.failure:
        raise TallywireError(context.failure, hint="run again; the journal replays what the broker held")
    if worker.interrupted:
        raise KeyboardInterrupt


def _stop_on_failure(context: PipelineContext, failure: Callable[[], str]) -> None:
    """Stop the pipeline once ``failure`` names one (a part it cannot run without has died)."""

    @context.app.timer(1.0)
    async def check_failure() -> None:
        if (why := failure()) and not context.failure:
            context.failure = why
            log.error("%s; stopping", context.failure)
            context.stop()


def _move_restart_point(context: PipelineContext, watch: HandledWatch) -> None:
    @context.app.timer(HANDLED_CHECK_S)
    async def move_restart_point() -> None:
        watch.check()


def _recycle_full_broker(context: PipelineContext, broker: EmbeddedBroker, watch: HandledWatch,
                         counts: IngestCounts) -> None:
    """Stop the run for a restart once the broker's memory passed its limit and the restart point stands at
    the journal's end: the fresh broker then gets nothing but the alerted values' figures, and the restart
    takes seconds. Only after this run handled articles: a fresh broker has nothing to shed. Tansu keeps
    every message in memory and cannot delete records (DeleteRecords is not implemented in 0.6.0: the
    request panics its connection), so a restart is the one way to shed them."""
    limit = context.settings.broker_recycle_mb

    @context.app.timer(RECYCLE_CHECK_S)
    async def recycle_full_broker() -> None:
        if counts.recycle or broker.rss_mb() < limit or not watch.caught_up():
            return
        counts.recycle = True
        log.warning("the embedded broker holds %.0f MiB (TALLYWIRE_BROKER_RECYCLE_MB=%d) and everything in it is"
                    " handled: restarting with a fresh one", broker.rss_mb(), limit)
        context.stop()


def _print_progress(context: PipelineContext, meter: ProgressMeter) -> Callable[..., None]:
    """The progress line on stdout every ``progress_interval_s``: on a terminal one line rewritten in place,
    the bar first and cut to the terminal's width (a wrapped line could not be rewritten); elsewhere (a file,
    a pipe) a line each time the counts changed, with no escape codes. Returns what prints the last one."""
    live = sys.stdout.isatty()
    shown = ""

    def show(last: bool = False) -> None:
        nonlocal shown
        counts = context.progress.line()
        if counts == shown and not live and not last:
            return
        shown = counts
        line, bar = meter.reading()
        if not live:
            print(f"progress: {line} {bar}".rstrip(), flush=True)
            return
        text = f"progress: {bar} {line}".replace("  ", " ")[: shutil.get_terminal_size().columns - 1]
        # "\r" and erase-to-end redraw the line; the log handler erases it too before a log line (logging_setup).
        print(f"\r{text}\x1b[K", end="\n" if last else "", flush=True)

    @context.app.timer(context.settings.progress_interval_s)
    async def print_progress() -> None:
        show()

    return show


def _stop_when_drained(context: PipelineContext, polling: Callable[[], bool]) -> None:
    idle_since: float | None = None
    stopping = False

    @context.app.timer(0.25)
    async def check_drained() -> None:
        nonlocal idle_since, stopping
        now = time.monotonic()
        if polling() or not context.progress.drained():
            idle_since = None
            return
        idle_since = idle_since or now
        if now - idle_since >= IDLE_CONFIRM_S and not stopping:
            stopping = True
            log.info("all topics drained: %s", context.progress.line())
            context.stop()
