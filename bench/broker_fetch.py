"""The embedded broker's CPU per fetch against the messages its partition holds: one partition filled with
1 KB messages in steps, in batches of ``--batch-bytes``, and at each size 20 fetches of its last 5
messages, the broker's CPU time read from /proc. Also whether the broker honours Kafka's DeleteRecords, which would let tallywire drop what
every consumer group has committed.

    python -m bench.broker_fetch [--sizes 1000,2000,4000,8000,16000,32000] [--batch-bytes 1] [--out result.json]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import KafkaError

from bench.process_stats import cpu_seconds, memory_mb
from bench.result_table import print_result
from tallywire.runtime.embedded_broker import EmbeddedBroker

TOPIC = "fetch-cost"
FETCHES = 20
TAIL = 5


def _fetch_tail(consumer: KafkaConsumer, partition: TopicPartition, end: int) -> int:
    consumer.seek(partition, end - TAIL)
    got = 0
    while got < TAIL:
        got += sum(len(records) for records in consumer.poll(timeout_ms=5000, max_records=TAIL).values())
    return got


def measure(sizes: list[int], batch_bytes: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="tallywire-fetch-") as root, EmbeddedBroker(Path(root)) as broker:
        pid = broker._process.pid  # noqa: SLF001 - the broker's own CPU is the measurement
        admin = KafkaAdminClient(bootstrap_servers=broker.bootstrap)
        admin.create_topics([NewTopic(TOPIC, 1, 1)])
        producer = KafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=5, batch_size=batch_bytes)
        consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap, enable_auto_commit=False)
        partition = TopicPartition(TOPIC, 0)
        consumer.assign([partition])
        rows, held = [], 0
        for size in sizes:
            for _ in range(size - held):
                producer.send(TOPIC, value=b"x" * 1000)
            producer.flush()
            held = size
            _fetch_tail(consumer, partition, held)  # warm: metadata, connection
            before, started = cpu_seconds(pid), time.monotonic()
            for _ in range(FETCHES):
                _fetch_tail(consumer, partition, held)
            rows.append({
                "messages": held,
                "broker_cpu_ms_per_fetch": round(1000 * (cpu_seconds(pid) - before) / FETCHES, 2),
                "wall_ms_per_fetch": round(1000 * (time.monotonic() - started) / FETCHES, 2),
                "broker_rss_mb": round(memory_mb(pid)[1]),
            })
            print(rows[-1], flush=True)
        try:
            admin.delete_records({partition: held // 2}, timeout_ms=5000)
            deleted = f"accepted; first offset now {consumer.beginning_offsets([partition])[partition]}"
        except KafkaError as exc:
            deleted = f"refused: {type(exc).__name__}: {exc}"
        consumer.close()
        producer.close()
        admin.close()
        return {"batch_bytes": batch_bytes, "fetches": rows, "delete_records": deleted, "broker_alive_after": broker.alive}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.broker_fetch", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000,16000,32000")
    parser.add_argument("--batch-bytes", type=int, default=16384,
                        help="the producer's batch size; 1 puts each message in a batch of its own, as tallywire's"
                             " workers do on the embedded broker (default: kafka-python's 16384)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = measure([int(size) for size in args.sizes.split(",")], args.batch_bytes)
    print_result(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
