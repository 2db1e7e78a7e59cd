#!/bin/bash
# One-shot: create tallywire's topics before any tallywire service starts (auto-creation is off).
# Names and partitions mirror tallywire/topics.py; raw-articles has one partition by design.
set -euo pipefail
kafka_topics() { /opt/kafka/bin/kafka-topics.sh --bootstrap-server kafka:9092 "$@"; }
create() {
  kafka_topics --create --if-not-exists --topic "$1" --partitions "$2" \
    --replication-factor "${REPLICATION_FACTOR}" --config retention.ms="$3"
}
week=$((7 * 24 * 3600 * 1000))
create raw-articles.v1 1 "$((4 * week))"
create articles.v1 "${PARTITIONS}" "${week}"
create figures.v1 "${PARTITIONS}" "${week}"
create alerts.v1 "${PARTITIONS}" "$((4 * week))"
create dead-letters.v1 "${PARTITIONS}" "$((4 * week))"
# Faust's table changelog: compacted, so a restarted worker recovers the latest value per key.
kafka_topics --create --if-not-exists --topic tallywire-process-alerted-values-changelog \
  --partitions "${PARTITIONS}" --replication-factor "${REPLICATION_FACTOR}" --config cleanup.policy=compact
kafka_topics --list
