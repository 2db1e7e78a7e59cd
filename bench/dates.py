"""Exact-day accuracy of the publication date, tallywire's reading against htmldate's alone.

On the 84 pages of ``bench.date_pages`` (German and English, fourteen outlets' kinds of markup), in two
settings: (a) the page alone, no feed date; (b) the feed gives every entry its own build time, as
feeds do that stamp entries when they are written (a misleading date). htmldate sees the page and its
URL in both, as it would in any pipeline; it knows no feed.

    python -m bench.dates [--format table|json] [--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone

from bench.date_pages import DatePage, date_pages
from ingest.publication_date import FeedDate, htmldate_date, publication_date

GOAL = 0.95
NOW = datetime(2025, 1, 31, 12, 0, tzinfo=timezone.utc)
# The feed's build time: after every page, so a reader that trusts it is wrong on every page.
FEED_BUILT = datetime(2025, 1, 30, 6, 0, tzinfo=timezone.utc)


def measure(pages: list[DatePage] | None = None) -> dict:
    pages = pages if pages is not None else date_pages()
    misleading = FeedDate(FEED_BUILT, feed_built=FEED_BUILT, shared_by_all_entries=True)
    hits = {"tallywire_no_feed": 0, "tallywire_misleading_feed": 0, "htmldate": 0}
    misses: list[dict] = []
    won: dict[str, int] = {}
    for page in pages:
        truth = page.published.astimezone(timezone.utc).date()
        reading = htmldate_date(page.html, page.url, now=NOW)
        if reading == truth.isoformat():
            hits["htmldate"] += 1
        for setting, feed in (("tallywire_no_feed", None), ("tallywire_misleading_feed", misleading)):
            found = publication_date(page.html, page.url, feed=feed, now=NOW, htmldate_reading=reading)
            got = found.published_at.date() if found.published_at else None
            if got == truth:
                hits[setting] += 1
            else:
                misses.append({"page": page.name, "setting": setting, "truth": truth.isoformat(),
                               "got": got.isoformat() if got else None, "source": found.source,
                               "signals": [f"{s.source}{'(mod)' if s.modified else ''}={s.value.date()}"
                                           for s in found.signals]})
            if feed is None:
                won[found.source or "none"] = won.get(found.source or "none", 0) + 1
    accuracy = {name: round(count / len(pages), 3) for name, count in hits.items()}
    return {
        "pages": len(pages),
        "german": sum(p.lang == "de" for p in pages),
        "accuracy": accuracy,
        "goal": GOAL,
        "met": all(accuracy[s] >= GOAL and accuracy[s] > accuracy["htmldate"]
                   for s in ("tallywire_no_feed", "tallywire_misleading_feed")),
        "won_by": dict(sorted(won.items())),
        "misses": misses,
    }


def table(result: dict) -> str:
    a = result["accuracy"]
    rows = [
        "| reader | (a) no feed date | (b) misleading feed date (build time) |",
        "| --- | --- | --- |",
        f"| tallywire | {a['tallywire_no_feed']:.3f} | {a['tallywire_misleading_feed']:.3f} |",
        f"| htmldate alone | {a['htmldate']:.3f} | {a['htmldate']:.3f} |",
    ]
    won = ", ".join(f"{source} {n}" for source, n in result["won_by"].items())
    return "\n".join(rows) + (
        f"\n\n{result['pages']} pages ({result['german']} German); goal ≥ {result['goal']} and above htmldate in both: "
        f"{'met' if result['met'] else 'NOT met'}. Signals that won (a): {won}.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dates", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--misses", action="store_true", help="list the pages read wrong")
    args = parser.parse_args(argv)
    result = measure()
    if not args.misses:
        result.pop("misses")
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print(table(result))
        for miss in result.get("misses", []):
            print(json.dumps(miss))
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
