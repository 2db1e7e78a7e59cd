"""``tallywire ingest PATH...``: local text and HTML files into a running pipeline."""

from __future__ import annotations

import argparse
from pathlib import Path

from tallywire.errors import inputs_exit_code
from tallywire.logging_setup import configure_logging
from tallywire.pipeline import IngestCounts, ingest_files, outlet_for, running_bootstrap
from tallywire.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ingest", help="push local article files (text, HTML) or folders into the pipeline")
    parser.add_argument("paths", type=Path, nargs="+", metavar="PATH", help="files or folders")
    parser.add_argument("--data-dir", help="data directory (default: $TALLYWIRE_DATA_DIR or ./.tallywire)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(data_dir=args.data_dir)
    configure_logging(settings)
    bootstrap = running_bootstrap(settings)
    outlet = outlet_for(settings, bootstrap)
    counts = IngestCounts()
    try:
        ingest_files(outlet, args.paths, counts)
    finally:
        outlet.close()
    print(f"pushed {counts.new} new articles ({counts.already_seen} already seen, {counts.failed} failed)")
    return inputs_exit_code(counts.failed)
