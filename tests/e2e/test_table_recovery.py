"""kill -9 a worker while it recovers the alerts table from its changelog, restart it: the table comes
back whole and the worker goes on (Faust's recovery hangs, faust-streaming #21 and #74).

The changelog of ``alerted-values`` is padded with filler entries so that recovery takes seconds;
one entry records a probe value as already alerted. After the restart a figure within tolerance of
the probe must not alert (the recovered table knew it) and a far value must (the agent runs again).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.partitioner.default import murmur2

from tallywire.testkit.synthetic_news import synthetic_articles, write_folder
from ingest.file_source import read_articles
from tallywire.core.alert_rules import load_rules, same_value
from processors.figure_extractor import extract_figures
from processors.figures_agent import figure_id
from tallywire.core.errors import INTERRUPTED
from tallywire.core.settings import Settings
from tallywire.core.topics import FIGURES, Figure
from tallywire.testkit.cli_runner import (
    Running, broker_bootstrap, count, doubled_ids, kill_hard, sql_rows, start_tallywire, tallywire,
    wait_for_output, wait_for_queries, wait_out_session_timeout, wait_until,
)

pytestmark = pytest.mark.e2e

ARTICLES = 160
FILLER = 20_000  # changelog entries: seconds of recovery on a 2-core machine
CHANGELOG = "tallywire-process-alerted-values-changelog"
ASSIGNED = "partitions assigned"
READY = "rebalance complete"
# Pokrowsk is not in the extractor's gazetteer, so these figures have a key of their own
# (troops/north_korea/), which no synthetic article shares.
PROBE = "Selenskyj erklärte am Montag, dass sich etwa {} nordkoreanische Soldaten in der Region Pokrowsk befinden."
KNOWN, NEAR, FAR = 77_700, 77_800, 88_800


def _probe_key() -> str:
    found = extract_figures(PROBE.format("77.700"), "de")[0]
    return f"{found.category}/{found.force}/{found.location}"


def _pad_changelog(data_dir: Path, key: str) -> None:
    """Filler keys spread over the changelog's partitions, then the probe key's entry on the
    partition its figures go to (a table partition follows its topic partition). One record per
    batch, as tallywire's workers write to the embedded broker (see ``faust_app._max_batch_bytes``)."""
    producer = KafkaProducer(bootstrap_servers=broker_bootstrap(data_dir), batch_size=1)
    partitions = Settings().partitions
    filler = json.dumps([{"value": 1.0, "status": "reported", "story_id": "filler"}]).encode()
    for n in range(FILLER):
        producer.send(CHANGELOG, key=json.dumps(f"filler/{n}").encode(), value=filler, partition=n % partitions)
    known = json.dumps([{"value": float(KNOWN), "status": "reported", "story_id": "probe"}]).encode()
    partition = (murmur2(key.encode()) & 0x7FFFFFFF) % FIGURES.partition_count(partitions)
    producer.send(CHANGELOG, key=json.dumps(key).encode(), value=known, partition=partition)
    producer.flush(timeout=120)
    producer.close()


def _changelog_ends_are_exact(data_dir: Path) -> None:
    """Faust restores a table up to the end offsets the broker reports: they must count every record."""
    consumer = KafkaConsumer(bootstrap_servers=broker_bootstrap(data_dir), consumer_timeout_ms=5000)
    partitions = [TopicPartition(CHANGELOG, p) for p in sorted(consumer.partitions_for_topic(CHANGELOG))]
    ends = consumer.end_offsets(partitions)
    consumer.assign(partitions)
    consumer.seek_to_beginning()
    read = {tp: 0 for tp in partitions}
    for message in consumer:
        read[TopicPartition(message.topic, message.partition)] += 1
    consumer.close()
    assert ends == read, f"reported end offsets {ends} but records {read}"


def _ingest(data_dir: Path, folder: Path) -> None:
    pushed = tallywire(data_dir, "ingest", str(folder), timeout=300)
    assert pushed.returncode == 0, pushed.stderr


