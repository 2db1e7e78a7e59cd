"""Fetch feeds and pages like a good citizen, and refuse what could hurt tallywire.

Polite: explicit timeouts and User-Agent, robots.txt respected (cached per origin), a least delay
between two requests to one host, a bound on requests in flight, 429/503 answered with Retry-After or
exponential backoff with jitter, conditional GET with ETag and Last-Modified.

Safe: only http(s); no private, loopback or link-local address unless allowed (server-side request
forgery), checked on the address actually connected to, so DNS rebinding cannot slip in between;
bounded redirects; a size limit counted after decompression, so a gzip bomb stops at the limit.
"""

from __future__ import annotations

import ipaddress
import logging
import random
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from tallywire.errors import TallywireError

log = logging.getLogger(__name__)

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRYABLE_STATUS = frozenset({429, 502, 503, 504})
# RFC 9309: a robots.txt the server fails to give means "disallow all", but only for a while.
ROBOTS_ERROR_TTL_S = 300.0
MAX_CRAWL_DELAY_S = 30.0
# A read timeout bounds each read; this bounds the whole body against a server that drips bytes.
BODY_DEADLINE_FACTOR = 4


class IngestError(TallywireError):
    """Root of ingest's failures. ``reason`` says what went wrong and ``url`` where; ``retryable``
    whether asking again later may succeed; ``stage`` is the stage a dead letter is filed under."""

    retryable = False
    stage = "fetcher"

    def __init__(self, reason: str, url: str = "", retry_after_s: float | None = None) -> None:
        super().__init__(f"{reason}: {url}" if url else reason)
        self.reason, self.url, self.retry_after_s = reason, url, retry_after_s


class FetchError(IngestError):
    """A fetch that failed."""


class TargetRefused(FetchError):
    """Not an http(s) URL, or a host with a private address that is not allowed."""


class RobotsDisallowed(FetchError):
    """robots.txt asks us not to fetch this URL."""


class Unreachable(FetchError):
    """The host cannot be resolved or connected to, or the connection broke."""

    retryable = True


class FetchTimeout(Unreachable):
    """Connecting or reading took too long."""


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, status: int, url: str, retry_after_s: float | None = None) -> None:
        super().__init__(f"HTTP {status}", url, retry_after_s)
        self.status = status
        self.retryable = status in RETRYABLE_STATUS


class TooManyRedirects(FetchError):
    """More redirects than allowed, a loop most likely."""


class TooLarge(FetchError):
    """The body, decompressed, is larger than allowed."""


