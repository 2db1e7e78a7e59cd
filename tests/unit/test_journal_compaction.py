"""The journal drops the handled articles older than the retention, and still knows them by id."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from ingest.article_journal import ArticleJournal
from tallywire.core.topics import RawArticle

NOW = datetime(2026, 12, 5, tzinfo=timezone.utc)


def _raw(n: int, days_ago: float) -> RawArticle:
    return RawArticle(article_id=f"a{n:03d}", url=f"u{n}", source="s", text=f"Text {n}.", lang="de",
                      fetched_at=NOW - timedelta(days=days_ago))


def test_the_old_handled_prefix_leaves_and_its_ids_stay_known(tmp_path: Path) -> None:
    path = tmp_path / "journal" / "raw-articles.jsonl"
    journal = ArticleJournal(path)
    for n in range(6):
        journal.append(_raw(n, 10))  # older than the retention
    for n in range(6, 8):
        journal.append(_raw(n, 1))
    handled = journal.end()
    journal.append(_raw(8, 20))  # old, but not handled yet: it stays
    start = journal.compact(handled, NOW - timedelta(days=7))
    assert [raw.article_id for raw in journal.replay()] == ["a006", "a007", "a008"]
    assert [raw.article_id for raw in journal.replay(start)] == ["a008"]
    journal.close()
    reopened = ArticleJournal(path)
    assert all(reopened.seen(f"a{n:03d}") for n in range(9)) and len(reopened) == 9
    assert (path.parent / "seen-ids").stat().st_mode & 0o777 == 0o600


def test_a_small_old_prefix_is_left_for_a_later_start(tmp_path: Path) -> None:
    journal = ArticleJournal(tmp_path / "raw-articles.jsonl")
    journal.append(_raw(0, 10))
    for n in range(1, 8):
        journal.append(_raw(n, 1))
    end = journal.end()
    assert journal.compact(end, NOW - timedelta(days=7)) == end
    assert len(list(journal.replay())) == 8
