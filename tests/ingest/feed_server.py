"""A news site on 127.0.0.1 for the poller's tests: feeds in three formats, pages, and bad behaviour.

The slow routes write raw HTTP/1.1 by hand, a few bytes at a time, until the client hangs up or the
site is closed: a slowloris server, a body that never ends, headers that never end.
"""

from __future__ import annotations

import gzip
import threading
import time
from pathlib import Path
from xml.sax.saxutils import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PARAGRAPH = (
    "Nach Angaben des ukrainischen Generalstabs sind etwa {n} nordkoreanische Soldaten in der Region Kursk "
    "stationiert. Beobachter erwarten in den kommenden Wochen weitere Verlegungen, während die Kämpfe an der "
    "Front unvermindert weitergehen und die Regierung in Kiew um zusätzliche Luftabwehrsysteme bittet. "
)


def page(title: str, n: str) -> bytes:
    body = "".join(f"<p>{PARAGRAPH.format(n=n)}</p>" for _ in range(4))
    return (f"<html><head><title>{title}</title><link rel='canonical' href='/articles/{title}.html'></head>"
            f"<body><nav>Start | Politik</nav><article><h1>{title}</h1>{body}</article>"
            f"<footer>Impressum</footer></body></html>").encode("utf-8")


def rss(items: list[str], encoding: str = "utf-8", title: str = "Nachrichten") -> bytes:
    return rss_of_links([(i, f"{{base}}/articles/{i}.html?utm_source=rss#top") for i in items], encoding, title)


def rss_of_links(items: list[tuple[str, str]], encoding: str = "utf-8", title: str = "Nachrichten") -> bytes:
    """A feed of (title, link) items; ``{base}`` in a link stands for the site's address."""
    entries = "".join(f"<item><title>{name}</title><link>{escape(link)}</link>"
                      f"<pubDate>Thu, 07 Nov 2024 10:00:00 GMT</pubDate></item>" for name, link in items)
    return (f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>{title}</title>'
            f"{entries}</channel></rss>").encode(encoding)


# Links that once made the poller raise and stop (httpx.InvalidURL, ValueError), on every restart again.
CRAFTED_LINKS = ["http://010.010.010.010/", "http://１２７.０.０.１/", "http://127.0.0.1:99999/", "http://[::1"]
# An article page of about 4.4 MB of text: more than a broker takes in one message.
HUGE_TEXT_PAGE = page("huge-text", "8.000").replace(b"<p>", b"<p>" + PARAGRAPH.format(n="9.000").encode() * 14500, 1)


ATOM = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>'
        '<entry><title>a3</title><link href="{base}/articles/a3.html"/><updated>2024-11-08T10:00:00Z</updated>'
        "<id>a3</id></entry></feed>").encode()
RDF = ('<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
       'xmlns="http://purl.org/rss/1.0/"><channel rdf:about="{base}/"><title>RDF</title></channel>'
       '<item rdf:about="{base}/articles/a4.html"><title>a4</title><link>{base}/articles/a4.html</link></item>'
       "</rdf:RDF>").encode()
BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;'
                  b'&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'
                  b'&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
                  b"<rss><channel><title>&lol4;</title></channel></rss>")
# External entities: a parser that resolved them would put the file, or the answer of an internal URL,
# into the feed.
XXE = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
       b"<rss><channel><title>&xxe;</title><item><title>x1</title><link>{base}/articles/x1.html</link></item>"
       b"</channel></rss>")
XXE_PARAMETER = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM "{base}/evil.dtd"> %remote;]>'
                 b"<rss><channel><title>t</title></channel></rss>")
TRICKLE_INTERVAL_S = 0.05

BLOCK_PAGES = Path(__file__).resolve().parents[1] / "data" / "block_pages"
# Each block page and the kind its dead letter's reason begins with; beside them, in articles/, real-looking
# articles that carry the same scripts or speak of cookies, Cloudflare, subscriptions, 404 and JavaScript.
BLOCK_PAGE_KINDS = {
    "cloudflare-just-a-moment.html": "blocked: bot challenge",
    "cloudflare-checking-browser.html": "blocked: bot challenge",
    "cloudflare-blocked.html": "blocked: access denied",
    "akamai-access-denied.html": "blocked: access denied",
    "datadome-captcha.html": "blocked: captcha",
    "perimeterx-press-hold.html": "blocked: captcha",
    "consent-wall-en.html": "blocked: consent wall",
    "consent-wall-de.html": "blocked: consent wall",
    "paywall-en.html": "paywall",
    "paywall-de.html": "paywall",
    "javascript-required.html": "blocked: javascript required",
    "soft-404.html": "soft 404",
}


