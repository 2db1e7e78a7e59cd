#!/bin/bash
# One-shot: create tallywire's topics before any tallywire service starts (auto-creation is off).
# Names and partitions mirror tallywire/topics.py; raw-articles has one partition by design.
set -euo pipefail
kafka_topics() { /opt/kafka/bin/kafka-topics.sh --bootstrap-server kafka:9092 "$@"; }
create() {  # name partitions key=value...
  local name=$1 partitions=$2 configs=()
  shift 2
  for config in "$@"; do configs+=(--config "${config}"); done
  kafka_topics --create --if-not-exists --topic "${name}" --partitions "${partitions}" \
    --replication-factor "${REPLICATION_FACTOR}" "${configs[@]}"
}
week=$((7 * 24 * 3600 * 1000))
# Raw articles are kept longest: replaying them rebuilds every table downstream.
create raw-articles.v1 1 "retention.ms=$((4 * week))"
create articles.v1 "${PARTITIONS}" "retention.ms=${week}"
create figures.v1 "${PARTITIONS}" "retention.ms=${week}"
create alerts.v1 "${PARTITIONS}" "retention.ms=$((4 * week))"
create dead-letters.v1 "${PARTITIONS}" "retention.ms=$((4 * week))"
# Faust's table changelog (<group>-<table>-changelog): compacted, not expired by time, so a restarted
# worker recovers the latest value of every key. Its partitions must match figures.v1, which feeds it.
create "${APP_ID}-process-alerted-values-changelog" "${PARTITIONS}" cleanup.policy=compact
kafka_topics --describe
