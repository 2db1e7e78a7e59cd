"""A read-only query endpoint on 127.0.0.1, served by the process that owns ClickHouse.

chDB lets one process open a data directory. While a pipeline runs, ``tallywire sql`` (and the
named queries and the report) send their query here instead; the file ``query-endpoint.json`` in
the data directory says where it listens and which process serves it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sinks.clickhouse_client import ClickHouse
from tallywire.errors import ClickHouseError

log = logging.getLogger(__name__)

ENDPOINT_FILE = "query-endpoint.json"
MAX_QUERY_BYTES = 1024 * 1024


class QueryEndpoint:
    def __init__(self, clickhouse: ClickHouse, data_dir: Path, port: int = 0) -> None:
        self.clickhouse = clickhouse
        self.file = data_dir / ENDPOINT_FILE
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(clickhouse))
        self._thread = threading.Thread(target=self._server.serve_forever, name="query-endpoint", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/query"

    def start(self) -> None:
        self._thread.start()
        self.file.write_text(json.dumps({"pid": os.getpid(), "url": self.url, "dsn": self.clickhouse.dsn}))
        log.info("read-only query endpoint on %s", self.url)

    def stop(self) -> None:
        self.file.unlink(missing_ok=True)
        self._server.shutdown()
        self._server.server_close()


def _handler_for(clickhouse: ClickHouse) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_QUERY_BYTES:
                self._reply(413, b"query too large")
                return
            try:
                request = json.loads(self.rfile.read(length))
                body = clickhouse.formatted(request["sql"], request.get("format", "table"))
            except ClickHouseError as exc:
                self._reply(400, str(exc).encode("utf-8"))
            except (ValueError, KeyError, TypeError) as exc:
                self._reply(400, f"bad request: {exc}".encode("utf-8"))
            else:
                self._reply(200, body)

        def _reply(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
            log.debug("query endpoint: " + format, *args)

    return Handler
