"""The root of tallywire's exceptions. Third-party errors are translated into these at the boundary."""

from __future__ import annotations

# The exit codes scripts can rely on (README, "Exit codes").
SOME_INPUTS_FAILED = 1  # dead letters say why
USAGE = 2  # a bad option, setting or input file, as argparse exits
INTERRUPTED = 130  # Ctrl-C, as a shell reports a process stopped by SIGINT


def inputs_exit_code(failed: int) -> int:
    """The exit code of a command that took inputs (files, feed entries), ``failed`` of which failed."""
    return SOME_INPUTS_FAILED if failed else 0


class TallywireError(Exception):
    """An expected failure: printed as one line, message and hint, exit code non-zero."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class ConfigError(TallywireError):
    """A setting or an option is wrong."""

    exit_code = USAGE


class BrokerError(TallywireError):
    """The Kafka broker cannot be started or reached."""


class ClickHouseError(TallywireError):
    """ClickHouse refused a query or cannot be reached."""
