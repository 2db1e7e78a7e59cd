"""The article journal (seen-state and replay source) and the drain ledger."""

from __future__ import annotations

from pathlib import Path

from ingest.article_journal import ArticleJournal
from tallywire.progress import Progress
from tests.unit.test_topics import raw


def test_the_journal_remembers_across_restarts_and_replays_in_order(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal = ArticleJournal(path)
    assert journal.append(raw(article_id="b")) and journal.append(raw(article_id="a"))
    assert not journal.append(raw(article_id="b"))
    reopened = ArticleJournal(path)
    assert reopened.seen("a") and reopened.seen("b") and not reopened.seen("c")
    assert [r.article_id for r in reopened.replay()] == ["b", "a"]


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    ArticleJournal(path).append(raw(article_id="a"))
    with path.open("ab") as out:
        out.write(b'{"schema_version": 1, "article_id": "tor')
    assert [r.article_id for r in ArticleJournal(path).replay()] == ["a"]


def test_drained_only_when_every_consumer_handled_everything() -> None:
    progress = Progress()
    progress.consumes("figures", "articles")
    progress.consumes("sink", "articles")
    assert progress.drained()
    progress.note_produced("articles", 2)
    progress.note_handled("figures", "articles", 2)
    assert not progress.drained()
    progress.note_handled("sink", "articles", 2)
    assert progress.drained()
