"""Fetch feeds and pages like a good citizen, and refuse what could hurt tallywire.

Explicit timeouts and User-Agent; robots.txt respected; one request at a time per host, and a least pause
between the end of one answer from a host and the next request to it;
429/503 with Retry-After honoured; conditional GET with ETag and Last-Modified; only http(s); no
private, loopback or link-local targets unless allowed (server-side request forgery), judged by the
peer address of each connection made, redirects' included; bounded redirects, size (counted after
decompression, so a gzip bomb stops at the limit) and content type; a deadline for each whole
response, headers and body, so a server that trickles bytes or never ends its body is cut (a read
timeout alone restarts with every byte that arrives).
"""

from __future__ import annotations

import asyncio
import ipaddress
import threading
import time
import urllib.robotparser
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import SplitResult, urljoin, urlsplit

import httpx

from tallywire.runtime.backoff import retry_after_s
from tallywire.core.errors import TallywireError
from tallywire.core.settings import Settings

REDIRECTS = {301, 302, 303, 307, 308}
# Refused although Python's ipaddress counts them global: 6to4 (2002::/16) tunnels to any IPv4 address,
# private ones included. Carrier-grade NAT (100.64.0.0/10, a cloud metadata address among them) is
# refused as not global; it is named here too, for whoever reads what is refused.
REFUSED_NETWORKS = (ipaddress.ip_network("100.64.0.0/10"), ipaddress.ip_network("2002::/16"))
# NAT64 (RFC 6052) reaches the IPv4 address in its last 32 bits: judged as that address.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Longer Retry-After waits are not slept through: the feed is backed off instead.
MAX_RETRY_AFTER_WAIT_S = 30.0


