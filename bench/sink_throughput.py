"""Figure rows per second the ClickHouse sink writes into chDB, at batch sizes 100, 1,000 and 10,000.

Each batch goes through ``ClickHouseSink.write``: the check for ids already stored, then the insert.

    python -m bench.sink_throughput [--quick]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink
from sinks.migrations import apply_migrations
from tallywire.topics import FIGURES, Figure, stable_id

GOAL_ROWS_PER_S = 50_000


def _figures(count: int, offset: int) -> list[Figure]:
    start = datetime(2024, 11, 1, tzinfo=timezone.utc)
    return [
        Figure(
            figure_id=stable_id("bench", offset + i), article_id=f"a{(offset + i) // 3}", story_id=f"s{(offset + i) // 9}",
            source=f"outlet-{i % 7}", published_at=start + timedelta(minutes=offset + i), value=float(1000 + i % 500),
            value_low=float(1000 + i % 500), value_high=float(1000 + i % 500), category="troops",
            force=("north_korea", "russia", "ukraine")[i % 3], location=("Kursk", "Donetsk")[i % 2],
            sentence="Etwa 11.000 nordkoreanische Soldaten sind in der Region Kursk stationiert.",
        )
        for i in range(count)
    ]


def run(quick: bool) -> dict:
    rows_per_size = 20_000 if quick else 100_000
    results = {}
    for batch_size in (100, 1_000, 10_000):
        with tempfile.TemporaryDirectory() as folder:
            clickhouse = ClickHouse(f"chdb://{Path(folder) / 'ch'}")
            apply_migrations(clickhouse)
            sink = ClickHouseSink(clickhouse)
            batches = [_figures(batch_size, n) for n in range(0, rows_per_size, batch_size)]
            started = time.perf_counter()
            for batch in batches:
                sink.write(FIGURES, batch)
            elapsed = time.perf_counter() - started
            clickhouse.close()
        results[str(batch_size)] = round(rows_per_size / elapsed)
    return {"rows_per_s_by_batch_size": results, "best_rows_per_s": max(results.values()), "goal_rows_per_s": GOAL_ROWS_PER_S}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20,000 rows per batch size instead of 100,000")
    print(json.dumps(run(parser.parse_args().quick)))


if __name__ == "__main__":
    main()
