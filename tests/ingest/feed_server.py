"""A news site on 127.0.0.1 for ingest's tests and benchmark: feeds in three formats, article pages,
and whatever bad behaviour a test adds with ``route``.

Out of the box it serves /robots.txt (disallowing /private/), /rss.xml (articles a1, a2; ETag "v1",
answers 304 to it), /atom.xml (a3), /rdf.xml (a4) and /articles/<name>.html for any name.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PARAGRAPH = (
    "Nach Angaben des ukrainischen Generalstabs sind etwa {n} nordkoreanische Soldaten in der Region Kursk "
    "stationiert. Beobachter erwarten in den kommenden Wochen weitere Verlegungen, während die Kämpfe an der "
    "Front unvermindert weitergehen und die Regierung in Kiew um zusätzliche Luftabwehrsysteme bittet. "
)
FIGURES = {"a1": "11.000", "a2": "3.000"}


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    declare_length: bool = True  # False: no Content-Length, the body ends when the connection closes
    delay_s: float = 0.0  # wait this long before answering


@dataclass(frozen=True)
class Request:
    path: str
    headers: Message
    at: float  # time.monotonic()


Route = Answer | Callable[[Request], Answer]


def page(title: str, n: str = "8.000", head: str = "") -> bytes:
    body = "".join(f"<p>{PARAGRAPH.format(n=n)}</p>" for _ in range(4))
    return (f"<html><head><meta charset='utf-8'><title>{title} | Nachrichten</title>"
            f"<link rel='canonical' href='/articles/{title}.html'>{head}</head>"
            f"<body><nav>Start | Politik</nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Impressum</footer></body></html>").encode("utf-8")


def rss(base: str, items: list[str], encoding: str = "utf-8", title: str = "Nachrichten") -> bytes:
    entries = "".join(f"<item><title>{i}</title><link>{base}/articles/{i}.html?utm_source=rss#top</link>"
                      f"<pubDate>Thu, 07 Nov 2024 10:00:00 GMT</pubDate></item>" for i in items)
    return (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>{title}</title>'
            f"{entries}</channel></rss>").encode(encoding)


def atom(base: str, items: list[str]) -> bytes:
    entries = "".join(f'<entry><title>{i}</title><link href="{base}/articles/{i}.html"/>'
                      f"<updated>2024-11-08T10:00:00Z</updated><id>urn:{i}</id></entry>" for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>'
            f"<id>urn:atom</id><updated>2024-11-08T10:00:00Z</updated>{entries}</feed>").encode()


def rdf(base: str, items: list[str]) -> bytes:
    entries = "".join(f'<item rdf:about="{base}/articles/{i}.html"><title>{i}</title>'
                      f"<link>{base}/articles/{i}.html</link><dc:date>2024-11-08T11:00:00Z</dc:date></item>"
                      for i in items)
    return ('<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<channel rdf:about="{base}/"><title>RDF</title><link>{base}/</link></channel>{entries}'
            "</rdf:RDF>").encode()


class FeedSite:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._routes: dict[str, Route] = {}
        self._prefix_routes: dict[str, Route] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as news sites serve
            disable_nagle_algorithm = True  # else headers and body, sent apart, wait on a delayed ACK

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                request = Request(self.path, self.headers, time.monotonic())
                site.requests.append(request)
                site._answer(self, site._route(request))

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that hangs up on a huge body is what the tests want

        self._server = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        self._news_routes()

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, answer: Route, prefix: bool = False) -> None:
        """Answer GET ``path`` (every path starting with it, if ``prefix``) with ``answer``."""
        (self._prefix_routes if prefix else self._routes)[path] = answer

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]

    def requests_to(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path.split("?")[0] == path]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _news_routes(self) -> None:
        base = self.base
        self.route("/robots.txt", Answer(body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"))
        feed = Answer(body=rss(base, ["a1", "a2"]), content_type="application/rss+xml",
                      headers={"ETag": '"v1"', "Last-Modified": "Thu, 07 Nov 2024 10:00:00 GMT"})
        self.route("/rss.xml", lambda request: Answer(304) if request.headers.get("If-None-Match") == '"v1"' else feed)
        self.route("/atom.xml", Answer(body=atom(base, ["a3"]), content_type="application/atom+xml"))
        self.route("/rdf.xml", Answer(body=rdf(base, ["a4"]), content_type="application/rdf+xml"))
        self.route("/articles/", self._article, prefix=True)

    @staticmethod
    def _article(request: Request) -> Answer:
        name = request.path.split("?")[0].rsplit("/", 1)[1].removesuffix(".html")
        return Answer(body=page(name, FIGURES.get(name, "8.000")))

    def _route(self, request: Request) -> Answer:
        path = request.path.split("?")[0]
        route = self._routes.get(path) or next(
            (answer for prefix, answer in self._prefix_routes.items() if path.startswith(prefix)), None)
        if route is None:
            return Answer(404, b"not found", "text/plain")
        return route(request) if callable(route) else route

    @staticmethod
    def _answer(handler: BaseHTTPRequestHandler, answer: Answer) -> None:
        time.sleep(answer.delay_s)
        handler.send_response(answer.status)
        handler.send_header("Content-Type", answer.content_type)
        if answer.declare_length:
            handler.send_header("Content-Length", str(len(answer.body)))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        for start in range(0, len(answer.body), 64 * 1024):
            handler.wfile.write(answer.body[start:start + 64 * 1024])
