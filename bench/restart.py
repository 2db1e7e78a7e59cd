"""Restart time of the embedded pipeline with N articles already handled: from `tallywire run` starting
until an article ingested at that start is stored in ClickHouse (new articles flow again).

Handling N articles for real takes N / 20 seconds on the dev VM, so the state is built the way the
pipeline leaves it, in three parts: a real run over ``--base`` synthetic articles (tables, alerts,
grouping store, restart point); ``--window`` more articles grouped into the grouping store (what the
7 + 7-day window holds at that rate); and the rest as journal records and article rows, handled (the
restart point behind them). ``--full-replay`` removes the restart point first: the pipeline then replays
the whole journal, as every start did before.

    python -m bench.restart --articles 20000 [--window 2880] [--full-replay] [--out result.json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.pipeline_process import raw_article
from bench.result_table import print_result
from tallywire.testkit.synthetic_news import synthetic_articles, write_folder
from ingest.article_journal import ArticleJournal
from ingest.file_source import read_articles
from processors.stories_agent import grouping_store
from processors.story_grouping import GroupingParams, StoryGrouper
from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink
from sinks.query_client import run_query
from tallywire.runtime.durable_map import DurableMap
from tallywire.app.pipeline import journal_for
from tallywire.app.restart import RestartPoint
from tallywire.core.settings import load_settings
from tallywire.core.topics import ARTICLES, Article
from tallywire.testkit.cli_runner import tallywire

ROWS_PER_INSERT = 5000


def prepare(data_dir: Path, articles: int, window: int, base: int) -> None:
    settings = load_settings(data_dir=data_dir)
    folder = write_folder(list(synthetic_articles(base, seed=21)), data_dir.parent / "base")
    done = tallywire(data_dir, "run", "--seeds", str(folder), "--until-idle", timeout=3600)
    if done.returncode != 0:
        raise SystemExit(f"the base run failed:\n{done.stdout}\n{done.stderr}")
    rest = list(synthetic_articles(articles - base, seed=22))
    grouper = StoryGrouper(DurableMap(grouping_store(settings)), GroupingParams())
    started = time.monotonic()
    for article in rest[-window:] if window else []:
        raw = raw_article(article, "window")
        grouper.assign(raw.article_id, raw.text, raw.lang, raw.published_at)
    print(f"grouped {min(window, len(rest))} window articles in {time.monotonic() - started:.0f} s", flush=True)
    journal = ArticleJournal(journal_for(settings).path, fsync_interval_ms=60_000)
    sink = ClickHouseSink(ClickHouse(settings.resolved_clickhouse_dsn))
    batch: list[Article] = []
    for n, article in enumerate(rest, 1):
        raw = raw_article(article, "handled")
        journal.append(raw)
        batch.append(Article.from_raw(raw, story_id=raw.article_id, event_id=raw.article_id))
        if len(batch) == ROWS_PER_INSERT or n == len(rest):
            sink.write(ARTICLES, batch)
            batch = []
    RestartPoint(journal).save(journal.end())
    journal.close()
    sink.clickhouse.close()


def measure(data_dir: Path, full_replay: bool, timeout_s: float) -> dict[str, object]:
    settings = load_settings(data_dir=data_dir)
    journal = journal_for(settings)
    result: dict[str, object] = {"journal_bytes": journal.end(), "journal_records": len(journal)}
    if full_replay:
        RestartPoint(journal).path.unlink()
    journal.close()
    # Another article for every measurement on a kept data directory: a seen one would not be stored again.
    new = write_folder(list(synthetic_articles(1, seed=time.time_ns() % 1_000_000)), data_dir.parent / "new")
    new_id = next(iter(read_articles([new]))).article_id
    started = time.time()
    done = tallywire(data_dir, "run", "--seeds", str(new), "--until-idle", timeout=timeout_s, TALLYWIRE_LOG_LEVEL="INFO")
    ended = time.time()
    # ingested_at: ClickHouse's clock (the machine's) when the row was inserted.
    found = run_query(settings, f"SELECT toUnixTimestamp64Milli(ingested_at) AS at FROM articles "
                                f"WHERE article_id = '{new_id}'", "JSONEachRow")
    stored = int(json.loads(found)["at"]) / 1000 - started if found.strip() else None
    log_file = data_dir.parent / f"restart-{time.strftime('%H%M%S')}.log"
    log_file.write_text(done.stdout + done.stderr)
    result.update({"full_replay": full_replay, "exit_code": done.returncode,
                   "seconds_until_new_article_stored": None if stored is None else round(stored, 1),
                   "seconds_until_exit": round(ended - started, 1), "log": str(log_file)})
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.restart", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles already handled")
    parser.add_argument("--window", type=int, default=2880, help="of them in the grouping store (window + grace)")
    parser.add_argument("--base", type=int, default=100, help="of them handled by a real run first")
    parser.add_argument("--full-replay", action="store_true", help="without the restart point, as before")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--keep", type=Path, help="build the data directory here and keep it")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="tallywire-restart-"))
    data_dir = root / "data"
    try:
        if not (data_dir / "journal").exists():
            prepare(data_dir, args.articles, args.window, args.base)
        result = {"articles": args.articles, "window": args.window, **measure(data_dir, args.full_replay, args.timeout)}
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print_result(result, args.out)
    return 0 if result["seconds_until_new_article_stored"] is not None else 1


if __name__ == "__main__":
    sys.exit(main())
