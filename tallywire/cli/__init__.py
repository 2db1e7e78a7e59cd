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


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """Every command's parser; only the named command's when ``argv`` names one, so that a command does
    not pay for importing the others' stages (a second `tallywire run` is refused within a second)."""
    parser = argparse.ArgumentParser(
        prog="tallywire",
        description="Streaming news ingestion: feeds in, stories and reported figures out in ClickHouse. "
                    "`tallywire COMMAND --help` describes a command, with examples.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in _modules_for(argv):
        importlib.import_module(f"tallywire.cli.{name}").register(subparsers)
    return parser


def _modules_for(argv: list[str] | None) -> tuple[str, ...]:
    named = next((arg for arg in argv or () if not arg.startswith("-")), "").replace("-", "_")
    return (named,) if named in COMMAND_MODULES else COMMAND_MODULES


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
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except TallywireError as exc:
        # One line, as argparse writes a usage error: what is wrong, then what to do.
        print(f"tallywire: error: {exc}" + (f"; {exc.hint}" if exc.hint else ""), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tallywire: interrupted", file=sys.stderr)
        return INTERRUPTED

