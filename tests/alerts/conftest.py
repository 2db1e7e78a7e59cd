"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller


@pytest.fixture
def smtp() -> Iterator[list]:
    class Received(list):
        port: int

    received = Received()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    received.port = port
    yield received
    controller.stop()
