"""A TCP proxy on 127.0.0.1 that can drop every connection: a network outage between two processes.

While ``dropping()`` lasts, the connections open through it are cut and new ones are reset as soon as
they are accepted, so the client sees what it sees when a server or the path to it goes away.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def _reset(sock: socket.socket) -> None:
    """Cut the connection as a crashed peer or a firewall does: SO_LINGER 0 makes the close send RST,
    not a polite FIN. close() alone would neither wake a thread blocked in recv() on the socket nor, as
    that thread still holds it, close it; shutdown(SHUT_RD) does both."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RD)
    except OSError:
        pass  # already closed
    sock.close()


class DroppingProxy:
    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._dropping = threading.Event()
        self._open: set[socket.socket] = set()
        self._half_closed: set[socket.socket] = set()  # sockets whose direction has ended
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, name="proxy-accept", daemon=True).start()

    @contextmanager
    def dropping(self) -> Iterator[None]:
        self._dropping.set()
        self._cut_all()
        try:
            yield
        finally:
            self._dropping.clear()

    def close(self) -> None:
        self._listener.close()
        self._cut_all()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            if self._dropping.is_set():
                _reset(client)
                continue
            try:
                server = socket.create_connection(("127.0.0.1", self.upstream_port))
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._open.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        """One direction. A clean end of stream is passed on as a FIN (a reset would discard what the
        target has not read yet) and the second direction to end closes both; an error cuts both."""
        try:
            while data := source.recv(65536):
                target.sendall(data)
            target.shutdown(socket.SHUT_WR)
        except OSError:
            self._cut(source, target)
            return
        with self._lock:
            self._half_closed.add(source)
            both_ended = target in self._half_closed
            if both_ended:
                self._half_closed -= {source, target}
                self._open -= {source, target}
        if both_ended:
            source.close()
            target.close()

    def _cut_all(self) -> None:
        with self._lock:
            live = list(self._open)
        self._cut(*live)

    def _cut(self, *socks: socket.socket) -> None:
        with self._lock:
            self._open.difference_update(socks)
            self._half_closed.difference_update(socks)
        for sock in socks:
            _reset(sock)
