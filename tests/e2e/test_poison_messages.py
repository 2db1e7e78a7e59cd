"""Poison messages on every topic end as dead letters with their reason; the agents keep running."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from kafka import KafkaProducer

from tallywire.topics import ALL_TOPICS
from tests.e2e.cli_runner import sql_rows, start_tallywire

pytestmark = pytest.mark.e2e

POISONS = {
    "not-json": b"\x00\xffnot json at all",
    "wrong-version": json.dumps({"schema_version": 99}).encode(),
    "missing-fields": json.dumps({"schema_version": 1}).encode(),
    "five-megabytes": b'{"schema_version": 1, "text": "' + b"x" * (5 * 1024 * 1024) + b'"}',
}


def _wait_for(predicate, timeout_s: float, what: str) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def test_every_poison_message_becomes_a_dead_letter(tmp_path: Path) -> None:
    running = start_tallywire(tmp_path, "run", "--seeds", "seeds/")
    try:
        _wait_for(lambda: (tmp_path / "query-endpoint.json").exists(), 90, "the pipeline to start")
        bootstrap = json.loads((tmp_path / "broker.json").read_text())["bootstrap"]
        producer = KafkaProducer(bootstrap_servers=bootstrap, max_request_size=8 * 1024 * 1024)
        for spec in ALL_TOPICS:
            for name, payload in POISONS.items():
                producer.send(spec.name, key=name.encode(), value=payload)
        producer.flush(timeout=30)
        producer.close()
        expected = len(ALL_TOPICS) * len(POISONS)

        def letters() -> list[dict]:
            return sql_rows(tmp_path, "SELECT topic, reason, payload_bytes FROM dead_letters")

        _wait_for(lambda: len(letters()) >= expected, 90, f"{expected} dead letters")
        rows = letters()
        assert len(rows) == expected
        by_topic: dict[str, list[dict]] = {}
        for row in rows:
            by_topic.setdefault(row["topic"], []).append(row)
        assert set(by_topic) == {spec.name for spec in ALL_TOPICS}
        for topic, found in by_topic.items():
            reasons = " | ".join(row["reason"] for row in found)
            for expected_reason in ("not JSON", "schema_version 99", "invalid", "exceeds"):
                assert expected_reason in reasons, (topic, reasons)
            assert max(int(row["payload_bytes"]) for row in found) > 5 * 1024 * 1024, topic
        # The agents kept running: the seeds still went all the way through.
        assert [int(r["n"]) for r in sql_rows(tmp_path, "SELECT count() AS n FROM articles")] == [5]
    finally:
        running.send_signal(signal.SIGINT)
        output, _ = running.communicate(timeout=60)
    assert running.returncode == 0, output
