"""ClickHouse's HTTP interface in front of chDB, so tests can drive the ``http://`` DSN path.

No ClickHouse server installs here (PyPI has none; Debian's is 18.16, which clickhouse-connect
refuses). This process serves what clickhouse-connect's HTTP client sends, statement by statement, to
the ClickHouse engine that chDB embeds: queries run there and their output goes back in the format
asked for; an insert's body (``INSERT ... FORMAT Native`` then the Native data, compressed or not) is
written to a file and read with ``INSERT ... FROM INFILE``, as clickhouse-connect's own chDB backend
does. Errors come back the way a server sends them: status 500 and ``Code: N. DB::Exception: ...``.
Only the engine is ClickHouse's; the HTTP handling, sessions and server settings are this module's.

    python -m tests.e2e.clickhouse_http_server DIR --port-file FILE   # prints nothing, writes the port
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import tempfile
import threading
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import chdb

from clickhouse_connect.driver.compression import _require_lz4, _zstd_decompress

_INSERT_HEAD = re.compile(rb"^\s*(INSERT\s.+?\sFORMAT\s+\w+)[ \t]*\r?\n", re.IGNORECASE | re.DOTALL)
_TRAILING_FORMAT = re.compile(rb"\sFORMAT\s+(\w+)\s*;?\s*$", re.IGNORECASE)
_ERROR_CODE = re.compile(r"Code: (\d+)")
_DECOMPRESS = {
    "lz4": lambda data: _require_lz4().decompress(data),
    "zstd": _zstd_decompress,
    "gzip": gzip.decompress,
    "deflate": zlib.decompress,
}


class ChdbHttpHandler(BaseHTTPRequestHandler):
    engine: chdb.Connection  # set on the class by serve(); not "connection", the socket's name
    lock = threading.Lock()  # one statement at a time: a chDB connection is not thread-safe
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        """Quiet: the tests read the pipeline's logs, not this server's."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if urlsplit(self.path).path == "/ping":
            self._reply(200, b"Ok.\n")
        else:
            self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            body = b"".join(chunks)
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "identity").lower()
        return body if encoding == "identity" else _DECOMPRESS[encoding](body)

    def _answer(self) -> None:
        params = dict(parse_qsl(urlsplit(self.path).query))
        body = self._body()
        statement, data = (params["query"].encode(), body) if "query" in params else (body, b"")
        insert = _INSERT_HEAD.match(statement)
        if insert and statement[insert.end():]:
            statement, data = insert.group(1), statement[insert.end():] + data
        trailing = _TRAILING_FORMAT.search(statement)
        head = statement[:trailing.start()] if trailing else statement
        # Without a FORMAT clause, output follows default_format and inserted data is TabSeparated.
        default = "TabSeparated" if data else params.get("default_format", "TabSeparated")
        fmt = trailing.group(1).decode() if trailing else default
        query_id = params.get("query_id") or str(uuid.uuid4())
        try:
            output = self._run(statement.decode(), head.decode(), fmt, data, params.get("database"))
        except Exception as exc:  # noqa: BLE001 - every engine error goes back to the client as a server's would
            message = str(exc).strip() or type(exc).__name__
            code = _ERROR_CODE.search(message)
            self._reply(500, (message if code else f"Code: 1000. DB::Exception: {message}").encode() + b"\n",
                        {"X-ClickHouse-Exception-Code": code.group(1) if code else "1000", "X-ClickHouse-Query-Id": query_id})
            return
        self._reply(200, output, {"X-ClickHouse-Query-Id": query_id, "X-ClickHouse-Timezone": "UTC",
                                  "X-ClickHouse-Summary": json.dumps({"read_rows": "0", "written_rows": "0"})})

    def _run(self, statement: str, head: str, fmt: str, data: bytes, database: str | None) -> bytes:
        """``statement`` with its output in ``fmt``; with ``data``, the insert ``head`` (the statement
        without its FORMAT clause) reading ``data`` in ``fmt``."""
        with self.lock:
            if database:
                self.engine.query(f"USE `{database}`", "TabSeparated")
            if not data:
                return self.engine.query(statement, fmt).bytes()
            with tempfile.NamedTemporaryFile(suffix=".insert") as file:
                file.write(data)
                file.flush()
                self.engine.query(f"{head} FROM INFILE '{file.name}' FORMAT {fmt}", "TabSeparated")
            return b""

    def _reply(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(path: Path) -> ThreadingHTTPServer:
    """A server on a free port of 127.0.0.1 over the chDB directory ``path``."""
    path.mkdir(parents=True, exist_ok=True)
    ChdbHttpHandler.engine = chdb.connect(str(path))
    return ThreadingHTTPServer(("127.0.0.1", 0), ChdbHttpHandler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="chDB data directory")
    parser.add_argument("--port-file", type=Path, required=True, help="where to write the port once listening")
    args = parser.parse_args()
    server = serve(args.path)
    temporary = args.port_file.with_suffix(".tmp")
    temporary.write_text(str(server.server_port))
    os.replace(temporary, args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
