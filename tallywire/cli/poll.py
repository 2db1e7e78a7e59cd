"""``tallywire poll [--feeds FILE] [--once]``: poll the feed registry and push new articles."""

from __future__ import annotations

import argparse
import json
import logging
import time
from contextlib import closing
from pathlib import Path

from ingest.feed_registry import load_feeds
from sinks.query_client import run_query
from tallywire.cli.common import add_command, command_settings
from tallywire.core.errors import INTERRUPTED, TallywireError, inputs_exit_code
from tallywire.app.feed_polling import FeedPolling
from tallywire.runtime.metrics import start_metrics_server
from tallywire.app.pipeline import outlet_for, running_bootstrap
from tallywire.core.progress import Progress
from tallywire.core.settings import Settings
from tallywire.core.topics import DEAD_LETTERS, RAW_ARTICLES

log = logging.getLogger(__name__)
STORED_TIMEOUT_S = 180.0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "poll", "poll the feeds and push their new articles into the pipeline",
        "Polls each feed of the registry on its interval, fetches the new entries' pages (politely: robots.txt, "
        "a delay per host, size and time limits), extracts their text and pushes the articles into a running "
        "pipeline: the feed poller as a service of its own. --once polls every feed once and waits until its "
        "new articles are stored.",
        """tallywire poll --feeds seeds/feeds.yaml
tallywire poll --once""",
    )
    parser.add_argument("--feeds", type=Path, help="feed registry YAML (default: $TALLYWIRE_FEEDS_FILE or seeds/feeds.yaml)")
    parser.add_argument("--once", action="store_true",
                        help="poll every feed once, wait until its new articles are stored, exit (default: poll forever)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = command_settings(args, feeds_file=args.feeds)
    feeds = load_feeds(settings.feeds_file, settings.poll_interval_s)  # a bad file is told before the broker is sought
    progress = Progress()
    with closing(outlet_for(settings, running_bootstrap(settings), progress)) as outlet, \
            closing(FeedPolling(settings, feeds, outlet, progress)) as polling:
        # The poller has no Faust app: it is healthy while this loop runs, which is what /health says.
        stop_metrics = (start_metrics_server(settings.metrics_host, settings.metrics_port, progress, lambda: True)
                        if settings.metrics_port else lambda: None)
        try:
            if args.once:
                summary = polling.poll()
                _wait_until_stored(settings, summary.published_ids)
                return inputs_exit_code(summary.failures)
            polling.poll_until_stopped()  # until Ctrl-C
            return 0
        except KeyboardInterrupt:
            # The outlet's counts, not the polls' summaries: a poll cut short has none.
            produced = progress.counts()[0]
            print(f"interrupted; pushed {produced.get(RAW_ARTICLES.name, 0)} new articles and "
                  f"{produced.get(DEAD_LETTERS.name, 0)} dead letters", flush=True)
            return INTERRUPTED
        finally:
            stop_metrics()


def _wait_until_stored(settings: Settings, article_ids: list[str]) -> None:
    if not article_ids:
        return
    deadline = time.monotonic() + STORED_TIMEOUT_S
    listed = ", ".join(f"'{article_id}'" for article_id in article_ids)  # ids are hex digests
    while True:
        stored = json.loads(run_query(settings, f"SELECT count() AS n FROM articles WHERE article_id IN ({listed})",
                                      "JSONEachRow"))["n"]
        if int(stored) >= len(article_ids):
            print(f"all {len(article_ids)} new articles are stored", flush=True)
            return
        if time.monotonic() > deadline:
            raise TallywireError(f"only {stored} of {len(article_ids)} new articles were stored in time",
                                 hint="is the pipeline's worker running? see its log")
        time.sleep(0.5)
