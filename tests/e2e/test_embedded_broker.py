"""The embedded broker starts on a port nobody else holds, even when one takes its port first."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka import KafkaProducer

from tallywire.runtime import embedded_broker
from tallywire.runtime.embedded_broker import PORT_ATTEMPTS, EmbeddedBroker
from tallywire.core.errors import BrokerError

pytestmark = pytest.mark.e2e


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A loopback port another program listens on (and answers, as a broker would)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_a_port_taken_before_the_broker_binds_it_is_replaced(
    tmp_path: Path, taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The race itself cannot be timed from a test: hand the broker the taken port first, as the
    # kernel would after another program grabbed the port tallywire had just released.
    offered = iter([taken_port])
    real_free_port = embedded_broker._free_port
    monkeypatch.setattr(embedded_broker, "_free_port", lambda: next(offered, None) or real_free_port())
    with EmbeddedBroker(tmp_path) as broker:
        assert broker.port != taken_port
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap, request_timeout_ms=5000)
        producer.send("t", b"x").get(timeout=10)
        producer.close()
    assert "AddrInUse" in (tmp_path / "broker.log").read_text()


def test_a_broker_that_never_gets_a_port_says_so(
    tmp_path: Path, taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(embedded_broker, "_free_port", lambda: taken_port)
    with pytest.raises(BrokerError, match=f"in {PORT_ATTEMPTS} tries"):
        EmbeddedBroker(tmp_path).start()
    assert not (tmp_path / "broker.json").exists()
