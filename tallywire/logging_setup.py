"""Configure logging once per entry point: plain lines, or one JSON object per line."""

from __future__ import annotations

import json
import logging

from tallywire.settings import Settings


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


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter() if settings.log_json else logging.Formatter("%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # Chatty libraries: their INFO lines drown the pipeline's own.
    for name in ("kafka", "aiokafka", "faust", "mode"):
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
