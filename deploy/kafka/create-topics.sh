#!/bin/bash
# One-shot: create tallywire's topics before any tallywire service starts (auto-creation is off).
# Names and partitions mirror tallywire/core/topics.py; article-features has one partition by design.
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
create raw-articles.v1 "${PARTITIONS}" "retention.ms=$((4 * week))"
create article-features.v1 1 "retention.ms=${week}"
create articles.v1 "${PARTITIONS}" "retention.ms=${week}"
create figures.v1 "${PARTITIONS}" "retention.ms=${week}"
create alerts.v2 "${PARTITIONS}" "retention.ms=$((4 * week))"
create dead-letters.v1 "${PARTITIONS}" "retention.ms=$((4 * week))"
# Faust's table changelogs (<group>-<table>-changelog): compacted, not expired by time, so a restarted
# worker recovers the latest value of every key. Partitions match the topic that feeds each table:
# figures.v1 for the alerted values, article-features.v1 for the stored articles of story grouping.
create "${APP_ID}-process-alerted-values-changelog" "${PARTITIONS}" cleanup.policy=compact
create "${APP_ID}-process-story-records-changelog" 1 cleanup.policy=compact
kafka_topics --describe
