"""Fan each new alert out to its channels, each on its own thread and queue, at least once across crashes.

A slow or failing channel never holds the others or the pipeline: ``dispatch`` only enqueues. Each
channel's outcome is written to a durable delivery record (``Deliveries``, the ``alert_deliveries``
table): delivered once the channel confirmed it, or a dead letter once it gave up. Each channel's
thread also runs catch-up rounds, at start and then every ``round_interval_s``, that send what is
stored but has no outcome on the channel: what a crash, a full queue or a ClickHouse outage left
behind. A crash after a delivery and before its record sends that alert once more on the next start,
so receivers deduplicate by the alert id the payloads carry.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Sequence
from typing import Protocol

from tallywire.core.alert_rules import AlertRules
from sinks.channels import ChannelError
from sinks.channels.email import EmailChannel
from sinks.channels.log_channel import LogChannel
from sinks.channels.webhook import WebhookChannel
from tallywire.core.errors import ClickHouseError
from tallywire.core.settings import Settings
from tallywire.core.topics import ALERTS, Alert, DeadLetter

log = logging.getLogger(__name__)

QUEUE_SIZE = 10_000
RECORD_RETRY_MAX_S = 30.0
_STOP = object()


class Channel(Protocol):
    name: str
    key: str  # one per destination: what the delivery record is kept under

    def deliver(self, alert: Alert) -> None: ...


class Deliveries(Protocol):
    def pending(self, channel: str, limit: int, settled_s: float) -> list[Alert]: ...

    def recorded(self, channel: str, alert_ids: Sequence[str]) -> set[str]: ...

    def record(self, channel: str, alert_id: str, error: str = "") -> None: ...


def channels_for(settings: Settings, rules: AlertRules) -> list[Channel]:
    """The channels the rules ask for that the settings configure."""
    found: list[Channel] = []
    if "log" in rules.channels:
        found.append(LogChannel())
    if "webhook" in rules.channels:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        for url in filter(None, (u.strip() for u in settings.webhook_urls.split(","))):
            found.append(WebhookChannel(url, settings.webhook_format, secret, settings.webhook_timeout_s,
                                        settings.webhook_retries))
    recipients = [r.strip() for r in settings.smtp_to.split(",") if r.strip()]
    if "email" in rules.channels and settings.smtp_host and recipients:
        password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        found.append(EmailChannel(settings.smtp_host, settings.smtp_port, settings.smtp_from, recipients,
                                  settings.smtp_starttls, settings.smtp_user, password))
    return found


class AlertDispatcher:
    def __init__(self, channels: list[Channel], dead_letter: Callable[[DeadLetter], None], deliveries: Deliveries,
                 round_interval_s: float = 30.0, round_size: int = 100) -> None:
        self.dead_letter, self.deliveries = dead_letter, deliveries
        self.round_interval_s, self.round_size = round_interval_s, round_size
        self.delivered = 0
        self.failed = 0
        self._stopping = threading.Event()
        self._queues: list[queue.Queue] = []
        self._threads: list[threading.Thread] = []
        for channel in channels:
            pending: queue.Queue = queue.Queue(maxsize=QUEUE_SIZE)
            thread = threading.Thread(target=self._drain, args=(channel, pending), name=f"alerts-{channel.name}",
                                      daemon=True)
            self._queues.append(pending)
            self._threads.append(thread)
            thread.start()

    def dispatch(self, alert: Alert) -> None:
        """Send a just stored alert on every channel."""
        for pending in self._queues:
            try:
                pending.put_nowait(alert)
            except queue.Full:
                log.warning("alert %s waits for a catch-up round: a channel's queue is full", alert.alert_id)

    def _drain(self, channel: Channel, pending: queue.Queue) -> None:
        # The first round, at start, takes every pending alert: nothing of this process is in flight yet.
        # Later rounds leave alone what was stored in the last interval, which the queue (of this
        # sink, or of another sink replica) is still delivering.
        next_round, settled_s = time.monotonic(), 0.0
        while True:
            if time.monotonic() >= next_round:
                full = self._catch_up(channel, settled_s)
                # A full round means a backlog: the next round follows at once, after one queued alert.
                next_round = time.monotonic() + (0.0 if full else self.round_interval_s)
                settled_s = self.round_interval_s
            try:
                alert = pending.get(timeout=max(0.0, next_round - time.monotonic()))
            except queue.Empty:
                continue
            if alert is _STOP:
                return
            self._deliver_new(channel, alert)

    def _catch_up(self, channel: Channel, settled_s: float) -> bool:
        """One round of stored alerts without an outcome on the channel; whether it was a full one."""
        try:
            alerts = self.deliveries.pending(channel.key, self.round_size, settled_s)
        except ClickHouseError as exc:
            log.warning("alerts pending on %s not read, trying again in the next round: %s", channel.key, exc)
            return False
        if alerts:
            log.info("catching up %d stored alerts not yet sent on %s", len(alerts), channel.key)
        for alert in alerts:
            self._send(channel, alert)
        return len(alerts) == self.round_size

    def _deliver_new(self, channel: Channel, alert: Alert) -> None:
        try:
            # A queue that lagged a round behind may hold an alert that round has sent already.
            if self.deliveries.recorded(channel.key, [alert.alert_id]):
                return
        except ClickHouseError as exc:
            log.warning("alert %s left to a catch-up round on %s: %s", alert.alert_id, channel.key, exc)
            return
        self._send(channel, alert)

    def _send(self, channel: Channel, alert: Alert) -> None:
        error = ""
        try:
            channel.deliver(alert)
            self.delivered += 1
        except ChannelError as exc:
            error = f"{channel.name}: {exc}"
        except Exception as exc:  # a channel bug must not end its thread: the next alert still goes out
            log.exception("channel %s crashed on alert %s", channel.name, alert.alert_id)
            error = f"{channel.name}: {type(exc).__name__}: {exc}"
        if error:
            self._fail(alert, error)
        self._record(channel, alert.alert_id, error)

    def _record(self, channel: Channel, alert_id: str, error: str) -> None:
        """The outcome, retried while ClickHouse is away: an alert sent and not recorded is sent again."""
        delay = 0.2
        while True:
            try:
                self.deliveries.record(channel.key, alert_id, error)
                return
            except ClickHouseError as exc:
                if self._stopping.is_set():
                    log.error("the outcome of alert %s on %s is not recorded; the next start sends it again: %s",
                              alert_id, channel.key, exc)
                    return
                log.warning("recording the outcome of alert %s on %s failed, retrying in %.1f s: %s",
                            alert_id, channel.key, delay, exc)
                self._stopping.wait(delay)
                delay = min(delay * 2, RECORD_RETRY_MAX_S)

    def _fail(self, alert: Alert, reason: str) -> None:
        self.failed += 1
        log.error("alert %s not delivered: %s", alert.alert_id, reason)
        self.dead_letter(DeadLetter.of("alerts", reason, alert.to_bytes(), topic=ALERTS.name, url=alert.url))

    def stop(self, timeout_s: float = 30.0) -> None:
        """Deliver what is queued (bounded by ``timeout_s``), then end the threads."""
        self._stopping.set()
        for pending in self._queues:
            pending.put(_STOP)
        for thread in self._threads:
            thread.join(timeout=timeout_s)
