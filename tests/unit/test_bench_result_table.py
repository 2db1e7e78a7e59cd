"""The benchmark's rows: a ratio only beside a baseline, a goal on the value or the ratio, both renderings."""

from __future__ import annotations

import json

from bench.result_table import BenchRun, Goal, Row, to_json, to_markdown


def test_a_ratio_needs_a_baseline() -> None:
    assert Row("a", 5.0, "x/s").ratio is None
    assert Row("a", 5.0, "x/s", 10.0, "b").ratio == 0.5
    assert Row("a", None, "x/s", 10.0, "b").ratio is None


def test_a_goal_on_the_ratio_reads_the_ratio() -> None:
    goal = Goal(0.8, "at_least", "ratio")
    assert Row("a", 9.0, "x/s", 10.0, "b", goal).met is True
    assert Row("a", 7.0, "x/s", 10.0, "b", goal).met is False
    assert Row("a", 7.0, "x/s", goal=goal).met is None  # no baseline: not decided


def test_a_goal_on_the_value_reads_the_value() -> None:
    assert Row("p95", 1.9, "s", goal=Goal(2.0, "at_most", "value")).met is True
    assert Row("p95", 2.1, "s", goal=Goal(2.0, "at_most", "value")).met is False
    assert Row("p95", 2.1, "s").met is None


def test_json_and_markdown_carry_every_row() -> None:
    run = BenchRun("quick", [Row("first row", 3.0, "x/s", 4.0, "base", Goal(1, "at_most", "ratio")),
                             Row("second row", 12_345.0, "rows/s")])
    data = json.loads(to_json(run))
    assert [(r["name"], r["ratio"], r["met"]) for r in data["rows"]] == [("first row", 0.75, True), ("second row", None, None)]
    table = to_markdown(run)
    assert "| first row | 3 x/s | 4 (base) | 0.75 | ratio ≤ 1 | yes |" in table
    assert "| second row | 12,345 rows/s | — | — | — | — |" in table
