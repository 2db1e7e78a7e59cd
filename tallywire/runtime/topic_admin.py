"""Create tallywire's topics with their declared partitions (the embedded broker would auto-create 4)."""

from __future__ import annotations

import logging

from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from tallywire.core.errors import BrokerError
from tallywire.core.settings import Settings
from tallywire.core.topics import ALL_TOPICS

log = logging.getLogger(__name__)


def ensure_topics(settings: Settings, bootstrap: str) -> None:
    try:
        admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id=f"{settings.app_id}-admin")
    except KafkaError as exc:
        raise BrokerError(f"cannot reach Kafka at {bootstrap}: {exc}", hint="check TALLYWIRE_KAFKA_BOOTSTRAP") from exc
    try:
        existing = set(admin.list_topics())
        missing = [
            NewTopic(
                spec.name,
                num_partitions=spec.partition_count(settings.partitions),
                replication_factor=settings.replication_factor,
                topic_configs={"cleanup.policy": "compact"} if spec.compacted else {},
            )
            for spec in ALL_TOPICS
            if spec.name not in existing
        ]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another process created them between list and create
            log.info("created topics %s", ", ".join(t.name for t in missing))
    finally:
        admin.close()
