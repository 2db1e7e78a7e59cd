"""Prometheus metrics and a health endpoint for each tallywire process, from its Progress counters.

``/metrics``: tallywire_messages_produced_total{topic}, tallywire_messages_handled_total{stage,topic},
tallywire_events_total{event} (duplicates found, alerts delivered, ...), tallywire_host_entries_total{host,fate}
(what became of the feed entries fetched from each host: stored, partial, duplicate, dead_letter, retry). ``/health``: 200 while the
process's Faust app runs, 503 otherwise.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from tallywire.core.progress import Progress


class ProgressCollector(Collector):
    def __init__(self, progress: Progress) -> None:
        self.progress = progress

    def collect(self) -> Iterator[CounterMetricFamily]:
        produced = CounterMetricFamily("tallywire_messages_produced", "Messages this process produced", labels=["topic"])
        handled = CounterMetricFamily("tallywire_messages_handled", "Messages a stage of this process handled",
                                      labels=["stage", "topic"])
        events = CounterMetricFamily("tallywire_events", "Things this process noticed", labels=["event"])
        produced_counts, handled_counts, event_counts = self.progress.counts()
        for topic, count in produced_counts.items():
            produced.add_metric([topic], count)
        for (stage, topic), count in handled_counts.items():
            handled.add_metric([stage, topic], count)
        for event, count in event_counts.items():
            events.add_metric([event], count)
        hosts = CounterMetricFamily("tallywire_host_entries", "Fates of the feed entries fetched from each host",
                                    labels=["host", "fate"])
        for (host, fate), count in self.progress.host_counts().items():
            hosts.add_metric([host, fate], count)
        yield from (produced, handled, events, hosts)


def registry_of(progress: Progress) -> CollectorRegistry:
    """A registry that reads ``progress`` at each scrape."""
    registry = CollectorRegistry()
    registry.register(ProgressCollector(progress))
    return registry


def start_metrics_server(host: str, port: int, progress: Progress, healthy: Callable[[], bool]) -> Callable[[], None]:
    """Serve /metrics and /health in a thread; returns the function that stops it."""
    registry = registry_of(progress)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            if self.path == "/metrics":
                self._reply(200, generate_latest(registry), "text/plain; version=0.0.4")
            elif self.path == "/health":
                ok = healthy()
                self._reply(200 if ok else 503, b'{"status": "ok"}' if ok else b'{"status": "starting or stopping"}',
                            "application/json")
            else:
                self._reply(404, b"not found", "text/plain")

        def _reply(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return stop
