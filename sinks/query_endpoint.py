"""A read-only query endpoint on 127.0.0.1, served by the process that owns ClickHouse.

chDB lets one process open a data directory. While a pipeline runs, ``tallywire sql`` (and the
named queries and the report) send their query here instead; the file ``query-endpoint.json`` in
the data directory says where it listens, which process serves it and the token a request must carry.
The file is its owner's alone (0600): whoever can read it may query, as whoever can open the
data directory could without a pipeline. Any other local process, and a web page a local browser
opens (no-cors fetch, DNS rebinding), is refused before its query is read.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import re
import secrets
import threading
from collections.abc import Mapping
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sinks.query_session import formatted_result
from tallywire.core.errors import ClickHouseError
from tallywire.core.settings import Settings

log = logging.getLogger(__name__)

ENDPOINT_FILE = "query-endpoint.json"
TOKEN_HEADER = "X-Tallywire-Token"
MAX_QUERY_BYTES = 1024 * 1024


class QueryEndpoint:
    def __init__(self, settings: Settings) -> None:
        self.dsn = settings.resolved_clickhouse_dsn
        self.file = settings.data_dir / ENDPOINT_FILE
        self.token = secrets.token_urlsafe(32)
        handler = _handler_for(settings, self.token)
        handler.timeout = settings.query_endpoint_timeout_s  # a stalled client is hung up on, not waited for
        self._server = _BoundedServer(("127.0.0.1", settings.query_endpoint_port), handler,
                                      settings.query_endpoint_max_requests)
        self._thread = threading.Thread(target=self._server.serve_forever, name="query-endpoint", daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def start(self) -> None:
        self._thread.start()
        write_owner_only(self.file, json.dumps({"pid": os.getpid(), "url": self.url, "dsn": self.dsn, "token": self.token}))
        log.info("read-only query endpoint on %s", self.url)

    def stop(self) -> None:
        self.file.unlink(missing_ok=True)
        self._server.shutdown()
        self._server.server_close()


def write_owner_only(path: Path, text: str) -> None:
    """Write ``path`` readable by its owner only (0600), also where it exists already with another mode:
    the text goes to a new file, created 0600, which then replaces ``path`` (readers never see half)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
        file.write(text)
    os.replace(temporary, path)


def request_refusal(headers: Mapping[str, str] | Message, port: int, token: str) -> tuple[int, str] | None:
    """Why a request is refused before its body is read (HTTP status and message), or None."""
    if headers.get("Host") not in (f"127.0.0.1:{port}", f"localhost:{port}"):
        # A page whose host name was made to resolve to 127.0.0.1 (DNS rebinding) sends its own name.
        return 421, f"refused: Host {headers.get('Host')!r} is not this endpoint (127.0.0.1:{port})"
    if "Origin" in headers:
        # Browsers send Origin with every POST, a no-cors fetch included; tallywire's client never does.
        return 403, "refused: a request from a web page (Origin header)"
    if not hmac.compare_digest(headers.get(TOKEN_HEADER, "").encode(), token.encode()):
        return 403, f"refused: missing or wrong {TOKEN_HEADER} (the token is in {ENDPOINT_FILE})"
    length = headers.get("Content-Length")
    if length is None:
        return 411, "refused: no Content-Length"
    if not re.fullmatch(r"[0-9]{1,12}", length):
        return 400, f"refused: Content-Length {length!r} is not a number of bytes"
    if int(length) > MAX_QUERY_BYTES:
        return 413, f"refused: the query is {int(length)} bytes, more than {MAX_QUERY_BYTES}"
    return None


class _BoundedServer(ThreadingHTTPServer):
    """A thread per connection, at most ``max_requests`` at once: one more connection is closed unserved,
    so stalled clients cannot pile up threads (each is hung up on after the handler's timeout)."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], max_requests: int) -> None:
        self._slots = threading.BoundedSemaphore(max_requests)
        super().__init__(address, handler)

    def process_request(self, request, client_address) -> None:  # noqa: ANN001 - the stdlib's types
        if not self._slots.acquire(blocking=False):
            log.warning("query endpoint busy (%s)", client_address)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:  # noqa: ANN001
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def _handler_for(settings: Settings, token: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            refusal = request_refusal(self.headers, self.connection.getsockname()[1], token)
            if refusal:
                self._reply_error(*refusal)
                return
            try:
                request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                body = formatted_result(settings, request["sql"], request.get("format", "table"))
            except ClickHouseError as exc:
                self._reply_error(400, str(exc), exc.hint)
            except (ValueError, KeyError, TypeError) as exc:
                self._reply_error(400, f"bad request: {exc}")
            else:
                self._reply(200, "text/plain; charset=utf-8", body)

        def _reply_error(self, status: int, message: str, hint: str = "") -> None:
            # As JSON, so that the client raises the same error, hint included, as a query run directly.
            self._reply(status, "application/json", json.dumps({"error": message, "hint": hint}).encode("utf-8"))

        def _reply(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
            log.debug("query endpoint: " + format, *args)

    return Handler
