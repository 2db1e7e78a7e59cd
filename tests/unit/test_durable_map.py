"""The data directory's durable mapping, and the grouping kept in it across a restart."""

from __future__ import annotations

from pathlib import Path

from tallywire.testkit.synthetic_news import synthetic_articles
from processors.story_grouping import StoryGrouper
from tallywire.runtime.durable_map import DurableMap


def test_entries_come_back_in_the_order_written_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "state" / "map.sqlite"
    first = DurableMap(path)
    for key in ("c", "a", "b"):
        first[key] = key.encode()
    del first["a"]
    first.close()
    again = DurableMap(path)
    assert list(again) == ["c", "b"]
    assert again["b"] == b"b" and again.get("a") is None and len(again) == 2
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_restarted_grouper_gives_a_replayed_article_its_first_grouping(tmp_path: Path) -> None:
    path = tmp_path / "story-records.sqlite"
    articles = list(synthetic_articles(12, seed=3, copy_share=0.5))
    first = StoryGrouper(DurableMap(path))
    groupings = {a.name: first.assign(a.name, a.text, a.lang, a.published_at) for a in articles}
    assert len({g.story_id for g in groupings.values()}) < len(articles)
    restarted = StoryGrouper(DurableMap(path))
    # In reverse: regrouped, the last articles would found the stories.
    for article in reversed(articles):
        assert restarted.assign(article.name, article.text, article.lang, article.published_at) == groupings[article.name]
    # The same index, but for the clock: the first article newer than any stored sets it again.
    assert restarted.index == {key: value for key, value in first.index.items() if key != "m:newest"}


def test_writes_by_another_process_are_told_apart_from_ones_own(tmp_path: Path) -> None:
    """What a worker asks on an assignment: rebuild its index only when another one wrote meanwhile."""
    path = tmp_path / "map.sqlite"
    mine, theirs = DurableMap(path), DurableMap(path)
    mine["a"] = b"1"
    del mine["a"]
    assert not mine.written_elsewhere()
    theirs["b"] = b"2"
    assert mine.written_elsewhere()
    assert not mine.written_elsewhere()  # told once
    assert theirs.written_elsewhere()  # mine wrote "a"
    assert not theirs.written_elsewhere()
    mine["c"] = b"3"
    assert theirs.written_elsewhere()
