"""Messages per second through the embedded broker alone: kafka-python produces the raw articles of the
text benchmark onto raw-articles.v1, configured as tallywire's producer is, and aiokafka (the client
under Faust) consumes them. Beside the pipeline's articles/s it says how much of an article's time in
the pipeline one broker hop can explain.

    python -m bench.broker_overhead [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition
from kafka import KafkaProducer

from bench.pipeline_process import raw_article
from bench.result_table import Row
from tallywire.testkit.synthetic_news import synthetic_articles
from tallywire.runtime.embedded_broker import EmbeddedBroker
from tallywire.core.settings import load_settings
from tallywire.runtime.topic_admin import ensure_topics
from tallywire.core.topics import RAW_ARTICLES


def _produce(bootstrap: str, messages: list[tuple[bytes, bytes]]) -> None:
    producer = KafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, acks="all", linger_ms=5,
                             max_request_size=4 * 1024 * 1024)
    try:
        for key, value in messages:
            producer.send(RAW_ARTICLES.name, key=key, value=value)
        producer.flush(timeout=60)
    finally:
        producer.close(timeout=10)


async def _produce_and_consume(bootstrap: str, messages: list[tuple[bytes, bytes]], partitions: int,
                               timeout_s: float) -> float:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        assigned = [TopicPartition(RAW_ARTICLES.name, p) for p in range(partitions)]
        consumer.assign(assigned)
        await consumer.seek_to_beginning(*assigned)  # a fresh broker: the topic holds only what is sent below
        started = time.perf_counter()
        producing = asyncio.get_running_loop().run_in_executor(None, _produce, bootstrap, messages)
        received = 0
        while received < len(messages):
            if time.perf_counter() - started > timeout_s:
                raise TimeoutError(f"only {received} of {len(messages)} messages came back within {timeout_s:.0f} s")
            batches = await consumer.getmany(*assigned, timeout_ms=200)
            received += sum(len(batch) for batch in batches.values())
        elapsed = time.perf_counter() - started
        await producing
        return elapsed
    finally:
        await consumer.stop()


def measure(count: int, timeout_s: float = 120) -> dict:
    raws = [raw_article(a, "broker") for a in synthetic_articles(count, seed=31, copy_share=0.2, translation_share=0.1)]
    messages = [(raw.article_id.encode("utf-8"), raw.to_bytes()) for raw in raws]
    with tempfile.TemporaryDirectory() as folder, EmbeddedBroker(Path(folder)) as broker:
        settings = load_settings(data_dir=Path(folder))
        ensure_topics(settings, broker.bootstrap)
        partitions = RAW_ARTICLES.partition_count(settings.partitions)
        elapsed = asyncio.run(_produce_and_consume(broker.bootstrap, messages, partitions, timeout_s))
    return {
        "messages": count,
        "mean_message_bytes": round(sum(len(v) for _, v in messages) / count),
        "seconds": round(elapsed, 3),
        "messages_per_s": round(count / elapsed, 1),
    }


def rows(result: dict, pipeline_articles_per_s: float | None) -> list[Row]:
    return [
        Row("broker alone: kafka-python → aiokafka", result["messages_per_s"], "messages/s",
            note=f"{result['messages']} raw articles of {result['mean_message_bytes']} bytes, embedded broker"),
        Row("pipeline from text vs one broker hop", pipeline_articles_per_s, "articles/s",
            result["messages_per_s"], "broker alone, messages/s",
            note="ratio = share of an article's pipeline time one hop takes; an article makes 3 hops and one per figure"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="2,000 messages instead of 20,000")
    print(json.dumps(measure(2_000 if parser.parse_args().quick else 20_000)))


if __name__ == "__main__":
    main()
