"""The walking skeleton, as a new user runs it: seeds in, stories, figures and alerts out in ClickHouse.

Real processes throughout: the tallywire CLI, the embedded Tansu broker it starts, chDB.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tallywire.core.errors import INTERRUPTED
from tests.alerts.test_alert_series import SEED_CHAIN
from tallywire.testkit.cli_runner import sql_rows, start_tallywire, tallywire, wait_for_queries

pytestmark = pytest.mark.e2e

COUNTS_SQL = """
SELECT (SELECT count() FROM articles) AS articles, (SELECT count() FROM figures) AS figures,
       (SELECT count() FROM alert_chain) AS alerts, (SELECT count() FROM dead_letters) AS dead_letters
"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    data_dir = tmp_path_factory.mktemp("seed-run")
    started = time.monotonic()
    done = tallywire(data_dir, "run", "--seeds", "seeds/", "--until-idle")
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stdout + done.stderr
    assert "in ClickHouse: 5 articles" in done.stdout
    return data_dir, elapsed


def test_seed_run_finishes_within_two_minutes(seeded: tuple[Path, float]) -> None:
    assert seeded[1] < 120


def test_all_five_seeds_are_stored(seeded: tuple[Path, float]) -> None:
    assert [int(row["n"]) for row in sql_rows(seeded[0], "SELECT count() AS n FROM articles")] == [5]


def test_only_the_two_translations_share_a_story(seeded: tuple[Path, float]) -> None:
    rows = sql_rows(seeded[0], "SELECT source, story_id FROM articles")
    story_of = {row["source"][:3]: row["story_id"] for row in rows}
    assert story_of["000"] == story_of["003"]
    others = [story_of[n] for n in ("000", "001", "002", "004")]
    assert len(set(others)) == 4


def test_the_troop_figure_of_eleven_thousand_is_found(seeded: tuple[Path, float]) -> None:
    rows = sql_rows(seeded[0], "SELECT DISTINCT substring(a.source, 1, 3) AS seed FROM figures AS f "
                               "INNER JOIN articles AS a USING (article_id) WHERE f.value = 11000")
    assert {"000", "003", "004"} <= {row["seed"] for row in rows}


def test_alerts_fired(seeded: tuple[Path, float]) -> None:
    assert int(sql_rows(seeded[0], "SELECT count() AS n FROM alerts")[0]["n"]) >= 1


def test_the_alerts_follow_publication_order(seeded: tuple[Path, float]) -> None:
    rows = sql_rows(seeded[0], "SELECT category, force, location, status, value, previous_value, kind, "
                               "substring(source, 1, 3) AS seed FROM alert_chain")
    got = {(f"{r['category']}/{r['force']}/{r['location']}", r["status"], int(r["value"]),
            None if r["previous_value"] is None else int(r["previous_value"]), r["seed"]) for r in rows}
    assert got == SEED_CHAIN and {r["kind"] for r in rows} == {"alert"}


def test_second_run_adds_no_rows(seeded: tuple[Path, float]) -> None:
    before = sql_rows(seeded[0], COUNTS_SQL)
    done = tallywire(seeded[0], "run", "--seeds", "seeds/", "--until-idle")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ingested 0 new articles (5 already seen" in done.stdout
    assert sql_rows(seeded[0], COUNTS_SQL) == before


def test_sql_answers_while_the_pipeline_runs(seeded: tuple[Path, float]) -> None:
    running = start_tallywire(seeded[0], "run")
    try:
        wait_for_queries(running, seeded[0])
        rows = sql_rows(seeded[0], "SELECT count() AS n FROM articles")
        assert int(rows[0]["n"]) == 5
        # A query through the running pipeline leaves its sink able to write.
        more = seeded[0].parent / "more"
        more.mkdir(exist_ok=True)
        (more / "extra.txt").write_text("Rund 2.000 ukrainische Soldaten wurden in Sumy verlegt, sagte ein Sprecher.\n")
        assert tallywire(seeded[0], "ingest", str(more)).returncode == 0
        deadline = time.monotonic() + 60
        while int(sql_rows(seeded[0], "SELECT count() AS n FROM articles")[0]["n"]) < 6:
            assert time.monotonic() < deadline, running.output
            time.sleep(0.5)
    finally:
        code = running.stop()
    assert code == INTERRUPTED, running.output


def test_a_bad_query_prints_clickhouses_error(seeded: tuple[Path, float]) -> None:
    done = tallywire(seeded[0], "sql", "SELECT nonsense FROM no_such_table")
    assert done.returncode != 0
    assert "no_such_table" in done.stderr and "UNKNOWN_TABLE" in done.stderr


def test_sql_refuses_writes(seeded: tuple[Path, float]) -> None:
    done = tallywire(seeded[0], "sql", "INSERT INTO dead_letters (letter_id) VALUES ('x')")
    assert done.returncode != 0
    assert "only read-only queries" in done.stderr


def test_the_figure_timeline_answers_from_the_seed_run(seeded: tuple[Path, float]) -> None:
    done = tallywire(seeded[0], "query", "figure-timeline", "--category", "troops", "--force", "north_korea",
                     "--location", "Kursk", "--format", "JSONEachRow")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(row["value"], row["status"]) for row in rows] == [
        (3000, "reported"), (12000, "expected"), (8000, "reported"), (10000, "possible"), (11000, "reported"),
    ]
    assert (int(rows[-1]["stories"]), int(rows[-1]["outlets"])) == (2, 3)


def dashboard_queries() -> list[tuple[str, str]]:
    """(panel title, SQL) of every provisioned Grafana panel, with its macros and variables filled in."""
    import re

    from tests.conftest import REPO

    found = []
    for path in sorted((REPO / "deploy" / "grafana" / "dashboards").glob("*.json")):
        dashboard = json.loads(path.read_text())
        defaults = {v["name"]: v["current"]["value"] for v in dashboard["templating"]["list"]}
        for panel in dashboard["panels"]:
            for target in panel["targets"]:
                sql = re.sub(r"\$__timeFilter\((\w+)\)", r"\1 >= toDateTime64('2000-01-01', 3)", target["rawSql"])
                sql = re.sub(r"\$\{(\w+)\}", lambda m: defaults[m.group(1)], sql)
                found.append((panel["title"], sql))
    return found


def test_every_grafana_panel_query_runs_and_the_figure_panels_have_rows(seeded: tuple[Path, float]) -> None:
    queries = dashboard_queries()
    assert len(queries) >= 6
    for title, sql in queries:
        rows = sql_rows(seeded[0], sql)
        if "igure" in title or "Latest" in title or "series" in title:
            assert rows, title
