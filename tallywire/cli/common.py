"""What every command shares: its parser's shape, the data directory, settings and logging, printed results."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from sinks.clickhouse_client import is_chdb
from sinks.query_client import run_query
from tallywire.core.errors import ConfigError
from tallywire.core.formats import empty_table, is_empty_result, rows_text, say_no_rows, tsv_header
from tallywire.runtime.logging_setup import configure_logging
from tallywire.core.settings import Settings, load_settings

# One --data-dir for every command, with one meaning; parsed after the command's name.
DATA_DIR_OPTION = argparse.ArgumentParser(add_help=False)
DATA_DIR_OPTION.add_argument(
    "--data-dir", metavar="DIR",
    help="the data directory (default: $TALLYWIRE_DATA_DIR, from the environment or ./.env, else ./.tallywire)",
)


def add_command(subparsers: argparse._SubParsersAction, name: str, summary: str, description: str,
                examples: str) -> argparse.ArgumentParser:
    """The parser of one command: ``summary`` in ``tallywire --help``, ``description`` and ``examples``
    (shell lines, one a line) in its own help, as written."""
    return subparsers.add_parser(
        name, help=summary, description=_wrapped(description), parents=[DATA_DIR_OPTION],
        epilog="examples:\n" + "\n".join(f"  {line}" for line in examples.strip().splitlines()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _wrapped(text: str) -> str:
    """Paragraphs filled to the terminal's width as argparse fills its own; indented lines (lists) kept."""
    width = min(shutil.get_terminal_size().columns, 100) - 2
    return "\n\n".join(part if part.startswith(" ") or "\n " in part else textwrap.fill(part, width)
                       for part in text.split("\n\n"))


def command_settings(args: argparse.Namespace, reads: str = "", **overrides: object) -> Settings:
    """The settings of this run, with logging configured. ``reads`` ("clickhouse" or "broker"): the command
    only reads what a pipeline keeps there, so it must find it rather than start an empty one of its own."""
    settings = load_settings(data_dir=args.data_dir, **overrides)
    configure_logging(settings)
    if reads:
        _require_store(settings, args, reads)
    return settings


def _require_store(settings: Settings, args: argparse.Namespace, reads: str) -> None:
    # A ClickHouse server or a Kafka cluster need no data directory: chDB and the embedded broker live in one.
    if reads == "clickhouse":
        dsn = settings.resolved_clickhouse_dsn
        path = dsn.split("://", 1)[1]
        # Only a chDB path is made when opened (sinks/clickhouse_client.py): a server, or chdb://memory, is not.
        if not is_chdb(dsn) or not path.startswith("/") or Path(path).is_dir():
            return
        if settings.clickhouse_dsn:
            raise ConfigError(f"no chDB store at {dsn} (TALLYWIRE_CLICKHOUSE_DSN)",
                              hint="point TALLYWIRE_CLICKHOUSE_DSN at the store a pipeline writes")
    elif settings.kafka_bootstrap or settings.data_dir.is_dir():
        return
    if args.data_dir:
        where = "given by --data-dir"
    elif "data_dir" in settings.model_fields_set:
        where = "from TALLYWIRE_DATA_DIR"
    else:
        where = "the default, ./.tallywire in the working directory"
    raise ConfigError(
        f"no tallywire data in {settings.data_dir.resolve()} ({where})",
        hint=f"fill it first with `{invoked_as()} run --seeds PATH --until-idle` or `{invoked_as()} run --feeds`, "
             "or point --data-dir or TALLYWIRE_DATA_DIR at the data directory of a run",
    )


def invoked_as() -> str:
    """How to type this command again, for hints: ``tallywire`` where the shell finds it, else the path it
    was started by (``.venv/bin/tallywire`` after the README's install, with no virtualenv activated)."""
    started = Path(sys.argv[0])
    if shutil.which("tallywire") or started.name != "tallywire":
        return "tallywire"
    relative = os.path.relpath(started)
    return relative if len(relative) < len(str(started)) else str(started)


def print_query(settings: Settings, sql: str, fmt: str) -> None:
    """The result of one read-only query on stdout; an empty one as its header alone, and "0 rows" on stderr."""
    output = run_query(settings, sql, fmt)
    if is_empty_result(output, fmt):
        if fmt == "table":
            # ClickHouse draws no table for no rows: the names come from the query's header in TSV.
            output = empty_table(tsv_header(run_query(settings, sql, "tsv"))).encode()
        say_no_rows()
    sys.stdout.buffer.write(output)
    sys.stdout.flush()


def print_rows(rows: Sequence[dict[str, object]], columns: Sequence[str], fmt: str) -> None:
    """Rows computed here, in ``fmt``; none: the header alone and "0 rows" on stderr."""
    sys.stdout.write(rows_text(rows, columns, fmt))
    sys.stdout.flush()
    if not rows:
        say_no_rows()
