"""``tallywire lag``: how far each of tallywire's consumer groups is behind, per topic."""

from __future__ import annotations

import argparse
import sys

from tallywire.runtime.consumer_lag import COLUMNS, consumer_lag
from tallywire.cli.common import add_command, command_settings
from tallywire.core.formats import add_format_option, rows_text
from tallywire.app.pipeline import running_bootstrap


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "lag", "consumer lag per group and topic (end offset minus committed offset)",
        "Shows, for each consumer group of tallywire and each topic it reads, the offsets it committed, the "
        "topic's end and the difference: the messages still to handle. It asks the running pipeline's broker "
        "(the `tallywire run` on the same data directory, or TALLYWIRE_KAFKA_BOOTSTRAP).",
        """tallywire lag
tallywire lag --format json""",
    )
    add_format_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = command_settings(args, reads="broker")
    rows = consumer_lag(settings, running_bootstrap(settings))
    sys.stdout.write(rows_text(rows, COLUMNS, args.format))
    if not rows:
        print("0 rows: nothing committed yet (no consumer group of tallywire has committed an offset)",
              file=sys.stderr)
    return 0