class FeedSite:
    """The site, listening on ``address`` (a free port on 127.0.0.1 by default); its links name ``host``,
    the address itself unless a test resolves a name to it."""

    def __init__(self, address: tuple[str, int] = ("127.0.0.1", 0), host: str = "") -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.limited_calls = 0
        self.served: dict[str, tuple[bytes, str]] = {}  # routes a test adds: body and content type, status 200
        self.closed = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                site.requests.append((self.path, dict(self.headers)))
                site.answer(self)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(address, Handler)
        self.port = self.server.server_address[1]
        self.base = f"http://{host or address[0]}:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> str:
        """Answer ``path`` with ``body``, status 200; its URL."""
        self.served[path] = body, content_type
        return self.url(path)

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]

    def answer(self, handler: BaseHTTPRequestHandler) -> None:  # noqa: C901 - one branch per route
        path = handler.path.split("?")[0]
        base = self.base
        if path in self.served:
            return self._send(handler, 200, *self.served[path])
        if path == "/robots.txt":
            return self._send(handler, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path == "/rss.xml":
            if handler.headers.get("If-None-Match") == '"v1"':
                return self._send(handler, 304, b"", "application/rss+xml")
            return self._send(handler, 200, rss(["a1", "a2"]).replace(b"{base}", base.encode()), "application/rss+xml",
                              {"ETag": '"v1"', "Last-Modified": "Thu, 07 Nov 2024 10:00:00 GMT"})
        if path == "/atom.xml":
            return self._send(handler, 200, ATOM.replace(b"{base}", base.encode()), "application/atom+xml")
        if path == "/rdf.xml":
            return self._send(handler, 200, RDF.replace(b"{base}", base.encode()), "application/rdf+xml")
        if path == "/cp1252.xml":
            body = rss(["a5"], "windows-1252", "Größte Nachrichten für Köln").replace(b"{base}", base.encode())
            return self._send(handler, 200, body, "application/rss+xml")
        if path == "/truncated.xml":
            return self._send(handler, 200, rss(["a6"]).replace(b"{base}", base.encode())[:70], "application/rss+xml")
        if path == "/laughs.xml":
            return self._send(handler, 200, BILLION_LAUGHS, "application/rss+xml")
        if path == "/laughs-utf16.xml":
            body = BILLION_LAUGHS.decode().replace('version="1.0"', 'version="1.0" encoding="utf-16"').encode("utf-16")
            return self._send(handler, 200, body, "application/rss+xml")
        if path == "/mislabeled.xml":  # says UTF-8, is windows-1252
            body = rss(["a8"], "windows-1252", "Größte Nachrichten").replace(b"windows-1252", b"utf-8")
            return self._send(handler, 200, body.replace(b"{base}", base.encode()), "application/rss+xml")
        if path == "/unknown-charset.xml":
            body = rss(["a9"], title="Größte Nachrichten").replace(b'encoding="utf-8"', b'encoding="x-no-such-charset"')
            return self._send(handler, 200, body.replace(b"{base}", base.encode()), "application/rss+xml")
        if path == "/garbage.xml":
            return self._send(handler, 200, b"\xff\xfe\x00\x00\xc3\x28\xa0\xa1" * 64, "application/rss+xml")
        if path == "/crafted.xml":  # the crafted links, a page too large for a message, then a good entry
            links = [(f"crafted{n}", link) for n, link in enumerate(CRAFTED_LINKS)]
            links += [("huge-text", "{base}/articles/huge-text.html"), ("good", "{base}/articles/good.html")]
            return self._send(handler, 200, rss_of_links(links).replace(b"{base}", base.encode()), "application/rss+xml")
        if path == "/failing.xml":  # a page that is gone (final) and one whose server fails (transient)
            links = [("gone", "{base}/gone.html"), ("broken", "{base}/broken.html")]
            return self._send(handler, 200, rss_of_links(links).replace(b"{base}", base.encode()), "application/rss+xml")
        if path == "/broken.html":
            return self._send(handler, 500, b"internal error", "text/plain")
        if path == "/slow-pages.xml":  # three pages that each take the whole fetch deadline
            links = [(f"slow{n}", f"{{base}}/articles/slow.html?n={n}") for n in range(3)]
            return self._send(handler, 200, rss_of_links(links).replace(b"{base}", base.encode()), "application/rss+xml")
        if path == "/articles/huge-text.html":
            return self._send(handler, 200, HUGE_TEXT_PAGE, "text/html")
        if path == "/private/feed.xml":
            return self._send(handler, 200, rss(["a7"]).replace(b"{base}", base.encode()), "application/rss+xml")
        if path == "/redirect":  # to the URL in the query
            return self._send(handler, 302, b"", "text/html", {"Location": handler.path.split("?", 1)[1]})
        if path == "/loop":
            return self._send(handler, 302, b"", "text/html", {"Location": "/loop"})
        if path == "/limited.xml":
            self.limited_calls += 1
            if self.limited_calls == 1:
                return self._send(handler, 429, b"", "text/plain", {"Retry-After": "1"})
            return self._send(handler, 200, rss([]).replace(b"{base}", base.encode()), "application/rss+xml")
        if path == "/huge.html":
            return self._send(handler, 200, b"<html>" + b"x" * (10 * 1024 * 1024) + b"</html>", "text/html")
        if path == "/bomb.html":
            return self._send(handler, 200, gzip.compress(b"\0" * (50 * 1024 * 1024)), "text/html",
                              {"Content-Encoding": "gzip"})
        if path == "/xxe.xml":
            return self._send(handler, 200, XXE.replace(b"{base}", base.encode()), "application/rss+xml")
        if path == "/xxe-parameter.xml":
            return self._send(handler, 200, XXE_PARAMETER.replace(b"{base}", base.encode()), "application/rss+xml")
        if path == "/slow-article.xml":
            return self._send(handler, 200, rss(["slow"]).replace(b"{base}", base.encode()), "application/rss+xml")
        if path == "/articles/slow.html":  # a byte at a time: every read succeeds, the body never completes
            return self._trickle(handler, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000000\r\n\r\n",
                                 b"x")
        if path == "/endless.xml":  # chunked, slowly, and no last chunk ever
            return self._trickle(handler, b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                                 b"Transfer-Encoding: chunked\r\n\r\n", b"400\r\n" + b"<item/>".ljust(1024) + b"\r\n")
        if path == "/flood.xml":  # chunked, as fast as the socket takes it, and no last chunk ever
            return self._trickle(handler, b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                                 b"Transfer-Encoding: chunked\r\n\r\n", b"10000\r\n" + b"x" * 65536 + b"\r\n", 0.0)
        if path == "/slow-headers.xml":  # a header line that never ends
            return self._trickle(handler, b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Slow: ", b"a")
        if path == "/articles/a8.html":  # says UTF-8, is Latin-1, with bytes no encoding maps
            body = page("a8", "8.000").decode().encode("latin-1") + b"\xc3\x28\x81"
            return self._send(handler, 200, body, "text/html; charset=utf-8")
        if path.startswith("/articles/"):
            name = path.rsplit("/", 1)[1].removesuffix(".html")
            return self._send(handler, 200, page(name, {"a1": "11.000", "a2": "3.000"}.get(name, "8.000")), "text/html")
        return self._send(handler, 404, b"not found", "text/plain")

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str,
              headers: dict[str, str] | None = None) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)

    def _trickle(self, handler: BaseHTTPRequestHandler, head: bytes, piece: bytes,
                 interval_s: float = TRICKLE_INTERVAL_S) -> None:
        try:
            handler.wfile.write(head)
            while not self.closed.is_set():
                handler.wfile.write(piece)
                time.sleep(interval_s)
        except OSError:
            pass  # the client hung up: what it should do
        handler.close_connection = True

    def close(self) -> None:
        self.closed.set()
        self.server.shutdown()
        self.server.server_close()
