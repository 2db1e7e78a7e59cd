"""An undated article is stored with published_at NULL and ordered by its fetch time, a partial one with its
flag; migration 005 turns the rows stored before it (the fetch time as publication time) into NULL, and runs
again harmlessly."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sinks.clickhouse_client import ClickHouse
from sinks.clickhouse_sink import ClickHouseSink
from sinks.migrations import apply_migrations, migration_files, statements
from tallywire.core.topics import ARTICLES, Article

FETCHED = datetime(2024, 11, 20, 8, 0, tzinfo=timezone.utc)
PUBLISHED = datetime(2024, 11, 5, 9, 0, tzinfo=timezone.utc)
# What chDB hands back for a DateTime64 in UTC: the same instant, naive.
FETCHED_READ, PUBLISHED_READ = FETCHED.replace(tzinfo=None), PUBLISHED.replace(tzinfo=None)


def article(article_id: str, story_id: str, published_at: datetime | None, source: str = "",
            partial: bool = False) -> Article:
    return Article(article_id=article_id, url=f"https://x.example/{article_id}", source="outlet", title=article_id,
                   text="...", story_id=story_id, event_id="e", fetched_at=FETCHED, published_at=published_at,
                   published_source=source, partial=partial)


def test_an_undated_article_keeps_null_and_is_ordered_by_its_fetch_time(tmp_path: Path) -> None:
    clickhouse = ClickHouse(f"chdb://{tmp_path / 'ch'}")
    try:
        apply_migrations(clickhouse)
        ClickHouseSink(clickhouse).write(ARTICLES, [article("dated", "s1", PUBLISHED, "jsonld"),
                                                    article("undated", "s2", None, partial=True)])
        rows = clickhouse.rows("SELECT article_id, published_at, published_source, partial FROM articles ORDER BY article_id")
        assert [tuple(r) for r in rows] == [("dated", PUBLISHED_READ, "jsonld", False), ("undated", None, "", True)]
        first = dict(clickhouse.rows("SELECT story_id, first_published FROM story_sizes"))
        assert first == {"s1": PUBLISHED_READ, "s2": FETCHED_READ}
        assert [tuple(r) for r in clickhouse.rows("SELECT first_published FROM event_sizes")] == [(PUBLISHED_READ,)]
    finally:
        clickhouse.close()


def test_migration_005_nulls_the_fetch_times_stored_as_publication_and_runs_again(tmp_path: Path) -> None:
    clickhouse = ClickHouse(f"chdb://{tmp_path / 'ch'}")
    try:
        for version, _, sql in migration_files():
            if version < 5:
                for statement in statements(sql):
                    clickhouse.command(statement)
        columns = ("article_id", "url", "source", "title", "author", "text", "lang", "duplicate_of", "story_id",
                   "event_id", "story_similarity", "event_similarity", "grouping_params", "published_at", "fetched_at")
        old = [["dated", "u", "o", "t", "", "x", "de", "", "s1", "e", 1.0, 1.0, "", PUBLISHED, FETCHED],
               ["undated", "u", "o", "t", "", "x", "de", "", "s2", "e", 1.0, 1.0, "", FETCHED, FETCHED]]
        clickhouse.insert("articles", old, columns)
        apply_migrations(clickhouse)
        query = "SELECT article_id, published_at, published_source, fetched_at, partial FROM articles ORDER BY article_id"
        expected = [("dated", PUBLISHED_READ, "", FETCHED_READ, False), ("undated", None, "", FETCHED_READ, False)]
        assert [tuple(r) for r in clickhouse.rows(query)] == expected
        # A crash before the migration was recorded runs its statements again: same table, same rows.
        (_, _, sql), = [m for m in migration_files() if m[0] == 5]
        for statement in statements(sql):
            clickhouse.command(statement)
        assert [tuple(r) for r in clickhouse.rows(query)] == expected
    finally:
        clickhouse.close()
