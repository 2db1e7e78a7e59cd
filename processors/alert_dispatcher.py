"""Fan each new alert out to its channels, each on its own thread and queue.

A slow or failing channel never holds the others or the pipeline: ``dispatch`` only enqueues; a
delivery that finally fails becomes a dead letter with the reason and the alert.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Protocol

from processors.alert_rules import AlertRules
from processors.channels import ChannelError
from processors.channels.email import EmailChannel
from processors.channels.log_channel import LogChannel
from processors.channels.webhook import WebhookChannel
from tallywire.settings import Settings
from tallywire.topics import Alert, DeadLetter

log = logging.getLogger(__name__)

QUEUE_SIZE = 10_000
_STOP = object()


class Channel(Protocol):
    name: str

    def deliver(self, alert: Alert) -> None: ...


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
    def __init__(self, channels: list[Channel], dead_letter: Callable[[DeadLetter], None]) -> None:
        self.dead_letter = dead_letter
        self.delivered = 0
        self.failed = 0
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
        for pending in self._queues:
            try:
                pending.put_nowait(alert)
            except queue.Full:
                self._fail(alert, "the channel's queue is full: it has been failing or slow for a long time")

    def _drain(self, channel: Channel, pending: queue.Queue) -> None:
        while (alert := pending.get()) is not _STOP:
            try:
                channel.deliver(alert)
                self.delivered += 1
            except ChannelError as exc:
                self._fail(alert, f"{channel.name}: {exc}")
            except Exception as exc:  # a channel bug must not end its thread: the next alert still goes out
                log.exception("channel %s crashed on alert %s", channel.name, alert.alert_id)
                self._fail(alert, f"{channel.name}: {type(exc).__name__}: {exc}")

    def _fail(self, alert: Alert, reason: str) -> None:
        self.failed += 1
        log.error("alert %s not delivered: %s", alert.alert_id, reason)
        self.dead_letter(DeadLetter.of("alerts", reason, alert.to_bytes(), topic="alerts.v1", url=alert.url))

    def stop(self, timeout_s: float = 30.0) -> None:
        """Deliver what is queued (bounded by ``timeout_s``), then end the threads."""
        for pending in self._queues:
            pending.put(_STOP)
        for thread in self._threads:
            thread.join(timeout=timeout_s)
