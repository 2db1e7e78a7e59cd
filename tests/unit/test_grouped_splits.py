"""Grouped splits: pairs that share an article never fall on two sides."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from processors.grouped_splits import article_groups, grouped_folds, untouched_part

pair_lists = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=60).map(
    lambda pairs: [(f"a{x}", f"a{y}") for x, y in pairs]
)


def test_pairs_that_share_an_article_directly_or_through_others_are_one_group() -> None:
    groups = article_groups([("a", "b"), ("c", "d"), ("b", "e"), ("e", "f", "id:7"), ("x", "id:7"), ("y", "z")])
    assert groups == [0, 1, 0, 0, 0, 2]


@given(pair_lists, st.integers(2, 6), st.integers(0, 10_000))
@settings(max_examples=60, deadline=None)
def test_no_article_is_in_two_folds_and_folds_are_near_equal(pairs: list[tuple[str, str]], folds: int, seed: int) -> None:
    groups = article_groups(pairs)
    fold_of = grouped_folds(groups, folds, seed)
    fold_of_article: dict[str, int] = {}
    for (a, b), fold in zip(pairs, fold_of, strict=True):
        assert fold_of_article.setdefault(a, fold) == fold
        assert fold_of_article.setdefault(b, fold) == fold
    assert fold_of == grouped_folds(groups, folds, seed)
    sizes = Counter(fold_of)
    largest_group = max(Counter(groups).values())
    assert max(sizes.values()) - min(sizes.get(f, 0) for f in range(folds)) <= largest_group


def test_other_seeds_give_other_folds() -> None:
    groups = list(range(40))
    assert grouped_folds(groups, 5, 1) != grouped_folds(groups, 5, 2)


@given(pair_lists, st.integers(0, 10_000))
@settings(max_examples=60, deadline=None)
def test_the_untouched_part_takes_whole_groups_and_its_share_of_each_stratum(pairs: list[tuple[str, str]], seed: int) -> None:
    groups = article_groups(pairs)
    strata = ["de" if g % 3 else "other" for g in groups]
    aside = untouched_part(groups, strata, 0.2, seed)
    assert aside == untouched_part(groups, strata, 0.2, seed)
    for group in set(groups):
        assert len({a for a, g in zip(aside, groups, strict=True) if g == group}) == 1
    largest_group = max(Counter(groups).values())
    for stratum in set(strata):
        total = strata.count(stratum)
        taken = sum(1 for a, s in zip(aside, strata, strict=True) if a and s == stratum)
        assert 0.2 * total <= taken < 0.2 * total + largest_group
