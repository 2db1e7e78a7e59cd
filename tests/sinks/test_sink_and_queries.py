"""The sink on chDB: replays add no rows to any table or view; the named queries answer analysts."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink
from sinks.migrations import apply_migrations
from sinks.queries import QUERIES, bound_sql
from sinks.query_session import formatted_result
from tallywire.core.settings import Settings
from tallywire.core.topics import ARTICLES, FIGURES, Article, Figure, stable_id

DAY = {"002": 29, "001": 32, "000": 38, "003": 38, "004": 42}  # days after 30 Sep 2024
# (seed, value, status, force, location) as gold.json states them
GOLD = [
    ("002", 3000, "reported", "north_korea", "Kursk"), ("002", 12000, "expected", "north_korea", "Kursk"),
    ("001", 10000, "reported", "north_korea", "Russia"), ("001", 8000, "reported", "north_korea", "Kursk"),
    ("000", 11000, "reported", "north_korea", "Kursk"), ("003", 11000, "reported", "north_korea", "Kursk"),
    ("004", 50000, "reported", "russia_incl_north_korea", "Kursk"), ("004", 11000, "reported", "north_korea", "Kursk"),
]


def published(seed: str) -> datetime:
    return datetime.fromordinal(datetime(2024, 9, 30).toordinal() + DAY[seed]).replace(tzinfo=timezone.utc)


def story(seed: str) -> str:
    return "story-000" if seed in ("000", "003") else f"story-{seed}"


def articles() -> list[Article]:
    return [
        Article(article_id=f"a{seed}", url=f"{seed}.txt", source=f"outlet-{seed}", text="...", story_id=story(seed),
                event_id="event-1", fetched_at=published(seed), published_at=published(seed))
        for seed in DAY
    ]


def figures() -> list[Figure]:
    return [
        Figure(figure_id=stable_id(seed, value, status), article_id=f"a{seed}", story_id=story(seed),
               source=f"outlet-{seed}", published_at=published(seed), value=value, value_low=value, value_high=value,
               status=status, category="troops", force=force, location=location)
        for seed, value, status, force, location in GOLD
    ]


@pytest.fixture
def clickhouse(tmp_path: Path):  # noqa: ANN201
    client = ClickHouse(f"chdb://{tmp_path / 'ch'}")
    apply_migrations(client)
    yield client
    client.close()


def counts(clickhouse: ClickHouse) -> dict[str, int]:
    sql = {
        "articles": "SELECT count() FROM articles",
        "figures": "SELECT count() FROM figures",
        "series": "SELECT sum(figures) FROM figure_series_daily",
        "stories": "SELECT sum(articles) FROM story_sizes",
        "latest": "SELECT sum(stories) FROM latest_figures",
    }
    return {name: int(clickhouse.rows(query)[0][0]) for name, query in sql.items()}


def test_a_replayed_batch_adds_nothing_to_tables_or_views(clickhouse: ClickHouse) -> None:
    sink = ClickHouseSink(clickhouse)
    assert len(sink.write(ARTICLES, articles())) == 5
    assert len(sink.write(FIGURES, figures())) == len(GOLD)
    once = counts(clickhouse)
    # Killed between insert and offset commit: the same batches arrive again, and again.
    for _ in range(2):
        assert sink.write(ARTICLES, articles()) == []
        assert sink.write(FIGURES, figures()) == []
    assert counts(clickhouse) == once
    assert once["articles"] == 5 and once["figures"] == len(GOLD)


def test_a_batch_holding_one_id_twice_stores_it_once(clickhouse: ClickHouse) -> None:
    sink = ClickHouseSink(clickhouse)
    doubled = articles()[:2] * 2
    assert len(sink.write(ARTICLES, doubled)) == 2
    assert counts(clickhouse)["articles"] == 2


def test_figure_timeline_gives_the_seed_values_in_publication_order(clickhouse: ClickHouse) -> None:
    sink = ClickHouseSink(clickhouse)
    sink.write(ARTICLES, articles())
    sink.write(FIGURES, figures())
    sql = bound_sql("figure-timeline", {"category": "troops", "force": "north_korea", "location": "Kursk"})
    rows = clickhouse.rows(sql)
    assert [(row[1], row[3]) for row in rows] == [(3000, "reported"), (12000, "expected"), (8000, "reported"), (11000, "reported")]
    eleven = rows[-1]
    assert (eleven[4], eleven[5]) == (2, 3)  # two stories, three outlets carried 11,000


def test_parameters_are_quoted_not_pasted(clickhouse: ClickHouse) -> None:
    sql = bound_sql("figure-timeline", {"category": "troops' OR 1=1 --", "force": "x", "location": "y"})
    assert clickhouse.rows(sql) == []


def test_every_named_query_runs(clickhouse: ClickHouse) -> None:
    ClickHouseSink(clickhouse).write(FIGURES, figures())
    settings = Settings(clickhouse_dsn=clickhouse.dsn)
    for name in QUERIES:
        values = {"category": "troops", "force": "north_korea", "location": "Kursk"}
        assert formatted_result(settings, bound_sql(name, values), "JSONEachRow") is not None


def test_alerts_learn_how_many_outlets_carry_their_story(clickhouse: ClickHouse) -> None:
    from sinks.clickhouse_sink import with_story_outlets
    from tallywire.core.topics import Alert

    ClickHouseSink(clickhouse).write(ARTICLES, articles())
    alert = Alert(alert_id="x", category="troops", force="north_korea", location="Kursk", value=11000,
                  figure_id="f", article_id="a000", story_id="story-000", created_at=published("000"))
    [enriched] = with_story_outlets(clickhouse, [alert])
    assert enriched.outlets == 2  # 000 and 003, two outlets of one story
