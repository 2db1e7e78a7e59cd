"""The ``tallywire`` command: one subcommand per module of this package (``tallywire.cli.run``...)."""

from __future__ import annotations

import argparse
import importlib
import sys
from importlib.metadata import PackageNotFoundError, version

from tallywire.core.errors import INTERRUPTED, TallywireError
from tallywire.runtime.logging_setup import configure_logging
from tallywire.core.settings import load_settings

# Each module exposes ``register(subparsers)``, which adds its parser and sets ``func(args) -> int``.
COMMAND_MODULES = (
    "run",
    "worker",
    "ingest",
    "poll",
    "sql",
    "query",
    "extract",
    "eval_stories",
    "eval_figures",
    "alerts",
    "report",
    "lag",
    "bench",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tallywire",
        description="Streaming news ingestion: feeds in, stories and reported figures out in ClickHouse. "
                    "`tallywire COMMAND --help` describes a command, with examples.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"tallywire.cli.{name}").register(subparsers)
    return parser


def _version() -> str:
    try:
        return version("tallywire")
    except PackageNotFoundError:  # a source tree on sys.path, never installed
        return "unknown (not installed)"


def _configure_logging_early() -> None:
    """Logging as the settings say, before the commands' modules are imported: a warning one of their
    libraries gives at import is logged like the rest (JSON with TALLYWIRE_LOG_JSON=true). Each command
    configures it again with its options; bad settings are told by the command, as one line."""
    try:
        configure_logging(load_settings())
    except TallywireError:
        pass


def main(argv: list[str] | None = None) -> int:
    _configure_logging_early()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except TallywireError as exc:
        # One line, as argparse writes a usage error: what is wrong, then what to do.
        print(f"tallywire: error: {exc}" + (f"; {exc.hint}" if exc.hint else ""), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tallywire: interrupted", file=sys.stderr)
        return INTERRUPTED

