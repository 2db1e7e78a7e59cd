"""Feeds and alert-rule files are read into models that forbid unknown keys: an error is one line naming
the file, the entry and every field at fault, with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.feed_registry import load_feeds
from tallywire.core.alert_rules import load_rules
from tallywire.core.errors import ConfigError


def feeds_error(tmp_path: Path, text: str) -> ConfigError:
    registry = tmp_path / "feeds.yaml"
    registry.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_feeds(registry, 60)
    assert "\n" not in str(raised.value)
    return raised.value


def rules_error(tmp_path: Path, text: str) -> ConfigError:
    rules = tmp_path / "rules.yaml"
    rules.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_rules(rules)
    assert "\n" not in str(raised.value)
    return raised.value


@pytest.mark.parametrize(("entry", "told", "hint"), [
    ("{url: 'https://a.example/rss', name: a, language: de, colour: red}", "unknown keys ['colour']",
     "known keys: url, name, language, interval, options"),
    ("{name: a, language: de}", "lacks url", "each feed needs url, name and language"),
    ("{url: 'ftp://a.example/rss', name: a, language: de}", "url 'ftp://a.example/rss' is not an http(s) URL",
     "e.g. url: https://example.org/rss"),
    ("{url: 'https://a.example/rss', name: a, language: de, options: [1]}", "options [1] is invalid:", ""),
])
def test_a_bad_feed_names_the_file_the_entry_and_the_field(tmp_path: Path, entry: str, told: str, hint: str) -> None:
    error = feeds_error(tmp_path, f"- {{url: 'https://b.example/rss', name: first, language: en}}\n- {entry}\n")
    assert str(error).startswith(f"{tmp_path / 'feeds.yaml'}, feed 2 (a): {told}"), error
    assert error.hint.startswith(hint)


def test_every_fault_of_an_entry_is_told_in_one_line(tmp_path: Path) -> None:
    error = feeds_error(tmp_path, "- {name: a, language: de, interval: 0, colour: red}\n")
    assert str(error) == (f"{tmp_path / 'feeds.yaml'}, feed 1 (a): lacks url; unknown keys ['colour']; "
                          "interval 0 is not a positive number of seconds")


def test_a_feed_file_that_is_no_yaml_is_one_line_naming_it(tmp_path: Path) -> None:
    error = feeds_error(tmp_path, "- [a\n  b: :\n")
    assert str(error).startswith(f"cannot read the feed registry {tmp_path / 'feeds.yaml'}: ")


def test_a_feed_names_and_languages_are_text_and_options_are_kept(tmp_path: Path) -> None:
    registry = tmp_path / "feeds.yaml"
    registry.write_text("- {url: 'https://a.example/rss', name: 2024, language: de, options: {lang: x}}\n")
    [feed] = load_feeds(registry, 60)
    assert (feed.name, feed.interval_s, feed.options) == ("2024", 60, {"lang": "x"})


@pytest.mark.parametrize(("text", "told"), [
    ("watch: {colours: [red]}\n", "unknown keys ['watch.colours']"),
    ("watch: {min_confidence: 2}\n", "watch.min_confidence 2 is invalid: Input should be less than or equal to 1"),
    ("channels: [log, pager]\n", "channels.1 'pager' is invalid: Input should be 'log', 'webhook' or 'email'"),
    ("tolerance: some\n", "tolerance 'some' is invalid: Input should be a valid number"),
])
def test_bad_rules_name_the_file_and_the_field(tmp_path: Path, text: str, told: str) -> None:
    error = rules_error(tmp_path, text)
    assert str(error).startswith(f"alert rules {tmp_path / 'rules.yaml'}: {told}"), error


def test_an_empty_rules_file_or_watch_keeps_the_defaults(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    for text in ("", "watch:\n", "watch: {categories: []}\n"):
        rules.write_text(text)
        assert load_rules(rules, tolerance=0.05) == load_rules(None, tolerance=0.05)
