"""The real embedded pipeline for the end-to-end benchmarks: a `tallywire run` process on a fresh data
directory (its own broker, agents and chDB), a producer into its raw-articles topic, and the times at
which rows became visible in its ClickHouse.

chDB lets one process open a data directory, so every query goes through the running pipeline's
query endpoint, as `tallywire sql` does. When a row became visible is read from the row itself
(``ingested_at``, ClickHouse's clock at insert, the machine's clock), so the polling interval here
does not blur the figures.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.process_stats import cpu_seconds, descendants
from ingest.raw_producer import RawArticleOutlet
from processors.figures_agent import figure_id
from processors.figure_extractor import extract_figures
from sinks.query_client import run_query
from tallywire.core.errors import INTERRUPTED
from tallywire.app.pipeline import journal_for, running_bootstrap
from tallywire.core.settings import Settings, load_settings
from tallywire.core.topics import RawArticle, stable_id
from tallywire.testkit.cli_runner import start_tallywire, wait_for_queries

from tallywire.testkit.synthetic_news import SyntheticArticle

POLL_S = 1.0  # each poll costs the pipeline about 17 ms of CPU (two queries through its endpoint)


class BenchError(RuntimeError):
    """A benchmark that could not produce its figure; the message says what to look at."""


def raw_article(article: SyntheticArticle, run: str) -> RawArticle:
    """A synthetic article as ingest would publish it; ``run`` keeps ids apart between measurements."""
    return RawArticle(
        article_id=stable_id("bench", run, article.name), url=f"https://bench.invalid/{run}/{article.name}",
        source=article.source, title=article.name, text=article.text, lang=article.lang,
        published_at=article.published_at, fetched_at=datetime.now(timezone.utc),
    )


def expected_figures(raws: list[RawArticle]) -> int:
    """Figure rows the sink will hold for these articles (ids are deterministic, repeats collapse)."""
    return sum(len({figure_id(raw.article_id, found) for found in extract_figures(raw.text, raw.lang)}) for raw in raws)


class RecordingOutlet(RawArticleOutlet):
    """The pipeline's own producer, remembering what it published (the poller's articles)."""

    def __init__(self, bootstrap: str, settings: Settings) -> None:
        super().__init__(bootstrap, journal_for(settings))
        self.published: list[RawArticle] = []

    def publish(self, raw: RawArticle, wait: bool = False) -> None:
        self.published.append(raw)
        super().publish(raw, wait)


class BenchPipeline:
    """``with BenchPipeline(folder) as pipeline:`` starts `tallywire run` and waits until it answers
    queries; stops it (Ctrl-C, as an operator would) on exit."""

    def __init__(self, data_dir: Path, start_timeout_s: float = 120) -> None:
        self.data_dir = data_dir
        self.start_timeout_s = start_timeout_s
        # The poller in this process fetches from the benchmark's own site, as fast as it answers.
        self.settings = load_settings(data_dir=data_dir, fetch_allow="127.0.0.1", per_host_delay_s=0.0)

    def __enter__(self) -> BenchPipeline:
        self.process = start_tallywire(self.data_dir, "run")
        try:
            wait_for_queries(self.process, self.data_dir, self.start_timeout_s)
            self.outlet = RecordingOutlet(running_bootstrap(self.settings), self.settings)
        except BaseException:
            self.process.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.outlet.close()
        code = self.process.stop()  # Ctrl-C, as an operator stops it: 130 is a clean stop
        if code != INTERRUPTED and exc[0] is None:
            raise BenchError(f"the pipeline exited with code {code}; its log: {self.process.log_path}")

    def cpu_seconds(self) -> float:
        """CPU seconds used so far by every process on the article's path: the pipeline, its broker, and
        this one (producer, poller, site); compare two readings."""
        pipeline = self.process.pid
        return sum(cpu_seconds(pid) for pid in [pipeline, *descendants(pipeline)]) + time.process_time()

    def rows(self, sql: str) -> list[dict]:
        return [json.loads(line) for line in run_query(self.settings, sql, "JSONEachRow").splitlines() if line.strip()]

    def ingested_ms(self, table: str, article_ids: list[str]) -> list[tuple[str, int]]:
        """(article id, when its row was inserted, epoch ms) of each row of ``table`` for these articles."""
        listed = ", ".join(f"'{article_id}'" for article_id in article_ids)  # ids are hex digests
        found = self.rows(f"SELECT article_id, toUnixTimestamp64Milli(ingested_at) AS at FROM {table} "
                          f"WHERE article_id IN ({listed})")
        return [(row["article_id"], int(row["at"])) for row in found]

    def wait_visible(self, raws: list[RawArticle], figures: int, timeout_s: float) -> float:
        """Until every article and ``figures`` figure rows of them are in ClickHouse; returns the epoch
        time the last of those rows was inserted."""
        ids = [raw.article_id for raw in raws]
        deadline = time.monotonic() + timeout_s
        while True:
            if not self.process.alive():
                raise BenchError(f"the pipeline died; its log: {self.process.log_path}")
            articles = self.ingested_ms("articles", ids)
            stored_figures = self.ingested_ms("figures", ids) if len(articles) == len(ids) else []
            if len(articles) == len(ids) and len(stored_figures) >= figures:
                return max(at for _, at in articles + stored_figures) / 1000
            if time.monotonic() > deadline:
                raise BenchError(
                    f"after {timeout_s:.0f} s only {len(articles)} of {len(ids)} articles and "
                    f"{len(stored_figures)} of {figures} figures were stored; the pipeline's log: {self.process.log_path}"
                )
            time.sleep(POLL_S)