class UnwantedContent(FetchError):
    """A content type that is not asked for, or a content encoding that cannot be undone."""


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = "tallywire/0.1 (+https://example.org/tallywire)"
    timeout_s: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    per_host_delay_s: float = 1.0
    allow: tuple[str, ...] = ()  # hosts or networks that may be fetched although private ("127.0.0.1")
    max_concurrency: int = 4  # requests in flight at once, over all hosts
    retries: int = 2  # further tries after a retryable failure (429, 502-504, timeout, connection)
    backoff_base_s: float = 1.0
    max_retry_wait_s: float = 30.0  # a longer Retry-After is not waited for: the fetch fails instead
    robots_ttl_s: float = 6 * 3600.0

    @classmethod
    def from_settings(cls, settings: object) -> FetchPolicy:
        """The policy from tallywire's settings (fields it lacks keep their defaults)."""
        names = {"user_agent": "user_agent", "fetch_timeout_s": "timeout_s", "max_page_bytes": "max_bytes",
                 "max_redirects": "max_redirects", "per_host_delay_s": "per_host_delay_s",
                 "poll_concurrency": "max_concurrency", "fetch_retries": "retries"}
        values = {field: getattr(settings, name) for name, field in names.items() if hasattr(settings, name)}
        allow = str(getattr(settings, "fetch_allow", ""))
        return cls(**values, allow=tuple(a.strip() for a in allow.split(",") if a.strip()))


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""  # media type alone, lower case
    charset: str = ""  # as the Content-Type header declares it; "" when it does not
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class AddressGuard:
    """Decides which addresses may be connected to: public ones, and private ones only when allowed by
    host name or network (a test server on 127.0.0.1, a feed on the intranet)."""

    def __init__(self, allow: Iterable[str] = ()) -> None:
        self._hosts: set[str] = set()
        self._networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for item in (a.strip().lower() for a in allow):
            if not item:
                continue
            try:
                self._networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                self._hosts.add(item)

    def addresses(self, host: str, port: int) -> list[str]:
        """The addresses of ``host``; TargetRefused when any of them may not be connected to."""
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise Unreachable(f"cannot resolve {host}: {exc}") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
        if host.lower() not in self._hosts:
            for address in addresses:
                if not self.permits(address):
                    raise TargetRefused(f"refused: {host} resolves to the private address {address}")
        return addresses

    def permits(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
        if ip.is_global and not ip.is_multicast:
            return True
        return any(ip in network for network in self._networks)


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves and checks the host itself and connects to the checked address (TLS still verifies the
    host name): the address that passed the guard is the one connected to."""

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in self._guard.addresses(host, port):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"no address for {host}")


def _guarded_transport(guard: AddressGuard, max_connections: int) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx (0.28) has no public hook for the network backend, so its connection pool is rebuilt with one.
    transport._pool = httpcore.ConnectionPool(  # noqa: SLF001
        ssl_context=httpx.create_ssl_context(trust_env=False), max_connections=max_connections,
        max_keepalive_connections=max_connections, keepalive_expiry=5.0, network_backend=_GuardedBackend(guard),
    )
    return transport


class _HostPacer:
    """Spaces the requests to one host at least a delay apart, over all threads."""

    def __init__(self, delay_s: float) -> None:
        self._delay_s = delay_s
        self._lock = threading.Lock()
        self._next_turn: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}

    def wait_turn(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            turn = max(now, self._next_turn.get(host, 0.0))
            self._next_turn[host] = turn + max(self._delay_s, self._crawl_delay.get(host, 0.0))
        if turn > now:
            time.sleep(turn - now)

    def defer(self, host: str, seconds: float) -> None:
        """The host's next turn comes no sooner than ``seconds`` from now (Retry-After, backoff)."""
        with self._lock:
            self._next_turn[host] = max(self._next_turn.get(host, 0.0), time.monotonic() + seconds)

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        with self._lock:
            self._crawl_delay[host] = min(seconds, MAX_CRAWL_DELAY_S)


class _BoundedDecoder:
    """Undoes the content encoding chunk by chunk and never produces more than ``limit`` bytes: a few
    kilobytes of gzip can unpack to gigabytes."""

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self._encoding, self._limit, self._url = encoding.strip().lower(), limit, url
        self._parts: list[bytes] = []
        self._size = 0
        if self._encoding in ("", "identity"):
            self._inflater = None
        elif self._encoding in ("gzip", "x-gzip", "deflate"):
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # a gzip or a zlib header
        else:
            raise UnwantedContent(f"content encoding {self._encoding!r} not supported", url)

    def feed(self, chunk: bytes) -> None:
        if self._inflater is not None:
            try:
                chunk = self._inflater.decompress(chunk, self._limit + 1 - self._size)
            except zlib.error as exc:
                raise UnwantedContent(f"corrupt {self._encoding} body: {exc}", self._url) from exc
            if self._inflater.unconsumed_tail:
                raise TooLarge(f"larger than {self._limit} bytes once decompressed", self._url)
        self._size += len(chunk)
        if self._size > self._limit:
            raise TooLarge(f"larger than {self._limit} bytes", self._url)
        self._parts.append(chunk)

    def body(self) -> bytes:
        return b"".join(self._parts)


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def _media_type(header: str) -> tuple[str, str]:
    media_type, *params = header.split(";")
    values = (param.split("=", 1) for param in params if "=" in param)
    charset = next((value.strip().strip("\"'") for name, value in values if name.strip().lower() == "charset"), "")
    return media_type.strip().lower(), charset.lower()


class PageFetcher:
    """One fetcher for all feeds and pages; thread-safe, so several feeds can be polled at once."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._client = httpx.Client(
            transport=_guarded_transport(AddressGuard(policy.allow), policy.max_concurrency),
            timeout=policy.timeout_s, follow_redirects=False, trust_env=False,
            # Only encodings _BoundedDecoder can undo within the size limit.
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._slots = threading.BoundedSemaphore(policy.max_concurrency)
        self._pacer = _HostPacer(policy.per_host_delay_s)
        self._robots: dict[str, tuple[urllib.robotparser.RobotFileParser, float]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._robots_guard = threading.Lock()

    def fetch(self, url: str, etag: str = "", last_modified: str = "", accept: tuple[str, ...] = ()) -> Fetched:
        """GET ``url``: a 304 when the ETag or Last-Modified still holds; ``accept`` lists the media type
        parts that may be answered ("html", "xml"). Raises a FetchError subclass with the reason."""
        conditional = {name: value for name, value in (("If-None-Match", etag), ("If-Modified-Since", last_modified))
                       if value}
        attempt = 0
        while True:
            try:
                return self._follow(url, conditional, accept, obey_robots=True)
            except FetchError as exc:
                wait = self._retry_wait(exc, attempt)
                if wait is None:
                    raise
                log.info("retrying %s in %.1f s: %s", exc.url or url, wait, exc.reason)
                self._pacer.defer(urlsplit(exc.url or url).hostname or "", wait)
                attempt += 1

    def _retry_wait(self, exc: FetchError, attempt: int) -> float | None:
        """How long to wait before the next try; None: give up now."""
        if not exc.retryable or attempt >= self.policy.retries:
            return None
        if exc.retry_after_s is not None:
            return exc.retry_after_s if exc.retry_after_s <= self.policy.max_retry_wait_s else None
        # Jitter, so that clients that failed together do not all come back together.
        return random.uniform(0.5, 1.0) * min(self.policy.max_retry_wait_s, self.policy.backoff_base_s * 2 ** attempt)

    def _follow(self, url: str, headers: dict[str, str], accept: tuple[str, ...], obey_robots: bool) -> Fetched:
        for _ in range(self.policy.max_redirects + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise TargetRefused("only http and https URLs are fetched", url)
            if obey_robots and not self._robots_for(parts.scheme, parts.netloc).can_fetch(self.policy.user_agent, url):
                raise RobotsDisallowed("disallowed by robots.txt", url)
            fetched, location = self._request(url, headers, accept)
            if fetched.status not in REDIRECTS:
                return fetched
            if not location:
                raise HTTPStatusError(fetched.status, url)
            url = urljoin(url, location)
        raise TooManyRedirects(f"more than {self.policy.max_redirects} redirects", url)

    def _request(self, url: str, headers: dict[str, str], accept: tuple[str, ...]) -> tuple[Fetched, str]:
        """One GET, no redirect followed: the answer and its Location."""
        self._pacer.wait_turn(urlsplit(url).hostname or "")
        try:
            with self._slots, self._client.stream("GET", url, headers=headers) as response:
                return self._answer(url, response, accept)
        except FetchError as exc:
            if exc.url:
                raise
            # Raised while connecting, by the address guard, which knows the host but not the URL.
            raise type(exc)(exc.reason, url) from None
        except httpx.TimeoutException as exc:
            raise FetchTimeout(f"timed out ({type(exc).__name__})", url) from exc
        except httpx.HTTPError as exc:
            raise Unreachable(f"{type(exc).__name__}: {exc}", url) from exc

    def _answer(self, url: str, response: httpx.Response, accept: tuple[str, ...]) -> tuple[Fetched, str]:
        status = response.status_code
        if status in REDIRECTS or status == 304:
            return Fetched(url, status), response.headers.get("location", "")
        if not 200 <= status < 300:
            retry_after = _retry_after(response.headers.get("retry-after")) if status in RETRYABLE_STATUS else None
            if retry_after is not None:
                self._pacer.defer(urlsplit(url).hostname or "", min(retry_after, self.policy.max_retry_wait_s))
            raise HTTPStatusError(status, url, retry_after)
        content_type, charset = _media_type(response.headers.get("content-type", ""))
        if accept and content_type and not any(kind in content_type for kind in accept):
            raise UnwantedContent(f"unexpected content type {content_type}", url)
        body = self._read_body(url, response)
        return Fetched(url, status, body, content_type, charset, response.headers.get("etag", ""),
                       response.headers.get("last-modified", "")), ""

    def _read_body(self, url: str, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise TooLarge(f"larger than {self.policy.max_bytes} bytes ({declared} declared)", url)
        deadline = time.monotonic() + self.policy.timeout_s * BODY_DEADLINE_FACTOR
        decoder = _BoundedDecoder(response.headers.get("content-encoding", ""), self.policy.max_bytes, url)
        for chunk in response.iter_raw():
            decoder.feed(chunk)
            if time.monotonic() > deadline:
                raise FetchTimeout(f"body took longer than {self.policy.timeout_s * BODY_DEADLINE_FACTOR:.0f} s", url)
        return decoder.body()

    def _robots_for(self, scheme: str, netloc: str) -> urllib.robotparser.RobotFileParser:
        origin = f"{scheme}://{netloc}".lower()
        with self._robots_guard:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # one robots.txt request per origin, even when several threads ask at once
            cached = self._robots.get(origin)
            if cached and cached[1] > time.monotonic():
                return cached[0]
            rules, ttl_s = self._load_robots(origin)
            self._robots[origin] = (rules, time.monotonic() + ttl_s)
            delay = rules.crawl_delay(self.policy.user_agent)
            if delay:
                self._pacer.set_crawl_delay(urlsplit(origin).hostname or "", float(delay))
            return rules

    def _load_robots(self, origin: str) -> tuple[urllib.robotparser.RobotFileParser, float]:
        """RFC 9309: a missing robots.txt (4xx) allows everything; one the server fails to give (5xx)
        disallows everything for a while. An unreachable host fails the fetch itself."""
        rules = urllib.robotparser.RobotFileParser(f"{origin}/robots.txt")
        try:
            fetched = self._follow(f"{origin}/robots.txt", {}, (), obey_robots=False)
            rules.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
        except HTTPStatusError as exc:
            if exc.status == 429:
                raise
            if exc.status >= 500:
                log.warning("robots.txt of %s answers HTTP %d: nothing fetched there for a while", origin, exc.status)
                rules.disallow_all = True
                return rules, ROBOTS_ERROR_TTL_S
            rules.parse([])
        except (TooManyRedirects, TooLarge, UnwantedContent):
            rules.parse([])  # unavailable: RFC 9309 allows everything
        return rules, self.policy.robots_ttl_s

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PageFetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
