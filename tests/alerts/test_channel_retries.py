"""The channels retry with the one retry policy: a webhook waits as long as its Retry-After asks, an email
is sent again after a temporary refusal (4xx) and not after a permanent one (5xx)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from sinks.channels import ChannelError
from sinks.channels.email import EmailChannel
from sinks.channels.webhook import WebhookChannel
from tests.alerts.test_channels import alert


@pytest.fixture
def busy_hook() -> Iterator[tuple[str, list[float]]]:
    """A webhook that answers its first request 429 with ``Retry-After: 1``, then 200; the times of the requests."""
    requests: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            self.rfile.read(int(self.headers["Content-Length"]))
            requests.append(time.monotonic())
            self.send_response(429 if len(requests) == 1 else 200)
            self.send_header("Retry-After", "1")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", requests
    server.shutdown()
    server.server_close()


def test_a_webhook_answered_429_waits_as_long_as_retry_after_asks(busy_hook: tuple[str, list[float]]) -> None:
    url, requests = busy_hook
    channel = WebhookChannel(url, retries=2, backoff_s=0.01)
    try:
        channel.deliver(alert())
    finally:
        channel.close()
    assert len(requests) == 2 and requests[1] - requests[0] >= 0.95


def smtp_replying(replies: list[str]) -> tuple[Controller, list[str]]:
    """An SMTP server answering each mail's data with the next of ``replies``, the last one from then on."""
    answered: list[str] = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd's hook
            answered.append(replies[min(len(answered), len(replies) - 1)])
            return answered[-1]

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller, answered


@pytest.mark.parametrize(("replies", "delivered", "answered"), [
    (["451 4.3.0 try again later", "250 OK"], True, 2),
    (["550 5.7.1 refused"], False, 1),
])
def test_an_email_is_sent_again_after_a_temporary_refusal_only(replies: list[str], delivered: bool, answered: int) -> None:
    controller, replied = smtp_replying(replies)
    channel = EmailChannel("127.0.0.1", controller.port, "tw@localhost", ["d@localhost"], starttls=False,
                           retries=3, backoff_s=0.01)
    try:
        if delivered:
            channel.deliver(alert())
        else:
            with pytest.raises(ChannelError, match="after 1 attempts: .*550"):
                channel.deliver(alert())
    finally:
        controller.stop()
    assert len(replied) == answered
