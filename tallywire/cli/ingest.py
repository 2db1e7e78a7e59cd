"""``tallywire ingest PATH...``: local text and HTML files into a running pipeline."""

from __future__ import annotations

import argparse
from pathlib import Path

from tallywire.cli.common import add_command, command_settings
from tallywire.core.errors import inputs_exit_code
from tallywire.app.pipeline import IngestCounts, ingest_files, outlet_for, running_bootstrap


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "ingest", "push local article files (text, HTML) or folders into the pipeline",
        "Reads local articles (plain text or HTML, one article a file; folders are read whole) and pushes the "
        "new ones into a running pipeline: the `tallywire run` on the same data directory, or the Kafka of "
        "TALLYWIRE_KAFKA_BOOTSTRAP. Files seen before are skipped; a file that cannot be read becomes a dead "
        "letter and the exit code 1.",
        """tallywire ingest articles/
tallywire ingest story.html notes.txt""",
    )
    parser.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="files or folders")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = command_settings(args)
    bootstrap = running_bootstrap(settings)
    outlet = outlet_for(settings, bootstrap)
    counts = IngestCounts()
    try:
        ingest_files(outlet, args.paths, counts)
    finally:
        outlet.close()
    print(f"pushed {counts.new} new articles ({counts.already_seen} already seen, {counts.failed} failed)")
    return inputs_exit_code(counts.failed)