class FetchError(TallywireError):
    """A fetch that failed; ``reason`` says why, ``retry_after_s`` when to ask again, if the server said, and
    ``transient`` whether asking again may help (a timeout, a lost connection, 429, 5xx)."""

    def __init__(self, reason: str, url: str, retry_after_s: float | None = None, transient: bool = False) -> None:
        super().__init__(f"{reason}: {url}")
        self.reason, self.url, self.retry_after_s, self.transient = reason, url, retry_after_s, transient


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def refused_address(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether a fetch must not reach ``ip`` (server-side request forgery): anything not globally
    reachable (private, loopback, link-local, carrier-grade NAT, reserved), multicast, and 6to4. An
    IPv4 address written as IPv6 (::ffff:a.b.c.d, NAT64) is judged as the IPv4 address it reaches."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    elif ip in NAT64:
        ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return not ip.is_global or ip.is_multicast or any(ip in network for network in REFUSED_NETWORKS)


def _valid_url(url: str) -> SplitResult:
    """``url``'s parts, or a FetchError for a URL the HTTP client would raise on: a bad IPv6 literal, a port
    out of range, a host that is no valid name (010.010.010.010, fullwidth digits)."""
    try:
        parts = urlsplit(url)
        _ = parts.port  # parsed on access: raises for a port out of range
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        raise FetchError(f"invalid URL: {exc}", url) from exc
    return parts


class PageFetcher:
    """Fetches URLs for any number of threads, one request at a time per host.

    httpx runs on a private event loop in a thread of its own: cancelling a coroutine is the one way to stop a
    response at its deadline wherever it stands (connecting, in the headers, in the body); the synchronous
    client can only time out single reads. Callers in several threads (the poller's pool) share the loop, the
    connections, the robots.txt cache and each host's slot: a host answers one request of tallywire's at a time,
    its robots.txt included, and at least ``per_host_delay_s`` after the one before began, however many threads
    want pages from it.

    The SSRF guard judges the address each connection reached (its socket's peer), not a name resolved
    beforehand: the HTTP client resolves again when it connects, and a name can answer a public address
    to a check and a private one to the connection (DNS rebinding). Checking the peer holds whatever the
    client does between name and socket (several addresses, happy eyeballs, retries, redirects); resolving
    once and connecting to that IP would need the URL, Host header, SNI and certificate name rewritten
    apart, and would still trust that nothing resolves again. A refused connection is closed right after
    the TCP handshake, before TLS and before any byte of the request.
    """

    def __init__(self, user_agent: str, timeout_s: float, max_bytes: int, max_redirects: int, per_host_delay_s: float,
                 allow: list[str] | None = None, *, deadline_s: float, robots_cache_s: float) -> None:
        self.max_bytes, self.max_redirects, self.per_host_delay_s = max_bytes, max_redirects, per_host_delay_s
        self.user_agent, self.deadline_s, self.robots_cache_s = user_agent, deadline_s, robots_cache_s
        self._allow = [a.strip() for a in allow or [] if a.strip()]
        self._loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(target=self._loop.run_forever, name="page-fetcher", daemon=True)
        self._loop_thread.start()
        # No proxy from the environment: a proxy would be the peer, and connect on to any address unchecked.
        self._client = httpx.AsyncClient(timeout=timeout_s, follow_redirects=False, headers={"User-Agent": user_agent},
                                         trust_env=False)
        # Touched on the loop's thread only, so they need no lock of their own.
        self._next_request: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._slots: dict[str, asyncio.Lock] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> PageFetcher:
        return cls(settings.user_agent, settings.fetch_timeout_s, settings.max_page_bytes, settings.max_redirects,
                   settings.per_host_delay_s, settings.fetch_allow.split(","), deadline_s=settings.fetch_deadline_s,
                   robots_cache_s=settings.robots_cache_s)

    def fetch(self, url: str, etag: str = "", last_modified: str = "", accept: tuple[str, ...] = ()) -> Fetched:
        """The answer for ``url`` after redirects; callable from any thread, and it blocks that thread."""
        return asyncio.run_coroutine_threadsafe(self._fetch(url, etag, last_modified, accept), self._loop).result()

    async def _fetch(self, url: str, etag: str, last_modified: str, accept: tuple[str, ...]) -> Fetched:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(self.max_redirects + 1):
            self._check_target(url)
            if not await self._robots_allow(url):
                raise FetchError("disallowed by robots.txt", url)
            response, body = await self._get(url, headers)
            if response.status_code in REDIRECTS and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                continue
            return self._result(url, response, body, accept)
        raise FetchError(f"more than {self.max_redirects} redirects", url)

    def _slot(self, key: str) -> asyncio.Lock:
        return self._slots.setdefault(key, asyncio.Lock())

    async def _get(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        host = urlsplit(url).netloc
        async with self._slot(host):  # held until the whole body is read: one request per host at a time
            wait = self._next_request.get(host, 0.0) - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                return await self._get_within_deadline(url, headers)
            finally:
                # Counted from the end of the answer: the host sees the pause between two requests whatever
                # its answers or a new connection took.
                self._next_request[host] = time.monotonic() + self.per_host_delay_s

    async def _get_within_deadline(self, url: str, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        try:
            async with asyncio.timeout(self.deadline_s):
                async with self._client.stream("GET", url, headers=headers, extensions=self._guard(url)) as response:
                    body = await self._bounded_body(url, response)
        except TimeoutError as exc:  # the deadline's; httpx's own timeouts are HTTPErrors
            raise FetchError(f"no complete response within the {self.deadline_s:g} s deadline (slow or endless)",
                             url, transient=True) from exc
        except httpx.HTTPError as exc:
            raise FetchError(f"{type(exc).__name__}: {exc}", url,
                             transient=isinstance(exc, httpx.TransportError)) from exc
        return response, body

    async def _bounded_body(self, url: str, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchError(f"larger than {self.max_bytes} bytes ({declared} declared)", url)
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"larger than {self.max_bytes} bytes", url)
            chunks.append(chunk)
        return b"".join(chunks)

    def _result(self, url: str, response: httpx.Response, body: bytes, accept: tuple[str, ...]) -> Fetched:
        status = response.status_code
        if status in (429, 503):
            retry_after = retry_after_s(response.headers.get("retry-after"))
            if retry_after is not None:
                host = urlsplit(url).netloc
                self._next_request[host] = time.monotonic() + min(retry_after, MAX_RETRY_AFTER_WAIT_S)
            raise FetchError(f"HTTP {status}", url, retry_after, transient=True)
        if status == 304:
            return Fetched(url, status)
        if status >= 400:
            raise FetchError(f"HTTP {status}", url, transient=status >= 500)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if accept and content_type and not any(kind in content_type for kind in accept):
            raise FetchError(f"unexpected content type {content_type}", url)
        return Fetched(url, status, body, content_type, response.headers.get("etag", ""),
                       response.headers.get("last-modified", ""))

    def _check_target(self, url: str) -> None:
        parts = _valid_url(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("only http and https URLs are fetched", url)

    def _guard(self, url: str) -> dict[str, Any]:
        """The request extensions that make each new connection for ``url`` pass the peer check: httpx's
        trace hook, called once the TCP connection stands. A host allowed by name is not checked."""
        if urlsplit(url).hostname in self._allow:
            return {}
        return {"trace": partial(self._check_peer, url)}

    async def _check_peer(self, url: str, event: str, info: dict[str, Any]) -> None:
        if event != "connection.connect_tcp.complete":
            return
        stream = info["return_value"]
        address = stream.get_extra_info("socket").getpeername()[0]
        ip = ipaddress.ip_address(address.split("%")[0])
        if self._allowed_network(ip) or not refused_address(ip):
            return
        # Raising here fails the request, and httpcore's pool drops the connection as failed; the stream it
        # had just opened is not closed by it, hence here.
        await stream.aclose()
        raise FetchError(f"refused: {urlsplit(url).hostname} connected to the private address {ip}", url)

    def _allowed_network(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        for allowed in self._allow:
            try:
                if ip in ipaddress.ip_network(allowed, strict=False):
                    return True
            except ValueError:
                continue  # a host name, allowed by _guard
        return False

    async def _robots_allow(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        # One reading per origin however many threads ask at once: the others wait for it.
        async with self._slot(f"robots {origin}"):
            cached = self._robots.get(origin)
            # Read again after its lifetime: a poller runs for weeks, and a site's rules change meanwhile.
            if cached is None or time.time() - cached.mtime() > self.robots_cache_s:
                parser = urllib.robotparser.RobotFileParser()
                try:
                    response, body = await self._get(f"{origin}/robots.txt", {})
                    lines = body.decode("utf-8", errors="replace").splitlines()
                    parser.parse(lines if response.status_code == 200 else [])
                except FetchError:
                    parser.parse([])  # no robots.txt to be had: nothing is disallowed
                parser.modified()  # parse() sets it only when it got lines
                self._robots[origin] = parser
        return self._robots[origin].can_fetch(self.user_agent, url)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self._client.aclose(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._loop_thread.join()
        self._loop.close()
