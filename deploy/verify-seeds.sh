#!/bin/sh
# tools profile: push the seed articles through the deployed stack and wait for their figures.
set -eu
tallywire ingest /app/seeds
for attempt in $(seq 1 60); do
  figures=$(tallywire sql "SELECT count() FROM figures WHERE category = 'troops' AND force = 'north_korea' AND location = 'Kursk'" --format TSV | tail -n 1)
  if [ "${figures:-0}" -ge 5 ]; then
    echo "verify: ${figures} North Korean troop figures for Kursk are queryable"
    exit 0
  fi
  echo "verify: waiting for figures (${attempt}/60)"
  sleep 5
done
echo "verify: the seed figures did not arrive; check: docker compose logs worker sink" >&2
exit 1
