"""``tallywire bench [--full]``: the benchmarks of a source checkout (``python -m bench`` in its root)."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from tallywire.cli.common import add_command
from tallywire.core.errors import ConfigError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "bench", "measure throughput and latency, each beside a baseline from the same run",
        "Runs the benchmarks of a source checkout (bench/README.md): throughput and latency of each stage and of "
        "the whole pipeline, each beside a baseline measured in the same run on the same machine, and writes "
        "the results as JSON and Markdown.",
        """tallywire bench
tallywire bench --full --out /tmp/bench""",
    )
    parser.add_argument("--full", action="store_true", help="full sizes, 10-20 minutes (default: quick, under 3 minutes)")
    parser.add_argument("--only", help="comma-separated measurements (default: all; `python -m bench --help` lists them)")
    parser.add_argument("--out", type=Path, help="folder for the JSON and Markdown results (default: bench/results)")
    parser.set_defaults(func=run)


def _checkout() -> Path:
    # The benchmarks start `tallywire run` and reuse the end-to-end tests' process helpers: they need the
    # source tree, which an editable install points at.
    try:
        import bench
    except ImportError:
        bench = None  # type: ignore[assignment]  # absent from a wheel: the check below says so
    root = Path(bench.__file__).resolve().parents[1] if bench and bench.__file__ else None
    if root is None or not (root / "tests" / "e2e").is_dir():
        raise ConfigError("the benchmarks run from a source checkout of tallywire",
                          hint="git clone it, `pip install -e '.[test]'` there, and run `python -m bench` in its root")
    return root


def run(args: argparse.Namespace) -> int:
    options = ["--full"] if args.full else []
    options += ["--only", args.only] if args.only else []
    options += ["--out", str(args.out.resolve())] if args.out else []
    return subprocess.run([sys.executable, "-m", "bench", *options], cwd=_checkout()).returncode
