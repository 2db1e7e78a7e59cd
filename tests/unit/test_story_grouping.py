"""Copies, stories and events on the seeds: any arrival order, replays, copies, the time window, the store."""

from __future__ import annotations

import itertools
import json
import random
import struct
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from processors.article_features import ArticleFeatures, article_features
from processors.story_grouping import GroupingParams, StoryGrouper, decode_record

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "seeds"
ORDERS = [list("01234"), list("34012"), list("10432"), list("42130"), list("30241")]
SEED_STORIES = frozenset({frozenset("03"), frozenset("1"), frozenset("2"), frozenset("4")})


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {p.name[2]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="module")
def dated_seeds(seeds: dict[str, str]) -> dict[str, ArticleFeatures]:
    """The seeds' features, published on the days the seed run gives them (seeds/manifest.json)."""
    manifest = json.loads((REPO / "seeds" / "manifest.json").read_text(encoding="utf-8"))["articles"]
    published = {name[2]: datetime.fromisoformat(meta["published"]).replace(tzinfo=timezone.utc)
                 for name, meta in manifest.items()}
    return {n: article_features(n, text, "de", published[n]) for n, text in seeds.items()}


def _stories(seeds: dict[str, str], order: list[str]) -> dict[str, str]:
    grouper = StoryGrouper()
    return {n: grouper.assign(n, seeds[n], "de").story_id for n in order}


def _partition(groups: dict[str, str]) -> frozenset[frozenset[str]]:
    members: dict[str, set[str]] = {}
    for name, group in groups.items():
        members.setdefault(group, set()).add(name)
    return frozenset(frozenset(m) for m in members.values())


@pytest.mark.parametrize("order", ORDERS, ids=["".join(o) for o in ORDERS])
def test_only_the_two_translations_share_a_story_in_any_order(seeds: dict[str, str], order: list[str]) -> None:
    story = _stories(seeds, order)
    assert story["0"] == story["3"] == min(("0", "3"), key=order.index)  # the first article names the story
    assert len({story[n] for n in "0124"}) == 4


def test_the_partition_into_stories_does_not_depend_on_arrival_order(seeds: dict[str, str]) -> None:
    orders = random.Random(5).sample(list(itertools.permutations("01234")), 8)
    assert {_partition(_stories(seeds, list(order))) for order in orders} == {SEED_STORIES}


def test_the_dated_seeds_form_one_event_in_every_arrival_order(dated_seeds: dict[str, ArticleFeatures]) -> None:
    published = [f.published_at for f in dated_seeds.values()]
    # The seed run's dates span 13 days, more than the window: what the grace is for.
    assert max(published) - min(published) > timedelta(days=GroupingParams().window_days)
    split = []
    for order in itertools.permutations("01234"):
        grouper = StoryGrouper()
        grouping = {n: grouper.assign_features(dated_seeds[n]) for n in order}
        if len({g.event_id for g in grouping.values()}) != 1 or _partition(
                {n: g.story_id for n, g in grouping.items()}) != SEED_STORIES:
            split.append("".join(order))
    assert split == []


def test_a_republished_copy_with_small_edits_is_a_duplicate_of_the_original(seeds: dict[str, str]) -> None:
    grouper = StoryGrouper()
    grouper.assign("original", seeds["1"], "de")
    words = seeds["1"].split(" ")
    words[10] = "ebenfalls"
    words[40] = "laut"
    copy = "Von unserem Korrespondenten\n" + " ".join(words) + "\n(dpa)"
    grouping = grouper.assign("copy", copy, "de")
    assert (grouping.duplicate_of, grouping.story_id, grouping.event_id) == ("original", "original", "original")
    assert grouper.assign("copy of copy", copy, "de").duplicate_of == "original"


def test_an_article_is_a_duplicate_of_itself_under_another_id(seeds: dict[str, str]) -> None:
    grouper = StoryGrouper()
    for name, text in seeds.items():
        grouper.assign(name, text, "de")
    for name, text in seeds.items():
        assert grouper.assign(f"again-{name}", text, "de").duplicate_of == name


def test_a_replayed_article_keeps_its_grouping(seeds: dict[str, str]) -> None:
    grouper = StoryGrouper()
    first = grouper.assign("a", seeds["0"], "de")
    grouper.assign("b", seeds["3"], "de")
    assert grouper.assign("a", seeds["0"], "de") == first


