"""What the logging setup lets through from the libraries."""

from __future__ import annotations

import logging

import pytest

from tallywire.core.settings import load_settings
from tallywire.runtime.logging_setup import configure_logging


@pytest.fixture
def restored_root():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_kafka_pythons_slow_step_note_is_not_shown_and_its_errors_are(capsys, restored_root, tmp_path) -> None:
    configure_logging(load_settings(data_dir=tmp_path))
    selector = logging.getLogger("kafka.net.selector")
    selector.warning("Task %r ran for %.3fs (>%.3fs threshold). It is blocking the event loop", "t", 0.16, 0.1)
    selector.error("a selector error")
    logging.getLogger("tallywire.cli").warning("a tallywire warning")
    err = capsys.readouterr().err
    assert "blocking the event loop" not in err
    assert "a selector error" in err and "a tallywire warning" in err
