"""The feeds to poll, as data: a YAML list of mappings with url, name, language, interval, options."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from tallywire.errors import ConfigError


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    language: str
    interval_s: float
    options: dict = field(default_factory=dict, hash=False, compare=False)


def load_feeds(path: Path, default_interval_s: float) -> list[Feed]:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the feed registry {path}: {exc}", hint="see seeds/feeds.yaml") from exc
    if not isinstance(entries, list):
        raise ConfigError(f"{path} must hold a list of feeds", hint="see seeds/feeds.yaml")
    feeds = [_feed(entry, number, path, default_interval_s) for number, entry in enumerate(entries, 1)]
    names = [feed.name for feed in feeds]
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: feed names must be unique")
    return feeds


def _feed(entry: object, number: int, path: Path, default_interval_s: float) -> Feed:
    where = f"{path}, feed {number}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} is not a mapping", hint="each feed needs url, name and language")
    missing = [key for key in ("url", "name", "language") if not entry.get(key)]
    if missing:
        raise ConfigError(f"{where} lacks {', '.join(missing)}", hint="each feed needs url, name and language")
    if urlsplit(str(entry["url"])).scheme not in ("http", "https"):
        raise ConfigError(f"{where}: {entry['url']} is not an http(s) URL")
    interval = _interval(entry.get("interval", default_interval_s))
    if interval is None:
        raise ConfigError(f"{where} ({entry['name']}): interval {entry['interval']!r} is not a positive number of seconds",
                          hint="e.g. interval: 300, or leave it out for TALLYWIRE_POLL_INTERVAL_S")
    known = {"url", "name", "language", "interval", "options"}
    unknown = set(entry) - known
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}", hint=f"a feed has {', '.join(sorted(known))}")
    return Feed(str(entry["name"]), str(entry["url"]), str(entry["language"]), interval, dict(entry.get("options") or {}))


def _interval(value: Any) -> float | None:
    try:
        seconds = float(value)  # YAML gives a number, or text such as "five"
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None
