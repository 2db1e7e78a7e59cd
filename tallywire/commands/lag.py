"""``tallywire lag``: how far each of tallywire's consumer groups is behind, per topic."""

from __future__ import annotations

import argparse
import json

from sinks.consumer_lag import consumer_lag
from tallywire.formats import add_format_option
from tallywire.logging_setup import configure_logging
from tallywire.pipeline import running_bootstrap
from tallywire.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("lag", help="consumer lag per group and topic (end offset minus committed offset)")
    add_format_option(parser, default="table", allowed=("table", "json"))
    parser.add_argument("--data-dir", help="data directory (default: $TALLYWIRE_DATA_DIR or ./.tallywire)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(data_dir=args.data_dir)
    configure_logging(settings)
    bootstrap = running_bootstrap(settings)
    rows = consumer_lag(settings, bootstrap)
    if args.format == "json":
        print(json.dumps(rows))
        return 0
    print(f"{'group':<26} {'topic':<18} {'committed':>10} {'end':>10} {'lag':>8}")
    for row in rows:
        print(f"{row['group']:<26} {row['topic']:<18} {row['committed']:>10} {row['end']:>10} {row['lag']:>8}")
    return 0
