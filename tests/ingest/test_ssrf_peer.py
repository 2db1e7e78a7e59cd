"""The SSRF guard judges the connection actually made: real HTTP servers on 127.0.0.1 (allowed, as the
tests' TALLYWIRE_FETCH_ALLOW allows it) and 127.0.0.2 (loopback, refused), and host names whose answers
change between lookups (DNS rebinding). Only name resolution is faked (``socket.getaddrinfo``, in this
process: no DNS runs here); every connection is a real one.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ingest.feed_poller import FeedPoller
from ingest.feed_registry import Feed
from ingest.page_fetcher import FetchError
from tests.ingest.feed_server import FeedSite
from tests.ingest.test_feed_poller import LIMITS, JournalOutlet, fetcher

NAME = "news.rebind.test"
REFUSED = f"refused: {NAME} connected to the private address 127.0.0.2"


@pytest.fixture
def sites() -> Iterator[tuple[FeedSite, FeedSite]]:
    """The site a feed names (127.0.0.1, as ``NAME``) and an internal service on 127.0.0.2, same port."""
    public = FeedSite(host=NAME)
    internal = FeedSite(("127.0.0.2", public.port), host=NAME)
    yield public, internal
    public.close()
    internal.close()


def resolve_name(monkeypatch: pytest.MonkeyPatch, answer: Callable[[], str]) -> list[str]:
    """Make ``NAME`` resolve to ``answer()`` at each lookup; the answers given, in order."""
    answers: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: str | bytes, port: int, *args: object, **kwargs: object) -> list:
        if (host.decode() if isinstance(host, bytes) else host) != NAME:
            return real(host, port, *args, **kwargs)
        answers.append(answer())
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (answers[-1], port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


def test_a_name_rebound_to_a_refused_address_is_refused_at_the_connection(
        sites: tuple[FeedSite, FeedSite], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    public, internal = sites
    first = iter(["127.0.0.1"])
    answers = resolve_name(monkeypatch, lambda: next(first, "127.0.0.2"))
    outlet = JournalOutlet(tmp_path / "journal.jsonl")
    feed = Feed(name="rebind", url=public.url("/rss.xml"), language="de", interval_s=60)
    client = fetcher()
    FeedPoller([feed], client, outlet, tmp_path / "feed-state.json", LIMITS).poll_once()
    client.close()
    # The first connection (robots.txt) reached 127.0.0.1; the second, the feed's, reached 127.0.0.2 and was
    # closed before its request was sent.
    assert answers[:2] == ["127.0.0.1", "127.0.0.2"]
    assert internal.paths() == []
    assert public.paths() == ["/robots.txt"]
    assert [(letter.stage, letter.reason, letter.url) for letter in outlet.letters] == [
        ("poller", f"feed rebind: {REFUSED}", feed.url)]
    assert outlet.published == []


@pytest.mark.parametrize("target", [f"http://{NAME}:{{port}}/articles/a1.html", "http://127.0.0.2:{port}/articles/a1.html"])
def test_a_redirect_to_a_refused_address_is_refused(
        sites: tuple[FeedSite, FeedSite], monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    public, internal = sites
    resolve_name(monkeypatch, lambda: "127.0.0.2")
    start = f"http://127.0.0.1:{public.port}/redirect?{target.format(port=public.port)}"
    client = fetcher()
    with pytest.raises(FetchError, match="connected to the private address 127.0.0.2") as refused:
        client.fetch(start)
    client.close()
    assert not refused.value.transient  # a dead letter at once, never tried again
    assert [path.split("?")[0] for path in public.paths()] == ["/robots.txt", "/redirect"]
    assert internal.paths() == []
