"""How far each consumer group of tallywire is behind, per topic: end offsets minus committed offsets.

With the embedded broker the figures are approximate: it reports the end of a topic as the start of
its last batch plus one, so lag may read a batch low (never "drained" from it; see tallywire.progress).
"""

from __future__ import annotations

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from tallywire.errors import BrokerError
from tallywire.faust_app import ROLES, group_id
from tallywire.settings import Settings
from tallywire.topics import ALL_TOPICS


def consumer_lag(settings: Settings, bootstrap: str) -> list[dict[str, object]]:
    """One row per (group, topic): committed, end and lag, for the groups tallywire's roles form."""
    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id=f"{settings.app_id}-lag")
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, client_id=f"{settings.app_id}-lag", enable_auto_commit=False)
    except KafkaError as exc:
        raise BrokerError(f"cannot reach Kafka at {bootstrap}: {exc}") from exc
    try:
        partitions = [TopicPartition(spec.name, p) for spec in ALL_TOPICS
                      for p in sorted(consumer.partitions_for_topic(spec.name) or ())]
        ends = consumer.end_offsets(partitions)
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
                rows.append({"group": group, "topic": spec.name, "committed": done, "end": end, "lag": max(0, end - done)})
        return rows
    finally:
        consumer.close()
        admin.close()
