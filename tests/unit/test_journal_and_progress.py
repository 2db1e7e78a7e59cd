"""The article journal (seen-state and replay source) and the drain ledger."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.article_journal import ArticleJournal, frame
from tallywire.core.progress import Progress
from tests.unit.test_topics import raw


def test_the_journal_remembers_across_restarts_and_replays_in_order(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal = ArticleJournal(path)
    assert journal.append(raw(article_id="b")) and journal.append(raw(article_id="a"))
    assert not journal.append(raw(article_id="b"))
    reopened = ArticleJournal(path)
    assert reopened.seen("a") and reopened.seen("b") and not reopened.seen("c")
    assert [r.article_id for r in reopened.replay()] == ["b", "a"]


def _records(path: Path, count: int) -> list[int]:
    """Journal ``count`` articles of different lengths; the offset where each record ends."""
    journal = ArticleJournal(path)
    ends = []
    for n in range(count):
        journal.append(raw(article_id=f"a{n}", text="Rund 11.000 Soldaten. " * (n * 7 % 5 + 1)))
        ends.append(path.stat().st_size)
    journal.close()
    return ends


def _torn_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.torn-*"))


def test_a_crash_mid_write_loses_only_the_torn_record_not_the_next_one(tmp_path: Path, caplog) -> None:
    """The issue's case: ``truncate -s -150`` on the journal, then one more article, then a restart."""
    path = tmp_path / "journal.jsonl"
    ends = _records(path, 5)
    torn = path.read_bytes()[ends[3]:ends[4] - 150]
    os.truncate(path, ends[4] - 150)
    journal = ArticleJournal(path)
    assert journal.append(raw(article_id="next"))
    journal.close()
    assert [r.article_id for r in ArticleJournal(path).replay()] == ["a0", "a1", "a2", "a3", "next"]
    assert [kept.read_bytes() for kept in _torn_files(path)] == [torn]
    assert f"cut {len(torn)} bytes of a torn record at byte {ends[3]}" in caplog.text


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=2000), count=st.integers(min_value=1, max_value=6))
def test_any_cut_keeps_every_whole_record_and_the_next_append(cut: int, count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.jsonl"
        ends = _records(path, count)
        length = max(0, ends[-1] - cut)
        os.truncate(path, length)
        whole = [f"a{n}" for n, end in enumerate(ends) if end <= length]
        last_end = ends[len(whole) - 1] if whole else 0
        journal = ArticleJournal(path)
        journal.append(raw(article_id="next"))
        journal.close()
        assert [r.article_id for r in ArticleJournal(path).replay()] == [*whole, "next"]
        assert [len(kept.read_bytes()) for kept in _torn_files(path)] == ([length - last_end] if length > last_end else [])


def test_a_record_torn_by_another_writer_after_open_is_cut_before_the_next_append(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal = ArticleJournal(path)
    journal.append(raw(article_id="a"))
    with path.open("ab") as crashed_writer:
        crashed_writer.write(frame(raw(article_id="torn"))[:-40])
    journal.append(raw(article_id="b"))
    journal.close()
    assert [r.article_id for r in ArticleJournal(path).replay()] == ["a", "b"]
    assert len(_torn_files(path)) == 1


def test_a_damaged_record_inside_the_journal_is_reported_and_skipped_not_cut(tmp_path: Path, caplog) -> None:
    path = tmp_path / "journal.jsonl"
    ends = _records(path, 3)
    data = bytearray(path.read_bytes())
    data[ends[0] + 30] ^= 0x01  # one flipped bit in the second record's JSON
    path.write_bytes(bytes(data))
    assert [r.article_id for r in ArticleJournal(path).replay()] == ["a0", "a2"]
    assert f"the record at byte {ends[0]} is skipped: length or checksum does not match" in caplog.text
    assert path.stat().st_size == ends[2] and not _torn_files(path)


def test_a_journal_of_bare_json_lines_is_still_read_and_its_torn_line_cut(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_bytes(raw(article_id="a").to_bytes() + b"\n" + b'{"schema_version": 1, "article_id": "tor')
    journal = ArticleJournal(path)
    assert journal.seen("a") and journal.append(raw(article_id="b"))
    journal.close()
    assert [r.article_id for r in ArticleJournal(path).replay()] == ["a", "b"]
    assert path.read_bytes().startswith(b'{"article_id":"a"')  # the old line stays as it was
    assert [kept.read_bytes() for kept in _torn_files(path)] == [b'{"schema_version": 1, "article_id": "tor']


def test_fsync_every_record_by_default_or_at_most_once_per_interval(tmp_path: Path, monkeypatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    every = ArticleJournal(tmp_path / "every.jsonl")
    every.append(raw(article_id="a"))
    every.append(raw(article_id="b"))
    assert len(synced) == 2
    every.close()
    synced.clear()
    batched = ArticleJournal(tmp_path / "batched.jsonl", fsync_interval_ms=60_000)
    batched.append(raw(article_id="a"))
    batched.append(raw(article_id="b"))
    assert synced == []
    batched.close()
    assert len(synced) == 1


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


def test_the_journal_and_what_a_repair_keeps_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "journal" / "journal.jsonl"
    path.parent.mkdir(mode=0o755)
    path.write_bytes(raw(article_id="a").to_bytes() + b"\ntorn")  # an older journal, world-readable
    path.chmod(0o644)
    ArticleJournal(path).close()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [stat.S_IMODE(p.stat().st_mode) for p in (path, *_torn_files(path))] == [0o600, 0o600]
    fresh = tmp_path / "new" / "journal.jsonl"
    ArticleJournal(fresh).close()
    assert (stat.S_IMODE(fresh.parent.stat().st_mode), stat.S_IMODE(fresh.stat().st_mode)) == (0o700, 0o600)
