"""Load test: synthetic articles through the embedded stack, as real processes.

One ``tallywire run --roles sink`` process (the pipeline: embedded broker, ClickHouse sink, query
endpoint), ``workers`` processes of ``tallywire worker --roles process`` and one ``tallywire ingest``
of a folder of synthetic articles. It measures articles/s from the start of the ingest until
ClickHouse holds every article, the peak resident memory (VmHWM) and CPU time of each process, and
the consumer lag once everything arrived, and each process's current memory (VmRSS) at every tenth
of the run, which shows whether it levels off. Prints progress; ``--out`` writes the result as JSON.

    .venv/bin/python -m bench.load_test --articles 100000 --out load-test.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from bench.process_stats import cpu_seconds, descendants, memory_mb
from bench.result_table import print_result
from tallywire.testkit.synthetic_news import synthetic_articles, write_folder
from tallywire.runtime.consumer_lag import consumer_lag
from sinks.query_client import live_endpoint, run_query
from tallywire.runtime.embedded_broker import running_broker
from tallywire.core.settings import Settings
from tallywire.testkit.cli_runner import Running, start_tallywire

PUSHED = re.compile(r"pushed (\d+) new articles")


class ProcessWatch:
    """Samples the peak memory (VmHWM) and CPU seconds of named processes every ``interval_s``: the last
    sample of a process that has exited is its figure up to then (``ingest`` exits before the end)."""

    def __init__(self, interval_s: float = 0.5) -> None:
        self.interval_s = interval_s
        self.pids: dict[str, int] = {}
        self.peaks_mb: dict[str, float] = {}
        self.rss_mb: dict[str, float] = {}
        self.cpu_s: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="process-watch", daemon=True)

    def watch(self, name: str, pid: int) -> None:
        self.pids[name] = pid

    def sample(self) -> None:
        for name, pid in list(self.pids.items()):
            memory = memory_mb(pid)
            if memory is not None:
                peak, self.rss_mb[name] = memory
                self.peaks_mb[name] = max(peak, self.peaks_mb.get(name, 0.0))
                self.cpu_s[name] = max(cpu_seconds(pid), self.cpu_s.get(name, 0.0))

    def memory_point(self, stored: int) -> dict:
        """Each process's memory now, after ``stored`` articles: one point of the memory curve."""
        self.sample()
        return {"stored": stored} | {name: round(mb) for name, mb in self.rss_mb.items()}

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.sample()

    def __enter__(self) -> ProcessWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _check_alive(processes: list[Running]) -> None:
    for process in processes:
        if not process.alive():
            raise RuntimeError(f"{process.log_path.name}: exited with {process.process.returncode}:\n"
                               + process.output[-3000:])


def _stop(process: Running) -> None:
    with contextlib.suppress(subprocess.TimeoutExpired):  # then killed: the measurements are taken
        process.stop(timeout=60)


def _stored(settings: Settings, table: str) -> int:
    return int(json.loads(run_query(settings, f"SELECT count() AS n FROM {table}", "JSONEachRow"))["n"])


def _wait(condition, timeout_s: float, what: str, processes: list[Running]) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout_s
    while not condition():
        _check_alive(processes)
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {what} after {timeout_s:.0f} s; see the logs in {processes[0].log_path.parent}")
        time.sleep(0.5)


def _total_lag(settings: Settings) -> int:
    return sum(int(row["lag"]) for row in consumer_lag(settings, running_broker(settings.data_dir) or ""))


