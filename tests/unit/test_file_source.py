"""Local files as raw articles: ids from content, manifest dates, dead letters for unreadable files."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from ingest.file_source import read_articles
from tallywire.topics import DeadLetter, RawArticle
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
