"""``tallywire run``: the whole pipeline in one process, on the embedded default or a given cluster."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ingest.feed_registry import load_feeds
from sinks.query_client import run_query
from tallywire.cli.common import add_command, command_settings, invoked_as
from tallywire.core.errors import INTERRUPTED, inputs_exit_code
from tallywire.app.data_dir_owner import owned_parts
from tallywire.runtime.data_dir_lock import refuse_if_busy
from tallywire.runtime.worker_roles import parse_roles
from tallywire.core.settings import Settings

SUMMARY_SQL = """
SELECT
    (SELECT count() FROM articles) AS articles,
    (SELECT uniqExact(story_id) FROM articles) AS stories,
    (SELECT uniqExact(event_id) FROM articles) AS events,
    (SELECT count() FROM figures) AS figures,
    (SELECT count() FROM alert_chain WHERE kind = 'alert') AS alerts,
    (SELECT count() FROM dead_letters) AS dead_letters
"""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "run", "run the pipeline: poll feeds, ingest files, group stories, extract figures, alert, store",
        "Runs the whole pipeline in one process: reads the given article files, polls the feeds, groups copies "
        "and translations into stories and events, extracts the figures, raises alerts and stores everything in "
        "ClickHouse. Unconfigured, it starts its own Kafka-protocol broker on 127.0.0.1 and keeps ClickHouse "
        "(chDB) in the data directory; a restart goes on where the last run stopped. It prints a progress line "
        "while it runs and the stored totals when it stops.",
        """tallywire run --seeds seeds/ --until-idle
tallywire run --feeds seeds/feeds.yaml""",
    )
    parser.add_argument("--seeds", type=Path, nargs="*", default=[], metavar="PATH",
                        help="article files or folders to ingest first (default: none)")
    parser.add_argument("--feeds", type=Path, nargs="?", const=True, metavar="FILE",
                        help="poll the feeds of this registry on their intervals while the pipeline runs; without "
                             "FILE: $TALLYWIRE_FEEDS_FILE or seeds/feeds.yaml (default: no polling)")
    parser.add_argument("--until-idle", action="store_true",
                        help="exit once the feeds were polled once and every topic is drained "
                             "(default: run until Ctrl-C)")
    parser.add_argument("--roles", default="process,sink",
                        help="agents to run in this process, of process, sink (default: process,sink); "
                             "others can join with `tallywire worker`")
    parser.set_defaults(func=run)


def summary(settings: Settings) -> dict[str, int]:
    return json.loads(run_query(settings, SUMMARY_SQL, "JSONEachRow"))


def run(args: argparse.Namespace) -> int:
    # ``--feeds`` without a file gives True (argparse would make a string const a Path): the settings' registry.
    settings = command_settings(args, feeds_file=args.feeds if isinstance(args.feeds, Path) else None)
    # Read before anything starts: a registry with a mistake fails at once.
    feeds = None if args.feeds is None else load_feeds(settings.feeds_file, settings.poll_interval_s)
    roles = parse_roles(args.roles)
    refuse_if_busy(settings.data_dir, owned_parts(settings, roles, settings.embedded_broker))
    # Imported after the check: Faust and the stages take a second or more to load.
    from tallywire.app.pipeline import run_pipeline

    counts = run_pipeline(settings, args.seeds, until_idle=args.until_idle, roles=roles, feeds=feeds)
    if counts.recycle:
        # The same command again, in this process (its id stays, for whoever supervises it): every lock
        # and the broker are released, and the start replays nothing that was handled.
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, sys.orig_argv)
    totals = summary(settings)
    interrupted = "interrupted; " if counts.interrupted else ""
    if args.seeds or not feeds:  # what the feeds gave is in the progress line above
        print(f"{interrupted}ingested {counts.new} new articles ({counts.already_seen} already seen, {counts.failed} failed)")
    elif interrupted:
        print("interrupted")
    print(
        f"in ClickHouse: {totals['articles']} articles, {totals['stories']} stories, {totals['events']} events, "
        f"{totals['figures']} figures, {totals['alerts']} alerts, {totals['dead_letters']} dead letters\n"
        f'look: {invoked_as()} sql "SELECT story_id, source, title FROM articles ORDER BY coalesce(published_at, fetched_at)"'
    )
    return INTERRUPTED if counts.interrupted else inputs_exit_code(counts.failed)
