"""The compose ``verify`` job: push the seed articles through the deployed stack, then run the Grafana
dashboard's own figure-timeline query, as Grafana would send it, until it returns the seed figures.

It reads the dashboard JSON rather than a copy of its SQL, so a dashboard that stops matching the
schema fails here, not in front of an analyst. The tests expand the panels with the same functions.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
DASHBOARDS = HERE / "grafana" / "dashboards"
MAIN_DASHBOARD = DASHBOARDS / "tallywire.json"
MAIN_PANEL = "Figure timeline"  # title prefix of the dashboard's main panel
# The reported values the seed articles give for the dashboard's default series (troops / north_korea /
# Kursk; see ../shared/seeds/gold.json): the timeline must show each of them.
SEED_TIMELINE = {3000.0, 8000.0, 11000.0}

_RELATIVE = re.compile(r"^now(?:-(\d+)([smhdwMy]))?$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "M": 31 * 86400, "y": 366 * 86400}
# What maxDataPoints Grafana uses for a panel about 1000 px wide: the interval is the range divided by it.
DATA_POINTS = 1000


def time_range(dashboard: dict, now: datetime) -> tuple[datetime, datetime]:
    """The dashboard's default time range (``now-90d`` .. ``now``), resolved against ``now``."""

    def resolve(text: str) -> datetime:
        match = _RELATIVE.match(text)
        if not match:
            raise ValueError(f"time {text!r} is not now or now-<n><unit>")
        amount, unit = match.groups()
        return now - timedelta(seconds=int(amount or 0) * _UNIT_SECONDS.get(unit or "s", 1))

    return resolve(dashboard["time"]["from"]), resolve(dashboard["time"]["to"])


def expand(sql: str, dashboard: dict, now: datetime) -> str:
    """``sql`` as the ClickHouse data source plugin sends it: its macros and the variables' defaults filled in."""
    start, end = time_range(dashboard, now)
    s, e = int(start.timestamp()), int(end.timestamp())
    ms_s, ms_e = int(start.timestamp() * 1000), int(end.timestamp() * 1000)
    interval = max(1, (e - s) // DATA_POINTS)
    functions = {
        "timeFilter": lambda c: f"{c} >= toDateTime({s}) AND {c} <= toDateTime({e})",
        "timeFilter_ms": lambda c: f"{c} >= fromUnixTimestamp64Milli({ms_s}) AND {c} <= fromUnixTimestamp64Milli({ms_e})",
        "dateFilter": lambda c: f"{c} >= toDate(toDateTime({s})) AND {c} <= toDate(toDateTime({e}))",
        "timeInterval": lambda c: f"toStartOfInterval(toDateTime({c}), INTERVAL {interval} second)",
        "timeInterval_ms": lambda c: f"toStartOfInterval(toDateTime64({c}, 3), INTERVAL {interval * 1000} millisecond)",
        # The defaults never select "All", so the condition applies.
        "conditionalAll": lambda args: args.rsplit(",", 1)[0],
    }
    constants = {
        "fromTime": f"toDateTime({s})", "toTime": f"toDateTime({e})",
        "fromTime_ms": f"fromUnixTimestamp64Milli({ms_s})", "toTime_ms": f"fromUnixTimestamp64Milli({ms_e})",
        "interval_s": str(interval),
    }
    defaults = {v["name"]: v["current"]["value"] for v in dashboard.get("templating", {}).get("list", [])}
    # Arguments may hold one level of parentheses: $__conditionalAll(k IN ($k), $k).
    sql = re.sub(r"\$__(\w+)\(((?:[^()]|\([^()]*\))*)\)", lambda m: functions[m.group(1)](m.group(2).strip()), sql)
    sql = re.sub(r"\$__(\w+)", lambda m: constants[m.group(1)], sql)
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: defaults[m.group(1) or m.group(2)], sql)


def clickhouse_queries(path: Path, now: datetime) -> list[tuple[str, str]]:
    """(what, SQL) of every ClickHouse query of a dashboard, its variables' included, ready to run."""
    dashboard = json.loads(path.read_text(encoding="utf-8"))

    def is_clickhouse(holder: dict) -> bool:
        return holder.get("datasource", {}).get("type") == "grafana-clickhouse-datasource"

    found = [(f"variable {v['name']}", expand(v["query"], dashboard, now))
             for v in dashboard.get("templating", {}).get("list", []) if is_clickhouse(v)]
    for panel in dashboard["panels"]:
        if is_clickhouse(panel):
            found += [(panel["title"], expand(t["rawSql"], dashboard, now)) for t in panel["targets"]]
    return found


def main_query(now: datetime) -> str:
    return next(sql for title, sql in clickhouse_queries(MAIN_DASHBOARD, now) if title.startswith(MAIN_PANEL))


def timeline_values(sql: str) -> set[float]:
    # Imported here: the tests use this module's SQL functions without the ClickHouse client.
    from sinks.query_client import run_query
    from tallywire.core.settings import load_settings

    lines = run_query(load_settings(), sql, "JSONEachRow").decode("utf-8").splitlines()
    return {float(row["value"]) for row in map(json.loads, filter(None, lines)) if row.get("status") == "reported"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="/app/seeds", help="seed articles to ingest (default: /app/seeds)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the figures (default: 300)")
    args = parser.parse_args()
    # The real CLI, as an operator would push files; this interpreter's, so the tests need no PATH.
    subprocess.run([sys.executable, "-m", "tallywire.cli", "ingest", args.seeds], check=True)
    deadline = time.monotonic() + args.timeout
    while True:
        shown = timeline_values(main_query(datetime.now(timezone.utc)))
        if SEED_TIMELINE <= shown:
            print(f"verify: the dashboard's figure timeline shows the seed figures {sorted(SEED_TIMELINE)}", flush=True)
            return 0
        if time.monotonic() > deadline:
            print(f"verify: the figure timeline shows {sorted(shown)}, not {sorted(SEED_TIMELINE)}, after "
                  f"{args.timeout:.0f} s; check: docker compose logs worker sink", file=sys.stderr)
            return 1
        print(f"verify: waiting for the seed figures (timeline so far: {sorted(shown)})", flush=True)
        time.sleep(5)


if __name__ == "__main__":
    sys.exit(main())
