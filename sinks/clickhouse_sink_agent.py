"""Sink agents: articles, figures, alerts and dead letters into ClickHouse, in batches.

Offsets are committed only after ClickHouse acknowledged the insert: Faust acks the events of a
``take`` batch once the agent asks for the next batch. While ClickHouse fails, the agent retries the
same batch with backoff, so the pipeline slows down instead of dropping.
"""

from __future__ import annotations

import asyncio
import logging

from sinks.alert_dispatcher import AlertDispatcher, channels_for
from tallywire.core.alert_rules import AlertRules, load_rules
from sinks.alert_deliveries import AlertDeliveries
from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink, stored_alert_ids, with_story_outlets
from sinks.migrations import apply_migrations
from sinks.query_endpoint import QueryEndpoint
from tallywire.runtime.backoff import Backoff
from tallywire.core.errors import ClickHouseError
from tallywire.runtime.faust_app import PipelineContext
from tallywire.core.progress import stored_event
from tallywire.core.topics import ALERT, ALERTS, ARTICLES, DEAD_LETTERS, FIGURES, DeadLetter, PoisonMessage, TopicSpec

log = logging.getLogger(__name__)

STAGE = "sink"
SINK_RETRY_FIRST_S = 0.2


def open_owned_clickhouse(context: PipelineContext) -> ClickHouse:
    settings = context.settings
    clickhouse = ClickHouse(settings.resolved_clickhouse_dsn, settings.clickhouse_password_value)
    apply_migrations(clickhouse)
    # The endpoint's queries run on connections of their own (sinks/query_session.py), never on the sink's.
    endpoint = QueryEndpoint(settings)
    endpoint.start()
    context.closers.extend([endpoint.stop, clickhouse.close])
    return clickhouse


def register(context: PipelineContext) -> None:
    rules = load_rules(context.settings.alert_rules_file, context.settings.alert_tolerance)
    sink = ClickHouseSink(open_owned_clickhouse(context), max(rules.tolerance, rules.min_change))
    dispatcher = _alert_dispatcher(context, sink.clickhouse, rules)
    for spec in (ARTICLES, FIGURES, ALERTS, DEAD_LETTERS):
        _register_table_agent(context, sink, spec, dispatcher)


def _alert_dispatcher(context: PipelineContext, clickhouse: ClickHouse, rules: AlertRules) -> AlertDispatcher:
    """Channels get an alert once ClickHouse has stored it for the first time (an outbox): a replay finds
    it stored and dispatches nothing. What a crash kept from its channels has no outcome in
    ``alert_deliveries``, and the dispatcher's catch-up rounds (the first one now) send it."""
    settings = context.settings

    def dead_letter(letter: DeadLetter) -> None:  # called on a channel's thread
        if context.app.loop.is_closed():
            # A delivery that gave up while the process shut down: the log line is all that is left.
            log.error("dead letter after shutdown, not sent: %s (%s)", letter.reason, letter.url)
            return
        asyncio.run_coroutine_threadsafe(context.dead_letter(letter), context.app.loop)

    dispatcher = AlertDispatcher(
        channels_for(settings, rules), dead_letter, AlertDeliveries(clickhouse, settings.alert_catch_up_max_age_h),
        settings.alert_catch_up_interval_s, settings.alert_catch_up_batch,
    )
    context.closers.insert(0, dispatcher.stop)
    return dispatcher


def _decode_batch(spec: TopicSpec, values: list[bytes]) -> tuple[list, list[DeadLetter]]:
    records, letters = [], []
    for value in values:
        try:
            records.append(spec.record.decode(value))
        except PoisonMessage as exc:
            letters.append(DeadLetter.of(STAGE, exc.reason, value, topic=spec.name))
    return records, letters


async def _write_until_stored(context: PipelineContext, sink: ClickHouseSink, spec: TopicSpec, records: list) -> list:
    # Half the wait is jitter: the sink's agents retrying together spread out, and each wait is still
    # longer than the one before, so the log shows the sink backing off.
    backoff = Backoff(SINK_RETRY_FIRST_S, context.settings.sink_retry_max_seconds, jitter=0.5)
    attempt = 0
    while True:
        try:
            return await context.in_thread(sink.write, spec, records)
        except ClickHouseError as exc:
            if context.app.should_stop:
                # Shutting down: leave the batch unacknowledged; it is delivered again on the next start.
                raise asyncio.CancelledError from exc
            wait = backoff.delay(attempt)
            log.warning("ClickHouse write to %s failed, retrying in %.1f s: %s", spec.name, wait, exc)
            await asyncio.sleep(wait)
            attempt += 1


async def _store(context: PipelineContext, sink: ClickHouseSink, spec: TopicSpec, records: list) -> list:
    """Store a batch; if the batch makes the sink raise (not ClickHouse being away, which is retried),
    store its records one by one and send each one that fails to the dead letters, so one bad record
    neither stops the sink nor takes its batch with it."""
    try:
        return await _write_until_stored(context, sink, spec, records)
    except Exception:  # noqa: BLE001 - any content error, narrowed to its record below
        log.exception("a batch of %d records of %s failed; storing them one by one", len(records), spec.name)
    stored = []
    for record in records:
        try:
            stored.extend(await _write_until_stored(context, sink, spec, [record]))
        except Exception as exc:  # noqa: BLE001
            await context.dead_letter(DeadLetter.of(STAGE, f"{STAGE} raised {type(exc).__name__}: {exc}"[:2000],
                                                    record.to_bytes(), topic=spec.name))
    return stored


def _register_table_agent(
    context: PipelineContext, sink: ClickHouseSink, spec: TopicSpec, dispatcher: AlertDispatcher
) -> None:
    settings = context.settings

    @context.app.agent(context.consume(spec, STAGE), name=f"{STAGE}-{spec.name}")
    async def store(stream):  # noqa: ANN001 - Faust's stream type
        async for values in stream.take(settings.sink_batch_size, within=settings.sink_batch_seconds):
            records, letters = _decode_batch(spec, values)
            if spec is DEAD_LETTERS:
                # A dead letter that is itself unreadable is stored as one; never sent round again.
                records.extend(letters)
            else:
                for letter in letters:
                    await context.dead_letter(letter)
            known: set[str] = set()
            if spec is ALERTS and records:
                try:
                    records = await context.in_thread(with_story_outlets, sink.clickhouse, records)
                    known = await context.in_thread(stored_alert_ids, sink.clickhouse, records)
                except ClickHouseError as exc:
                    log.warning("alerts keep outlets=1, their stories could not be counted (and a revision may be"
                                " counted as an alert): %s", exc)
            new = await _store(context, sink, spec, records) if records else []
            if spec is ALERTS:
                # A revision of a stored alert, a back-fill or a superseded entry is no news: it goes to
                # no channel and counts as no alert (a revision of an alert not sent yet goes out with
                # the catch-up round; the dispatcher skips an alert id that has an outcome).
                raised = {alert.alert_id: alert for alert in reversed(new) if alert.kind == ALERT and alert.alert_id not in known}
                new = list(reversed(raised.values()))
                for alert in new:
                    dispatcher.dispatch(alert)
            context.progress.note_event(stored_event(spec.name), len(new))
            context.progress.note_handled(STAGE, spec.name, len(values))
