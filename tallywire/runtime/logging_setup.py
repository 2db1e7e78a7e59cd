"""Configure logging once per entry point: one handler on the root logger, readable lines or JSON lines.

With ``TALLYWIRE_LOG_JSON=true`` every line on stderr is one JSON object, whoever wrote it: tallywire's
loggers and those of Faust, mode, aiokafka and kafka-python (they propagate to the root; Faust's worker
would replace the root's handlers when it starts, and tallywire's worker keeps it from doing so, see
``tallywire.app.pipeline._Worker``), Python warnings (``logging.captureWarnings``), uncaught exceptions in any
thread (the excepthooks), and text a library prints to ``sys.stderr`` itself, one record a line. Otherwise
lines read "12:09:56 INFO  tallywire.alerts: ...", with colour and the progress line's erasure only on a
terminal: a file or a pipe gets no escape codes.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import threading
from types import TracebackType

from tallywire.core.settings import Settings

# Chatty libraries (and tallywire's subclasses of Faust's services): their INFO lines drown the pipeline's own.
QUIET_LOGGERS = ("kafka", "aiokafka", "faust", "mode", "tallywire.runtime.faust_recovery", "tallywire.runtime.faust_transport")
# kafka-python 3 warns whenever one step of its event loop took over 0.1 s, which any busy machine causes
# (a `tallywire lag` beside a running pipeline on 2 cores): a timing note on its internals that asks nothing of
# an operator. Its errors still show.
TIMING_NOISE_LOGGERS = ("kafka.net.selector",)
_LEVEL_COLOURS = {"WARNING": "\x1b[33m", "ERROR": "\x1b[31m", "CRITICAL": "\x1b[1;31m"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        shown = {
            "at": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        if record.exc_info:
            shown["exception"] = self.formatException(record.exc_info)
        return json.dumps(shown, ensure_ascii=False)


class HumanFormatter(logging.Formatter):
    def __init__(self, terminal: bool) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s", datefmt="%H:%M:%S")
        self.terminal = terminal

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        if not self.terminal:
            return text
        colour = _LEVEL_COLOURS.get(record.levelname)
        # "\r" and erase-line first: the progress line may stand on the terminal's last line (tallywire.app.pipeline).
        return "\r\x1b[K" + (f"{colour}{text}\x1b[0m" if colour else text)


class _StderrAsRecords(io.TextIOBase):
    """``sys.stderr`` in JSON mode: what is written to it becomes log records, one per line, so that a
    library's own print to stderr is JSON too."""

    def __init__(self) -> None:
        self._pending = ""
        self._lock = threading.Lock()
        self._log = logging.getLogger("stderr")
        self._inside = threading.local()

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        with self._lock:
            lines = (self._pending + text).split("\n")
            self._pending = lines.pop()
        for line in lines:
            self._record(line)
        return len(text)

    def flush(self) -> None:
        with self._lock:
            line, self._pending = self._pending, ""
        self._record(line)

    def _record(self, line: str) -> None:
        if not line.strip():
            return
        if getattr(self._inside, "logging", False):
            # Written while a record of ours is handled (logging reports its own failures on stderr): a
            # record of that would come back here without end.
            if sys.__stderr__ is not None:  # None where Python started without a stderr
                sys.__stderr__.write(line + "\n")
            return
        self._inside.logging = True
        try:
            self._log.warning("%s", line)
        finally:
            self._inside.logging = False


def configure_logging(settings: Settings) -> None:
    # The handler keeps the real stderr: in JSON mode sys.stderr itself becomes records written through it.
    handler = logging.StreamHandler(sys.__stderr__ if settings.log_json else sys.stderr)
    handler.setFormatter(JsonFormatter() if settings.log_json else HumanFormatter(_is_terminal(handler.stream)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
    for name in TIMING_NOISE_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    logging.captureWarnings(True)
    if settings.log_json:
        sys.excepthook = _log_uncaught
        # An uncaught exception always has its value; typeshed's hook arguments allow None for any hook call.
        threading.excepthook = lambda hook: _log_uncaught(hook.exc_type, hook.exc_value, hook.exc_traceback,  # type: ignore[arg-type]
                                                          hook.thread.name if hook.thread else "a thread")
        sys.stderr = _StderrAsRecords()


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: TracebackType | None,
                  where: str = "the main thread") -> None:
    logging.getLogger("tallywire").critical("uncaught exception in %s", where, exc_info=(kind, error, trace))


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
