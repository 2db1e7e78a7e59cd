"""Splits of labelled article pairs that keep every article on one side.

Pairs that share an article are not independent: a model that has seen one article's pairs in training
recognises it in the held-out pairs, and its held-out figures flatter it (SemEval's dev pairs reuse
articles; the test pairs do not). So the unit of every split here is a connected group of pairs:
two pairs that share an article, directly or through other pairs, always fall on the same side.
Everything is deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence


def article_groups(pair_articles: Sequence[Sequence[str]]) -> list[int]:
    """One group number per pair: the connected component of the graph whose nodes are article keys and
    whose edges are the pairs. A pair may name more than two keys (an id and a text hash, say), all of
    which join its group. Groups are numbered in the order of their first pair."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for keys in pair_articles:
        first = root(keys[0])
        for key in keys[1:]:
            other = root(key)
            if other != first:
                parent[other] = first
    numbers: dict[str, int] = {}
    return [numbers.setdefault(root(keys[0]), len(numbers)) for keys in pair_articles]


def untouched_part(groups: Sequence[int], strata: Sequence[str], share: float, seed: int) -> list[bool]:
    """Which pairs to set aside, whole groups at a time: stratum by stratum (in sorted order, one seeded
    generator for all), the stratum's groups in random order until at least ``share`` of its pairs."""
    members: dict[str, set[int]] = {}
    for group, stratum in zip(groups, strata, strict=True):
        members.setdefault(stratum, set()).add(group)
    sizes = Counter(groups)
    rng = random.Random(seed)
    taken: set[int] = set()
    for stratum in sorted(members):
        order = sorted(members[stratum])
        rng.shuffle(order)
        wanted = share * sum(1 for s in strata if s == stratum)
        filled = 0
        for group in order:
            if filled >= wanted:
                break
            taken.add(group)
            filled += sizes[group]
    return [g in taken for g in groups]


def grouped_folds(groups: Sequence[int], folds: int, seed: int) -> list[int]:
    """A fold number per pair: groups in a seeded random order, each into the fold with the fewest pairs
    so far (the lowest-numbered on ties), so that folds come out near equal in size."""
    sizes = Counter(groups)
    order = sorted(sizes)
    random.Random(seed).shuffle(order)
    filled = [0] * folds
    fold_of: dict[int, int] = {}
    for group in order:
        fold = filled.index(min(filled))
        fold_of[group] = fold
        filled[fold] += sizes[group]
    return [fold_of[g] for g in groups]
