"""Soak: one `tallywire run` (every stage, the embedded broker) fed N synthetic articles in chunks, as
polls would bring them, with each process's memory and the throughput at every step of articles.

A chunk is pushed (into the pipeline's broker and journal, as `tallywire ingest` does) once the one
before is wholly handled (the run's restart point at the journal's end) and ``--gap`` seconds more, so
the pipeline drains and idles between chunks the way it does between feed polls, and its broker
restarts (TALLYWIRE_BROKER_RECYCLE_MB) happen as in a long feed run. The throughput counts the gaps. The run
process keeps its id across its restarts; the broker is found again under it at every sample.

    python -m bench.soak --articles 20000 [--chunk 500] [--step 1000] [--out soak.json] [--results bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.pipeline_process import raw_article
from bench.process_stats import descendants, memory_mb
from bench.result_table import print_result
from tallywire.testkit.synthetic_news import synthetic_articles
from ingest.raw_producer import RawArticleOutlet
from sinks.query_client import ask_endpoint, live_endpoint
from tallywire.runtime.embedded_broker import running_broker
from tallywire.app.pipeline import journal_for
from tallywire.core.settings import load_settings
from tallywire.testkit.cli_runner import start_tallywire

RESTARTING = "restarting with a fresh one"


def _stored(data_dir: Path) -> int | None:
    """Articles in ClickHouse, through the run's endpoint; None while it restarts."""
    endpoint = live_endpoint(data_dir)
    if endpoint is None:
        return None
    try:
        return int(json.loads(ask_endpoint(endpoint, "SELECT count() AS n FROM articles", "JSONEachRow", 30))["n"])
    except Exception:  # noqa: BLE001 - the endpoint went away with a restart
        return None


def _all_handled(data_dir: Path) -> bool:
    """Whether the run's restart point stands at the journal's end: every stage drained, as between polls."""
    journal = data_dir / "journal"
    try:
        return json.loads((journal / "handled.json").read_text())["offset"] == (journal / "raw-articles.jsonl").stat().st_size
    except (OSError, ValueError, KeyError):
        return False


def _rss(pid: int) -> int:
    memory = memory_mb(pid)
    return round(memory[1]) if memory else 0


def _push(data_dir: Path, articles: list) -> None:
    settings = load_settings(data_dir=data_dir)
    while not (bootstrap := running_broker(data_dir)):
        time.sleep(0.5)
    outlet = RawArticleOutlet(bootstrap, journal_for(settings))
    try:
        for article in articles:
            outlet.publish(raw_article(article, "soak"))
        outlet.flush()
    finally:
        outlet.close()


def soak(articles: int, chunk: int, step: int, work_dir: Path | None, recycle_mb: int | None = None,
         gap_s: float = 3.0, report=print) -> dict:  # noqa: ANN001 - any print-like callable
    root = Path(work_dir or tempfile.mkdtemp(prefix="tallywire-soak-"))
    data_dir = root / "data"
    synthetic = list(synthetic_articles(articles, seed=31))
    extra = {} if recycle_mb is None else {"TALLYWIRE_BROKER_RECYCLE_MB": str(recycle_mb)}
    pipeline = start_tallywire(data_dir, "run", TALLYWIRE_LOG_LEVEL="WARNING", **extra)
    rows: list[dict] = []
    try:
        while _stored(data_dir) is None:
            time.sleep(0.5)
        began = last_time = time.monotonic()
        last_stored = pushed = 0
        handled_since: float | None = None
        while True:
            if not pipeline.alive():
                raise RuntimeError(f"the pipeline exited:\n{pipeline.output[-3000:]}")
            stored = _stored(data_dir)
            if stored is None:
                time.sleep(0.5)
                continue
            handled = stored >= pushed and (pushed == 0 or _all_handled(data_dir))
            handled_since = (handled_since or time.monotonic()) if handled else None
            if pushed < len(synthetic) and handled_since and time.monotonic() - handled_since >= gap_s:
                _push(data_dir, synthetic[pushed:pushed + chunk])
                pushed = min(len(synthetic), pushed + chunk)
            done = stored >= len(synthetic)
            if stored // step > len(rows) or done:
                now = time.monotonic()
                rows.append({
                    "stored": stored, "seconds": round(now - began),
                    "articles_per_s": round((stored - last_stored) / max(now - last_time, 1e-9), 1),
                    "rss_mb": {"pipeline": _rss(pipeline.pid),
                               "broker": sum(_rss(pid) for pid in descendants(pipeline.pid))},
                    "broker_restarts": pipeline.output.count(RESTARTING),
                })
                report(json.dumps(rows[-1]))
                last_stored, last_time = stored, now
            if done:
                break
            time.sleep(1.0)
    finally:
        pipeline.stop(timeout=120)
        if not work_dir:
            shutil.rmtree(root, ignore_errors=True)
    recycle_mb = load_settings().broker_recycle_mb if recycle_mb is None else recycle_mb
    return {"articles": articles, "chunk": chunk, "step": step, "recycle_mb": recycle_mb, "gap_s": gap_s, "rows": rows,
            "at": datetime.now(timezone.utc).isoformat(timespec="minutes")}


def markdown(result: dict) -> str:
    lines = [
        f"## {result['at'][:10]}, soak: {result['articles']:,} articles in chunks of {result['chunk']:,}",
        "",
        f"`python -m bench.soak --articles {result['articles']} --chunk {result['chunk']} --step {result['step']}"
        f" --recycle-mb {result['recycle_mb']} --gap {result['gap_s']:g}`",
        "",
        "| stored | seconds | articles/s in the step | RSS pipeline (MiB) | RSS broker (MiB) | broker restarts so far |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [f"| {r['stored']:,} | {r['seconds']:,} | {r['articles_per_s']} | {r['rss_mb']['pipeline']:,} | "
              f"{r['rss_mb']['broker']:,} | {r['broker_restarts']} |" for r in result["rows"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=500, help="articles pushed at once, when the last are handled")
    parser.add_argument("--step", type=int, help="a row every this many articles (10000; 1000 under 20000)")
    parser.add_argument("--recycle-mb", type=int, help="TALLYWIRE_BROKER_RECYCLE_MB for the run (default: the setting's)")
    parser.add_argument("--gap", type=float, default=3.0, help="seconds between a chunk handled and the next, as"
                        " between polls (default 3)")
    parser.add_argument("--work-dir", type=Path, help="keep the data directory and logs here")
    parser.add_argument("--out", type=Path, help="the JSON result")
    parser.add_argument("--results", type=Path, help="append the table to this markdown file (bench/RESULTS.md)")
    args = parser.parse_args(argv)
    step = args.step or (10_000 if args.articles >= 20_000 else 1_000)
    result = soak(args.articles, args.chunk, step, args.work_dir, args.recycle_mb, args.gap,
                  report=lambda line: print(line, flush=True))
    print_result(result, args.out)
    print(markdown(result))
    if args.results:
        # Newest first, below the file's introduction.
        text = args.results.read_text()
        first = text.find("\n## ")
        args.results.write_text(text[:first + 1] + markdown(result) + "\n" + text[first + 1:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
