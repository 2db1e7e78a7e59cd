"""Figure rows per second the ClickHouse sink writes into chDB, at batch sizes 100, 1,000 and 10,000,
against a bare insert of the same rows at the best size; also per second of CPU time (chDB runs in
this process, so its threads count), which a machine shared with other work does not move.

Each batch goes through ``ClickHouseSink.write``: the check for ids already stored, then the insert.
The baseline inserts the same rows with the client alone, so the ratio is the sink's own cost.

    python -m bench.sink_throughput [--quick]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.result_table import Goal, Row
from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import TABLES, ClickHouseSink
from sinks.migrations import apply_migrations
from tallywire.core.topics import FIGURES, Figure, stable_id

GOAL_ROWS_PER_S = 50_000
BATCH_SIZES = (100, 1_000, 10_000)


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


def _rows_per_s(rows: int, batch_size: int, write: Callable[[ClickHouse, list[Figure]], object]) -> tuple[int, int]:
    """Rows per second and per CPU second of ``write`` on a fresh chDB, ``rows`` in batches of ``batch_size``."""
    with tempfile.TemporaryDirectory() as folder:
        clickhouse = ClickHouse(f"chdb://{Path(folder) / 'ch'}")
        apply_migrations(clickhouse)
        batches = [_figures(batch_size, n * batch_size) for n in range(max(1, rows // batch_size))]
        started, cpu_started = time.perf_counter(), time.process_time()
        for batch in batches:
            write(clickhouse, batch)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        clickhouse.close()
    written = sum(map(len, batches))
    return round(written / elapsed), round(written / cpu)


def _through_sink(clickhouse: ClickHouse, batch: list[Figure]) -> None:
    ClickHouseSink(clickhouse).write(FIGURES, batch)


def _bare_insert(clickhouse: ClickHouse, batch: list[Figure]) -> None:
    mapping = TABLES[FIGURES.name]
    clickhouse.insert(mapping.table, [[getattr(f, c) for c in mapping.columns] for f in batch], mapping.columns)


def measure(rows_per_size: int) -> dict:
    measured = {str(size): _rows_per_s(rows_per_size, size, _through_sink) for size in BATCH_SIZES}
    by_size = {size: wall for size, (wall, _) in measured.items()}
    best_size = max(by_size, key=by_size.get)
    bare, bare_cpu = _rows_per_s(rows_per_size, int(best_size), _bare_insert)
    return {
        "rows_per_size": rows_per_size,
        "rows_per_s_by_batch_size": by_size,
        "rows_per_cpu_s_by_batch_size": {size: cpu for size, (_, cpu) in measured.items()},
        "best_batch_size": int(best_size),
        "best_rows_per_s": by_size[best_size],
        "best_rows_per_cpu_s": measured[best_size][1],
        "bare_insert_rows_per_s": bare,
        "bare_insert_rows_per_cpu_s": bare_cpu,
        "goal_rows_per_s": GOAL_ROWS_PER_S,
    }


def rows(result: dict) -> list[Row]:
    size = f"batches of {result['best_batch_size']:,}"
    return [
        Row(f"sink into chDB, {size}", result["best_rows_per_s"], "rows/s",
            result["bare_insert_rows_per_s"], "bare client insert, same rows", Goal(GOAL_ROWS_PER_S, "at_least", "value"),
            "rows/s at 100/1,000/10,000: " + " / ".join(f"{v:,}" for v in result["rows_per_s_by_batch_size"].values())),
        Row(f"sink into chDB per core (CPU time), {size}", result["best_rows_per_cpu_s"], "rows/s",
            result["bare_insert_rows_per_cpu_s"], "bare client insert per core"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="20,000 rows per batch size instead of 100,000")
    print(json.dumps(measure(20_000 if parser.parse_args().quick else 100_000)))


if __name__ == "__main__":
    main()