def test_a_worker_killed_during_table_recovery_recovers_and_goes_on(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    synthetic = list(synthetic_articles(ARTICLES, seed=11))
    first = write_folder(synthetic[: ARTICLES // 2], tmp_path / "first")
    second = write_folder(synthetic[ARTICLES // 2 :], tmp_path / "second")
    probes = tmp_path / "probes"
    probes.mkdir()
    for value in (f"{NEAR:,}".replace(",", "."), f"{FAR:,}".replace(",", ".")):
        (probes / f"probe-{value}.txt").write_text(PROBE.format(value), encoding="utf-8")
    raws = list(read_articles([first, second, probes]))
    distinct = len({raw.article_id for raw in raws})
    key = _probe_key()

    sink = start_tallywire(data_dir, "run", "--roles", "sink")
    workers: list[Running] = []

    def start_worker() -> Running:
        workers.append(start_tallywire(data_dir, "worker", "--roles", "process", TALLYWIRE_LOG_LEVEL="INFO"))
        return workers[-1]

    try:
        wait_for_queries(sink, data_dir)
        wait_for_output(start_worker(), READY, 120)
        _ingest(data_dir, first)
        first_count = len({raw.article_id for raw in read_articles([first])})
        wait_until(lambda: count(data_dir, "SELECT count() AS n FROM articles") == first_count, 300, "the first articles")
        _pad_changelog(data_dir, key)
        kill_hard(workers[0])
        wait_out_session_timeout()

        recovering = start_worker()
        assigned_at = wait_for_output(recovering, ASSIGNED, 120)
        time.sleep(1)  # into the recovery, which takes seconds
        assert READY not in recovering.output[assigned_at:], "recovery ended before the kill: raise FILLER"
        kill_hard(recovering)
        wait_out_session_timeout()

        recovered = start_worker()
        wait_for_output(recovered, READY, 180)
        # Fed after the recovery: articles that wait for a restarted worker have their own test,
        # tests/e2e/test_crash_recovery.py::test_articles_waiting_for_a_restarted_worker_are_each_handled_once.
        _ingest(data_dir, second)
        _ingest(data_dir, probes)
        wait_until(lambda: count(data_dir, "SELECT count() AS n FROM articles") == distinct, 240, f"all {distinct} articles")
        expected_figures = {figure_id(raw.article_id, found) for raw in raws for found in extract_figures(raw.text, raw.lang)}
        wait_until(lambda: count(data_dir, "SELECT count() AS n FROM figures") >= len(expected_figures), 120, "every figure")
        wait_until(lambda: count(data_dir, f"SELECT count() AS n FROM alert_chain WHERE value = {FAR}") == 1, 60, "the far probe's alert")

        assert doubled_ids(data_dir) == {}
        assert {row["figure_id"] for row in sql_rows(data_dir, "SELECT figure_id FROM figures")} == expected_figures
        alerts = sql_rows(data_dir, "SELECT category, force, location, status, value FROM alert_chain")
        probe_alerts = [a["value"] for a in alerts if f"{a['category']}/{a['force']}/{a['location']}" == key]
        assert NEAR not in probe_alerts, "the recovered table forgot the probe's known value"
        assert probe_alerts == [FAR]
        _assert_each_value_alerted_once(data_dir, alerts, key)
        _changelog_ends_are_exact(data_dir)
    finally:
        for worker in workers:
            worker.stop()
        code = sink.stop()
    assert code == INTERRUPTED, sink.output


def _assert_each_value_alerted_once(data_dir: Path, alerts: list[dict], probe_key: str) -> None:
    """Doubled: two alerts of one series and status within tolerance (a table that lost state alerts
    again). Lost: a watched figure with no alert within tolerance of it."""
    rules = load_rules(None, Settings().alert_tolerance)
    series: dict[tuple, list[float]] = {}
    for alert in alerts:
        series.setdefault((alert["category"], alert["force"], alert["location"], alert["status"]), []).append(alert["value"])
    for name, values in series.items():
        values.sort()
        close = [(a, b) for a, b in zip(values, values[1:]) if same_value(a, b, rules.tolerance)]
        assert not close, f"{name} alerted twice for one value: {close}"
    columns = "figure_id, article_id, story_id, value, value_low, value_high, category, force, location, status"
    figures = [Figure(**row) for row in sql_rows(data_dir, f"SELECT {columns} FROM figures")]
    lost = [
        (f.key, f.status, f.value) for f in figures
        if rules.watches(f) and f.key != probe_key
        and not any(same_value(f.value, v, rules.tolerance) for v in series.get((f.category, f.force, f.location, f.status), []))
    ]
    assert not lost, f"watched figures without an alert: {lost[:5]}"
