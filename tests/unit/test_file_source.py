"""Local files as raw articles: ids from content, manifest dates, dead letters for unreadable files."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from ingest.article_size import SizeLimits
from ingest.file_source import read_articles
from tallywire.core.topics import DeadLetter, RawArticle
from tests.conftest import REPO


def test_the_seed_folder_gives_five_dated_articles() -> None:
    articles = list(read_articles([REPO / "seeds"]))
    assert len(articles) == 5 and all(isinstance(a, RawArticle) for a in articles)
    dated = {a.source: a.published_at for a in articles}
    assert dated["002_9279d71c33d6ed19.txt"] == datetime(2024, 10, 29, tzinfo=timezone.utc)
    assert len({a.article_id for a in articles}) == 5
    assert all(a.lang == "de" for a in articles)


def test_the_same_text_under_another_name_is_the_same_article(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The army said 300 soldiers were moved.\n")
    (tmp_path / "b.txt").write_text("The army said 300 soldiers were moved.\n")
    first, second = read_articles([tmp_path])
    assert first.article_id == second.article_id
    assert first.lang == "en"


def test_an_undecodable_file_is_a_dead_letter_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00 not utf-8 \xc3")
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "manifest.json").write_text(json.dumps({"articles": {}}))
    results = list(read_articles([tmp_path]))
    assert all(isinstance(r, DeadLetter) for r in results) and len(results) == 2
    assert {r.stage for r in results} == {"file-source"}


def test_long_text_is_cut_with_the_cut_recorded_and_a_file_over_the_message_limit_is_a_dead_letter(
        tmp_path: Path) -> None:
    limits = SizeLimits(max_message_bytes=4000, max_article_chars=1000)
    long_text = "Die Armee meldet 300 Soldaten. " * 100  # 3,100 characters
    (tmp_path / "a_long.txt").write_text(long_text)
    (tmp_path / "b_big.txt").write_text("x" * 5000)
    cut, letter = read_articles([tmp_path], limits)
    assert isinstance(cut, RawArticle) and len(cut.text) == 1000 and cut.truncated_from == len(long_text.strip())
    assert isinstance(letter, DeadLetter) and letter.payload_bytes == 5000 and letter.payload == b"x" * 5000
    assert "text file of 5000 bytes exceeds the message limit of 4000 bytes" in letter.reason