def test_articles_older_than_the_window_and_the_grace_leave_the_store(seeds: dict[str, str]) -> None:
    store: dict[str, bytes] = {}
    grouper = StoryGrouper(store, GroupingParams(window_days=7, grace_days=2))
    start = datetime(2024, 11, 7, 12, tzinfo=timezone.utc)
    grouper.assign("old", seeds["0"], "de", start)
    inside = grouper.assign("inside", seeds["3"], "de", start + timedelta(days=6))
    assert inside.story_id == "old"
    late = grouper.assign("late", seeds["3"] + " Nachtrag.", "de", start + timedelta(days=10))
    # "old" has gone; "inside" is still there, and carries the story on under its first article's id.
    assert (late.duplicate_of, late.story_id) == ("inside", "old")
    assert "old" not in store and "inside" in store
    assert not any(b"old" in value.split(b"\n") for value in grouper.index.values())


def test_an_article_up_to_the_grace_late_still_meets_its_window(seeds: dict[str, str]) -> None:
    start = datetime(2024, 11, 7, 12, tzinfo=timezone.utc)
    for grace, story in ((3, "old"), (0, "late")):
        grouper = StoryGrouper(params=GroupingParams(window_days=7, grace_days=grace))
        grouper.assign("old", seeds["0"], "de", start)
        grouper.assign("newer", seeds["1"], "de", start + timedelta(days=10))
        # Published 7 days after "old" but 3 days behind "newer": only the grace kept "old" for it.
        assert grouper.assign("late", seeds["3"], "de", start + timedelta(days=7)).story_id == story, grace


def test_the_store_holds_small_bytes_under_string_keys(seeds: dict[str, str]) -> None:
    store: dict[str, bytes] = {}
    grouper = StoryGrouper(store)
    for name, text in seeds.items():
        grouper.assign(name, text, "de")
    assert all(isinstance(k, str) and isinstance(v, bytes) for k, v in store.items())
    records = [decode_record(store[n]) for n in seeds]
    assert all(len(store[r.features.article_id]) <= 20_000 for r in records)
    assert all(len(r.features.sentences) <= 32 for r in records)
    # A second grouper on the same records (a restarted worker) carries on where the first stopped.
    assert StoryGrouper(store).assign("0", seeds["0"], "de") == grouper.assign("0", seeds["0"], "de")


def test_describe_is_short_json_with_the_version() -> None:
    described = GroupingParams().describe()
    assert len(described) < 400 and '"version"' in described


def test_features_travel_as_bytes_and_assign_is_features_then_store(seeds: dict[str, str]) -> None:
    published = datetime(2024, 11, 7, 12, tzinfo=timezone.utc)
    features = article_features("0", seeds["0"], "de", published)
    again = ArticleFeatures.from_bytes(features.to_bytes())
    assert (again.article_id, again.lang, again.published_at, again.numbers, again.names, again.places) == (
        "0", "de", published, features.numbers, features.names, features.places)
    assert features.places  # the seeds report from named places
    assert (again.minhash == features.minhash).all() and (again.document == features.document).all()
    assert (again.sentences == features.sentences).all()
    assert "11000" in features.numbers  # "11.000 nordkoreanische Soldaten"
    assert len(features.to_bytes()) <= 20_000
    split, whole = StoryGrouper(), StoryGrouper()
    for name in "0314":
        from_bytes = ArticleFeatures.from_bytes(article_features(name, seeds[name], "de", published).to_bytes())
        assert split.assign_features(from_bytes) == whole.assign(name, seeds[name], "de", published)
    assert (split.records, split.index) == (whole.records, whole.index)


def test_features_stored_before_places_were_kept_still_decode(seeds: dict[str, str]) -> None:
    features = article_features("0", seeds["0"], "de")
    raw = features.to_bytes()
    (length,) = struct.unpack_from(">I", raw)
    header = json.loads(raw[4 : 4 + length])
    old_header = json.dumps(header[:5], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    old = ArticleFeatures.from_bytes(struct.pack(">I", len(old_header)) + old_header + raw[4 + length :])
    assert old.places == () and old.names == features.names and (old.sentences == features.sentences).all()


def test_the_index_rebuilt_from_the_records_is_the_one_built_article_by_article(seeds: dict[str, str]) -> None:
    records: dict[str, bytes] = {}
    grouper = StoryGrouper(records)
    start = datetime(2024, 11, 7, 12, tzinfo=timezone.utc)
    for day, (name, text) in enumerate(seeds.items()):
        grouper.assign(name, text, "de", start + timedelta(days=day))
    built = dict(grouper.index)
    # The clock is the one thing not derived: the next dated article sets it again.
    del built["m:newest"]
    assert StoryGrouper(dict(records)).index == built
