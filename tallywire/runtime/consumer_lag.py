"""How far each consumer group of tallywire is behind, per topic: end offsets minus committed offsets.

The embedded broker (Tansu) answers ListOffsets with the base offset of a partition's last record batch
plus one, not with the offset after its last record. A producer that batches (the raw-article outlet does)
leaves a batch of several records at the end, and the committed offset of a consumer that read them all
was above that "end" (committed 5, end 3, for five seeds sent in two batches). So the end is read from the
records themselves: the offset after the last record of the last batch, fetched once per partition.
"""

from __future__ import annotations

import time

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from tallywire.core.errors import BrokerError
from tallywire.runtime.faust_app import group_id
from tallywire.runtime.worker_roles import ROLES
from tallywire.core.settings import Settings
from tallywire.core.topics import ALL_TOPICS

COLUMNS = ("group", "topic", "committed", "end", "lag")
# Long enough for a fetch from a loaded broker; the reported end stands for a partition that gave nothing by then.
_LAST_BATCH_WAIT_S = 10.0


def consumer_lag(settings: Settings, bootstrap: str) -> list[dict[str, object]]:
    """One row per (group, topic) with committed offsets: committed, end and lag, for the groups tallywire's
    roles form."""
    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id=f"{settings.app_id}-lag")
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id=f"{settings.app_id}-lag",
                                 enable_auto_commit=False, group_id=None,
                                 max_poll_records=100_000)  # a whole last batch in one poll
    except KafkaError as exc:
        raise BrokerError(f"cannot reach Kafka at {bootstrap}: {exc}") from exc
    try:
        partitions = [TopicPartition(spec.name, p) for spec in ALL_TOPICS
                      for p in sorted(consumer.partitions_for_topic(spec.name) or ())]
        ends = consumer.end_offsets(partitions)
        if settings.embedded_broker:  # Kafka's own ends are exact
            ends = _record_ends(consumer, ends)
        rows = []
        groups = [group_id(settings, roles) for roles in (("process",), ("sink",), ROLES)]
        offsets = admin.list_group_offsets(groups)
        for group in groups:
            committed = offsets.get(group) or {}
            for spec in ALL_TOPICS:
                mine = [tp for tp in partitions if tp.topic == spec.name and tp in committed]
                if not mine:
                    continue
                done = sum(committed[tp].offset for tp in mine)
                end = sum(ends[tp] for tp in mine)
                rows.append({"group": group, "topic": spec.name, "committed": done, "end": end, "lag": end - done})
        return rows
    finally:
        consumer.close()
        admin.close()


def _record_ends(consumer: KafkaConsumer, reported: dict[TopicPartition, int]) -> dict[TopicPartition, int]:
    """The offset after each partition's last record: a fetch at the reported end minus one returns the
    whole last batch (the client drops the records before the fetch offset, none after it)."""
    ends = dict(reported)
    waiting = {tp for tp, end in reported.items() if end > 0}
    if not waiting:
        return ends
    consumer.assign(sorted(waiting))
    for tp in waiting:
        consumer.seek(tp, reported[tp] - 1)
    deadline = time.monotonic() + _LAST_BATCH_WAIT_S
    while waiting and time.monotonic() < deadline:
        for tp, records in consumer.poll(timeout_ms=200).items():
            ends[tp] = max(ends[tp], records[-1].offset + 1)
            waiting.discard(tp)
            consumer.pause(tp)  # its last batch is read: no more fetches for it
    return ends
