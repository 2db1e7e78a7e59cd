"""The Faust workarounds hold for the upstream code they were written against, and an upgrade says so.

``tallywire/runtime/faust_transport.py`` and ``tallywire/runtime/faust_recovery.py`` override private methods of
faust-streaming 0.15.3 and rely on how aiokafka 0.14.0 reads what they pass. A new release could change
any of them without an error: the pipeline would then lose or repeat messages on a restart, silently.
Each upstream method is fingerprinted here; when one fails, re-read the workaround it names against the
new source, then update the version or the fingerprint.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect

import aiokafka
import faust
import pytest

FAUST_VERSION = "0.15.3"
AIOKAFKA_VERSION = "0.14.0"

SNAPSHOT_FETCH = "faust_transport.py, 1: SnapshotFetchConsumer._getmany fetches for a copy of the active partitions"
BATCHED_FETCH = "faust_transport.py, 2: BatchedFetchConsumerThread sets aiokafka's fetch_min_bytes on the worker consumer"
BOUNDED_STOP = "faust_transport.py, 3: SnapshotFetchConsumer.wait_empty bounds the wait for unacknowledged messages"
TRANSPORT = "faust_transport.py: SnapshotFetchTransport takes fetch_min_bytes and stop_wait_s beside Faust's arguments"
SEEK_FIRST = "faust_recovery.py, 1: SeekFirstRecovery copies Faust's two resumes, seeking before it resumes"

# upstream method: (sha256 of its source, first 16 hex digits; the workaround that replaces or relies on it)
UPSTREAM = {
    "faust.transport.drivers.aiokafka.Transport.__init__": ("a06006f6ae8ed716", TRANSPORT),
    "faust.transport.drivers.aiokafka.Consumer._new_consumer_thread": ("0870ec53dea75083", BATCHED_FETCH),
    "faust.transport.drivers.aiokafka.AIOKafkaConsumerThread._create_worker_consumer": ("c2701bfc3e6f6cad", BATCHED_FETCH),
    # Builds its fetcher from _fetch_min_bytes when it starts, after the workaround has set it.
    "aiokafka.consumer.consumer.AIOKafkaConsumer.start": ("2f1ba70443327538", BATCHED_FETCH),
    "faust.transport.consumer.ThreadDelegateConsumer._getmany": ("f9d47aa9010b5ff2", SNAPSHOT_FETCH),
    "faust.transport.drivers.aiokafka.AIOKafkaConsumerThread.getmany": ("26fc5fc9f3b667e1", SNAPSHOT_FETCH),
    "faust.transport.drivers.aiokafka.AIOKafkaConsumerThread._fetch_records": ("39a2c6c79fc1455a", SNAPSHOT_FETCH),
    # Reads an empty set of partitions as every assigned partition: the reason for the snapshot.
    "aiokafka.consumer.fetcher.Fetcher.fetched_records": ("be4348896b9b66af", SNAPSHOT_FETCH),
    "faust.transport.consumer.Consumer.wait_empty": ("e4662fe24f094819", BOUNDED_STOP),
    "faust.tables.manager.TableManager.recovery": ("f0bf5de78b4c3d23", SEEK_FIRST),
    "faust.tables.recovery.Recovery._resume_streams": ("d986a6710c1aca98", SEEK_FIRST),
    "faust.tables.recovery.Recovery.on_recovery_completed": ("6ef567acf072e46d", SEEK_FIRST),
    "faust.tables.recovery.Recovery._wait": ("ec7429b70176f8c6", SEEK_FIRST),
    "faust.tables.recovery.Recovery._is_changelog_tp": ("453e8762c530ad44", SEEK_FIRST),
    "faust.transport.consumer.Consumer.perform_seek": ("0e8c130ff4b0afd8", SEEK_FIRST),
}


def source_fingerprint(dotted: str) -> str:
    """The fingerprint of a function, method or property named by its module and qualified name."""
    module, _, qualified = dotted.rpartition(".")
    found: object = None
    while found is None:
        try:
            found = importlib.import_module(module)
        except ImportError:
            module, _, outer = module.rpartition(".")
            qualified = f"{outer}.{qualified}"
    for name in qualified.split("."):
        found = getattr(found, name)
    if isinstance(found, property):
        found = found.fget
    return hashlib.sha256(inspect.getsource(found).encode("utf-8")).hexdigest()[:16]


def test_the_pinned_versions_are_the_ones_the_workarounds_were_written_for() -> None:
    every = "\n  ".join(sorted({workaround for _, workaround in UPSTREAM.values()}))
    assert faust.__version__ == FAUST_VERSION, (
        f"faust-streaming {faust.__version__}, not {FAUST_VERSION}: re-check every workaround in tallywire/\n  {every}")
    assert aiokafka.__version__ == AIOKAFKA_VERSION, (
        f"aiokafka {aiokafka.__version__}, not {AIOKAFKA_VERSION}: re-check every workaround in tallywire/\n  {every}")


@pytest.mark.parametrize("dotted", sorted(UPSTREAM))
def test_every_upstream_method_a_workaround_rests_on_is_unchanged(dotted: str) -> None:
    expected, workaround = UPSTREAM[dotted]
    assert source_fingerprint(dotted) == expected, (
        f"{dotted} changed upstream: re-check tallywire/{workaround}, then update its fingerprint here")

