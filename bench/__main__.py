"""``python -m bench [--full]``: every benchmark, each figure beside its baseline from the same run.

Writes ``<out>/<mode>.json`` and ``<out>/<mode>.md`` and prints the Markdown table.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from bench import stage_profile
from bench.result_table import to_json, to_markdown
from bench.suite import MEASUREMENTS, run_suite

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true",
                        help="full sizes (10-20 minutes, the figures for bench/RESULTS.md); default: quick, under 3 minutes")
    parser.add_argument("--only", default=",".join(MEASUREMENTS),
                        help=f"comma-separated measurements to make, of {', '.join(MEASUREMENTS)} (default: all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder for the results (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    args.only = tuple(name.strip() for name in args.only.split(",") if name.strip())
    unknown = set(args.only) - set(MEASUREMENTS)
    if unknown:
        parser.error(f"unknown measurements {sorted(unknown)}; choose from {', '.join(MEASUREMENTS)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    mode = "full" if args.full else "quick"
    run = run_suite(mode, args.only)
    markdown = to_markdown(run)
    if "profile" in run.details:
        markdown += "\n" + stage_profile.to_markdown(run.details["profile"])
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{mode}.json").write_text(to_json(run), encoding="utf-8")
    (args.out / f"{mode}.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    print(f"written: {args.out / f'{mode}.json'}, {args.out / f'{mode}.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