def run_load(articles: int, workers: int = 1, work_dir: Path | None = None, timeout_s: float = 3600,
             progress_every_s: float = 10.0, report=print,  # noqa: ANN001 - any print-like callable
             fetch_min_bytes: int | None = None) -> dict:
    """Push ``articles`` synthetic articles through the embedded stack; returns the measurements.

    ``work_dir`` keeps the data directory and the process logs (default: a temporary directory,
    removed afterwards); ``fetch_min_bytes`` sets TALLYWIRE_FETCH_MIN_BYTES in every process (default:
    the setting's default)."""
    keep = work_dir is not None
    root = Path(work_dir or tempfile.mkdtemp(prefix="tallywire-load-"))
    root.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=root / "data")
    processes: list[Running] = []
    extra = {} if fetch_min_bytes is None else {"TALLYWIRE_FETCH_MIN_BYTES": str(fetch_min_bytes)}
    try:
        started = time.monotonic()
        folder = write_folder(list(synthetic_articles(articles)), root / "articles")
        report(f"wrote {articles:,} synthetic articles in {time.monotonic() - started:.0f} s")
        with ProcessWatch() as stats:
            pipeline = start_tallywire(settings.data_dir, "run", "--roles", "sink", **extra)
            processes.append(pipeline)
            stats.watch("pipeline", pipeline.pid)
            _wait(lambda: live_endpoint(settings.data_dir) is not None, 120, "query endpoint", processes)
            for broker_pid in descendants(pipeline.pid):
                stats.watch("broker", broker_pid)
            for n in range(workers):
                worker = start_tallywire(settings.data_dir, "worker", "--roles", "process", **extra)
                processes.append(worker)
                stats.watch(f"worker-{n + 1}", worker.pid)

            began = time.monotonic()
            ingest = start_tallywire(settings.data_dir, "ingest", str(folder), **extra)
            stats.watch("ingest", ingest.pid)
            last_report = began
            stored = 0
            pushed: int | None = None
            memory_curve: list[dict] = []
            curve_step = max(1, articles // 10)
            while pushed is None or stored < pushed:
                _check_alive(processes)
                if pushed is None and not ingest.alive():
                    found = PUSHED.search(ingest.output)
                    if ingest.process.returncode != 0 or not found:
                        raise RuntimeError(f"ingest failed; see {ingest.log_path}")
                    pushed = int(found.group(1))
                    report(f"ingest done: {pushed:,} articles pushed in {time.monotonic() - began:.0f} s")
                if time.monotonic() - began > timeout_s:
                    raise TimeoutError(f"{stored:,} of {articles:,} articles stored after {timeout_s:.0f} s")
                stored = _stored(settings, "articles")
                now = time.monotonic()
                if now - last_report >= progress_every_s:
                    last_report = now
                    stats.sample()
                    rss = ", ".join(f"{name} {stats.rss_mb[name]:.0f} ({mb:.0f})" for name, mb in stats.peaks_mb.items())
                    report(f"{stored:,} articles stored, {stored / (now - began):.1f}/s; RSS (peak) MiB: {rss}")
                if stored // curve_step > len(memory_curve):
                    memory_curve.append(stats.memory_point(stored))
                time.sleep(1.0)
            elapsed = time.monotonic() - began
            report(f"all {stored:,} articles stored in {elapsed:.0f} s; waiting for lag 0")
            # The articles are in; figures and alerts follow them through two more stages, which in a
            # long run can take minutes: wait for them within the run's timeout.
            settle_began = time.monotonic()
            lag = _total_lag(settings)
            while lag > 0 and time.monotonic() - began < timeout_s:
                _check_alive(processes)
                time.sleep(2.0)
                lag = _total_lag(settings)
                if time.monotonic() - last_report >= progress_every_s:
                    last_report = time.monotonic()
                    report(f"lag {lag:,} after {last_report - settle_began:.0f} s")
            memory_curve.append(stats.memory_point(stored))
            result = {
                "articles": articles,
                "pushed": pushed,
                "stored": {table: _stored(settings, table) for table in ("articles", "figures", "alerts", "dead_letters")},
                "workers": workers,
                "fetch_min_bytes": fetch_min_bytes or Settings.model_fields["fetch_min_bytes"].default,
                "seconds": round(elapsed, 1),
                "articles_per_s": round(pushed / elapsed, 1),
                "final_lag": lag,
                "lag_settled_s": round(time.monotonic() - settle_began, 1),
                "peak_rss_mb": {name: round(mb, 1) for name, mb in stats.peaks_mb.items()},
                "rss_mb_curve": memory_curve,
                # CPU per article (start-up included) holds on a busy machine, where articles/s does not.
                "cpu_ms_per_article": {name: round(1000 * s / pushed, 1) for name, s in stats.cpu_s.items()}
                | {"all": round(1000 * sum(stats.cpu_s.values()) / pushed, 1)},
            }
    finally:
        for process in reversed(processes):
            _stop(process)
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load_test", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="synthetic articles to push (default 100000)")
    parser.add_argument("--workers", type=int, default=1, help="processing worker processes (default 1)")
    parser.add_argument("--work-dir", type=Path, help="keep the data directory and logs here (default: temporary)")
    parser.add_argument("--timeout", type=float, default=3600, help="give up after this many seconds (default 3600)")
    parser.add_argument("--fetch-min-bytes", type=int,
                        help="bytes each consumer fetch waits for; 1048576 for long runs (default: the setting's)")
    parser.add_argument("--out", type=Path, help="also write the JSON result to this file")
    args = parser.parse_args(argv)
    result = run_load(args.articles, args.workers, args.work_dir, args.timeout,
                      report=lambda line: print(line, flush=True), fetch_min_bytes=args.fetch_min_bytes)
    print_result(result, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
