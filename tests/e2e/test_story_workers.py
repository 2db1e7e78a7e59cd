"""Story grouping with two worker processes on four partitions gives the groups one grouper gives.

The articles: the five seeds and two republished copies of each, under their own ids, so that the
raw-article partitions (by id) scatter each family; every worker computes features for its
partitions, and twins meet in the one grouping partition whichever worker computed them.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import replace
import urllib.request
from pathlib import Path

import pytest
from kafka.partitioner.default import murmur2

from ingest.file_source import read_articles
from processors.story_grouping import GroupingParams, StoryGrouper
from tallywire.core.errors import INTERRUPTED
from tests.conftest import REPO
from tallywire.testkit.cli_runner import Running, free_port, sql_rows, start_tallywire, tallywire, wait_for_queries, wait_until
from tests.e2e.test_metrics import metric

pytestmark = pytest.mark.e2e

PARTITIONS = 4
WINDOW_DAYS = 30
BYLINES = ("(dpa)", "(Reuters)")


def _articles(folder: Path) -> tuple[Path, dict[str, str]]:
    """The seeds and two copies of each (a by-line added); returns the folder and {article id: family}."""
    folder.mkdir()
    manifest = json.loads((REPO / "seeds" / "manifest.json").read_text())["articles"]
    written = {}
    for seed in sorted(manifest):
        text = (REPO / "seeds" / seed).read_text(encoding="utf-8")
        shutil.copy(REPO / "seeds" / seed, folder / seed)
        written[seed] = manifest[seed]
        for byline in BYLINES:
            name = f"{seed[:-4]}-copy-{byline.strip('()').lower()}.txt"
            (folder / name).write_text(f"{text}\n{byline}\n", encoding="utf-8")
            written[name] = manifest[seed]
    (folder / "manifest.json").write_text(json.dumps({"articles": written}), encoding="utf-8")
    # 000 and 003 are translations of one report: one family.
    family = {raw.article_id: Path(raw.url).name[:3].replace("003", "000") for raw in read_articles([folder])}
    return folder, family


def _groups(rows: list[dict], column: str) -> set[frozenset[str]]:
    by_group: dict[str, set[str]] = {}
    for row in rows:
        by_group.setdefault(row[column], set()).add(row["article_id"])
    return {frozenset(ids) for ids in by_group.values()}


def _run(data_dir: Path, folder: Path, workers: int, articles: int) -> tuple[list[dict], list[float]]:
    """Group the folder's articles with ``workers`` worker processes; the rows and each worker's feature count."""
    # The seeds span 13 days; arriving out of order, a late one would find its twins already forgotten
    # under the default 7-day window.
    env = {"TALLYWIRE_PARTITIONS": str(PARTITIONS), "TALLYWIRE_STORY_WINDOW_DAYS": str(WINDOW_DAYS)}
    sink = start_tallywire(data_dir, "run", "--roles", "sink", **env)
    ports = [free_port() for _ in range(workers)]
    running: list[Running] = []
    try:
        wait_for_queries(sink, data_dir)
        running = [start_tallywire(data_dir, "worker", "--roles", "process", **env, TALLYWIRE_METRICS_PORT=str(port))
                   for port in ports]

        def healthy(port: int) -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as health:
                    return health.status == 200
            except OSError:
                return False

        wait_until(lambda: all(healthy(p) for p in ports) or not all(w.alive() for w in running), 120, "healthy workers")
        assert all(w.alive() for w in running), [w.output for w in running]
        time.sleep(8)  # the group settles: each worker holds raw-article partitions before the stream starts
        pushed = tallywire(data_dir, "ingest", str(folder), timeout=120, **env)
        assert pushed.returncode == 0, pushed.stderr
        count_sql = "SELECT count() AS n FROM articles"
        wait_until(lambda: int(sql_rows(data_dir, count_sql)[0]["n"]) >= articles, 180, f"{articles} articles")
        rows = sql_rows(data_dir, "SELECT article_id, duplicate_of, story_id, event_id FROM articles FINAL")
        featured = []
        for port in ports:
            text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
            try:
                featured.append(metric(text, "tallywire_messages_handled_total", stage="story-features",
                                       topic="raw-articles.v1"))
            except AssertionError:
                featured.append(0.0)
        return rows, featured
    finally:
        for worker in running:
            worker.stop()
        assert sink.stop() == INTERRUPTED, sink.output


def _one_grouper(folder: Path) -> list[dict]:
    """What a single worker decides: every article through one grouper, in reading order."""
    grouper = StoryGrouper(params=replace(GroupingParams(), window_days=WINDOW_DAYS))
    rows = []
    for raw in read_articles([folder]):
        grouping = grouper.assign(raw.article_id, raw.text, raw.lang, raw.published_at)
        rows.append({"article_id": raw.article_id, "duplicate_of": grouping.duplicate_of,
                     "story_id": grouping.story_id, "event_id": grouping.event_id})
    return rows


def test_two_workers_on_four_partitions_group_like_one(tmp_path: Path) -> None:
    folder, family = _articles(tmp_path / "articles")
    # The test means something only if some twins start on different raw-article partitions.
    partition = {i: (murmur2(i.encode()) & 0x7FFFFFFF) % PARTITIONS for i in family}
    assert any(partition[a] != partition[b] for a in family for b in family if family[a] == family[b])

    one = _one_grouper(folder)
    two, featured = _run(tmp_path / "two", folder, workers=2, articles=len(family))

    assert all(count > 0 for count in featured), f"a worker computed no features: {featured}"
    expected = {frozenset(i for i in family if family[i] == name) for name in set(family.values())}
    assert _groups(one, "story_id") == expected
    assert _groups(two, "story_id") == _groups(one, "story_id")
    assert _groups(two, "event_id") == _groups(one, "event_id")
    # Which member of a copy family came first (and so is the original) depends on arrival order;
    # the families do not.
    for rows in (one, two):
        for row in rows:
            row["copy_family"] = row["duplicate_of"] or row["article_id"]
    assert _groups(two, "copy_family") == _groups(one, "copy_family")
    assert sum(1 for row in two if row["duplicate_of"]) == 2 * 5
