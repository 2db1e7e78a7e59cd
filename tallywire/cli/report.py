"""``tallywire report --out report.html``: one self-contained page to look at."""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

from processors.force_table import armed_groups
from sinks.report import build_report
from tallywire.cli.common import add_command, command_settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "report", "write an HTML report: figure charts, latest figures, stories, alerts",
        "Writes one self-contained HTML page from what the pipeline stored: a chart per figure series, the "
        "latest figure of each, the stories with their outlets, and the recent alerts. It opens offline and "
        "can be mailed as it is.",
        "tallywire report --out report.html",
    )
    parser.add_argument("--out", type=Path, default=Path("report.html"), help="where to write it (default: report.html)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = command_settings(args, reads="clickhouse")
    args.out.write_text(build_report(settings, datetime.now(timezone.utc), armed_groups()), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0
