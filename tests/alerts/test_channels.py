"""Alert channels against real receivers on 127.0.0.1: a webhook HTTP server and an SMTP server."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sinks.alert_dispatcher import AlertDispatcher
from tallywire.core.alert_rules import AlertRules, load_rules
from sinks.channels.email import EmailChannel
from sinks.channels import ALERT_ID_HEADER
from sinks.channels.webhook import SIGNATURE_HEADER, WebhookChannel
from tallywire.core.errors import ConfigError
from tallywire.core.topics import Alert, DeadLetter
from tests.conftest import REPO
from tallywire.testkit.cli_runner import wait_until

NOW = datetime(2024, 11, 7, tzinfo=timezone.utc)


def alert(value: float = 11000, previous: float | None = 3000) -> Alert:
    return Alert(
        alert_id=f"a{value}", category="troops", force="north_korea", location="Kursk", value=value, qualifier="exact",
        status="reported", previous_value=previous, change=None if previous is None else value - previous,
        figure_id="f1", article_id="a000", story_id="s000", title="Nordkoreanische Truppen", url="https://example.org/a",
        source="outlet-a", published_at=NOW, attribution="Selenskyj",
        sentence="Selenskyj gab bekannt, dass sich 11.000 nordkoreanische Soldaten in der Region befinden.", created_at=NOW,
    )


class Receiver:
    """A webhook endpoint that fails the first ``failures`` requests with 500, optionally slowly.

    With ``hold_at``, the request of that index (from 0) is held unanswered until ``released`` is set,
    then its connection is closed without an answer (status 0): a sender killed meanwhile never learns
    whether it arrived. ``holding`` is set while it is held."""

    def __init__(self, failures: int = 0, delay_s: float = 0.0, hold_at: int | None = None) -> None:
        self.failures, self.delay_s, self.hold_at = failures, delay_s, hold_at
        self.holding, self.released = threading.Event(), threading.Event()
        self.requests: list[tuple[dict[str, str], bytes, int]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if len(receiver.requests) == receiver.hold_at:
                    receiver.holding.set()
                    receiver.released.wait()
                    receiver.requests.append((dict(self.headers), body, 0))
                    self.close_connection = True
                    return
                time.sleep(receiver.delay_s)
                status = 500 if len(receiver.requests) < receiver.failures else 200
                receiver.requests.append((dict(self.headers), body, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def delivered(self) -> list[bytes]:
        return [body for _, body, status in self.requests if status == 200]

    def delivered_ids(self) -> list[str]:
        """The alert id of each request answered 200, in order."""
        return [headers[ALERT_ID_HEADER] for headers, _, status in self.requests if status == 200]


class MemoryDeliveries:
    """The delivery record in memory, with the alerts ``stored`` as if in ClickHouse."""

    def __init__(self, stored: tuple[Alert, ...] = ()) -> None:
        self.stored = list(stored)
        self.outcomes: dict[tuple[str, str], str] = {}

    def pending(self, channel: str, limit: int, settled_s: float) -> list[Alert]:
        return [a for a in self.stored if (channel, a.alert_id) not in self.outcomes][:limit]

    def recorded(self, channel: str, alert_ids: list[str]) -> set[str]:
        return {i for i in alert_ids if (channel, i) in self.outcomes}

    def record(self, channel: str, alert_id: str, error: str = "") -> None:
        self.outcomes[(channel, alert_id)] = error


def test_one_alert_reaches_both_channels_with_its_context(smtp: list) -> None:
    hook = Receiver()
    letters: list[DeadLetter] = []
    deliveries = MemoryDeliveries()
    dispatcher = AlertDispatcher(
        [WebhookChannel(hook.url, secret="s3cret"), EmailChannel("127.0.0.1", smtp.port, "tw@localhost", ["desk@localhost"], starttls=False)],
        letters.append, deliveries,
    )
    dispatcher.dispatch(alert())
    dispatcher.stop()
    [body] = hook.delivered()
    sent = json.loads(body)
    assert sent["alert"]["value"] == 11000 and sent["alert"]["previous_value"] == 3000
    assert "Selenskyj" in sent["summary"] and "+8,000" in sent["summary"]
    headers = hook.requests[0][0]
    assert headers[SIGNATURE_HEADER] == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    # The alert id, for receivers to deduplicate by.
    assert headers[ALERT_ID_HEADER] == sent["alert_id"] == sent["alert"]["alert_id"] == alert().alert_id
    [mail] = smtp
    text = mail.content.decode()
    assert "11,000" in text and "Selenskyj" in text and "https://example.org/a" in text and "nordkoreanische" in text
    assert f"Message-ID: <{alert().alert_id}@localhost>" in text and f"{ALERT_ID_HEADER}: {alert().alert_id}" in text
    assert letters == []
    assert deliveries.outcomes == {(WebhookChannel(hook.url).key, alert().alert_id): "", ("email", alert().alert_id): ""}


def test_a_webhook_failing_three_times_gets_the_alert_once_without_holding_email(smtp: list) -> None:
    hook = Receiver(failures=3, delay_s=0.3)
    dispatcher = AlertDispatcher(
        [WebhookChannel(hook.url, retries=4, backoff_s=0.2), EmailChannel("127.0.0.1", smtp.port, "tw@localhost", ["d@localhost"], starttls=False)],
        lambda letter: None, MemoryDeliveries(),
    )
    started = time.monotonic()
    dispatcher.dispatch(alert())
    wait_until(lambda: len(smtp) == 1, 10, "the email")
    assert time.monotonic() - started < 1.0, "email waited for the failing webhook"
    dispatcher.stop()
    assert [status for _, _, status in hook.requests] == [500, 500, 500, 200]
    assert len(hook.delivered()) == 1


def test_a_channel_that_stays_down_becomes_a_dead_letter_recorded_as_one() -> None:
    letters: list[DeadLetter] = []
    deliveries = MemoryDeliveries()
    channel = WebhookChannel("http://127.0.0.1:9/hook", retries=1, backoff_s=0.01)
    dispatcher = AlertDispatcher([channel], letters.append, deliveries)
    dispatcher.dispatch(alert())
    dispatcher.stop()
    [letter] = letters
    assert letter.stage == "alerts" and "webhook" in letter.reason
    assert Alert.decode(letter.payload).alert_id == alert().alert_id
    # Recorded with its reason, so no catch-up round tries it again.
    assert deliveries.outcomes == {(channel.key, alert().alert_id): letter.reason}


def test_a_started_dispatcher_sends_each_stored_undelivered_alert_once() -> None:
    hook = Receiver()
    channel = WebhookChannel(hook.url)
    stored = tuple(alert(value) for value in (1000, 2000, 3000, 4000, 5000))
    deliveries = MemoryDeliveries(stored)
    deliveries.record(channel.key, stored[0].alert_id)  # delivered before the crash
    # Rounds of two: a backlog is sent round after round, oldest first.
    dispatcher = AlertDispatcher([channel], lambda letter: None, deliveries, round_interval_s=60, round_size=2)
    wait_until(lambda: len(hook.delivered()) == 4, 10, "the four pending alerts")
    dispatcher.dispatch(stored[4])  # the agent's own dispatch of an alert a round has sent: not sent again
    dispatcher.stop()
    assert hook.delivered_ids() == [a.alert_id for a in stored[1:]]


def test_the_slack_payload_is_slack_shaped() -> None:
    hook = Receiver()
    WebhookChannel(hook.url, fmt="slack").deliver(alert(previous=None))
    sent = json.loads(hook.delivered()[0])
    assert sent["text"].startswith(":rotating_light:") and sent["blocks"][0]["type"] == "section"


def test_bad_rules_files_say_what_is_wrong(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text("watch: {colours: [red]}\n")
    with pytest.raises(ConfigError, match="unknown keys"):
        load_rules(bad)
    bad.write_text("channels: [pager]\n")
    with pytest.raises(ConfigError, match="channels"):
        load_rules(bad)
    assert load_rules(None) == AlertRules()
