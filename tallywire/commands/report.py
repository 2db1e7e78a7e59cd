"""``tallywire report --out report.html``: one self-contained page to look at."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

from sinks.report import build_report
from tallywire.logging_setup import configure_logging
from tallywire.settings import load_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="write an HTML report: figure charts, latest figures, stories, alerts")
    parser.add_argument("--out", type=Path, default=Path("report.html"), help="where to write it (default: report.html)")
    parser.add_argument("--data-dir", help="data directory (default: $TALLYWIRE_DATA_DIR or ./.tallywire)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(data_dir=args.data_dir)
    configure_logging(settings)
    args.out.write_text(build_report(settings, datetime.now(timezone.utc)), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0
