"""The feeds to poll, as data: a YAML list of mappings with url, name, language, interval and options.

    - name: tagesschau          # unique: the feed's state and its articles' source are keyed by it
      url: https://www.tagesschau.de/xml/rss2/
      language: de              # ISO 639-1 code of the feed's articles
      interval: 300             # optional: seconds between two polls (default: the poll_interval_s setting)
      options:                  # optional
        fetch_pages: false      # take the text from the feed entry, fetch no page (full-text feeds)
        max_entries: 20         # look at the first 20 entries of each poll only
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from tallywire.errors import ConfigError

_KEYS = ("url", "name", "language", "interval", "options")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
_HINT = "each feed is a mapping with url, name and language, optionally interval and options; see seeds/feeds.yaml"


@dataclass(frozen=True)
class FeedOptions:
    fetch_pages: bool = True
    max_entries: int | None = None


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    language: str
    interval_s: float
    options: FeedOptions = field(default_factory=FeedOptions)


def load_feeds(path: Path, default_interval_s: float) -> list[Feed]:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read the feed registry {path}: {exc}", hint=_HINT) from exc
    if not isinstance(entries, list):
        raise ConfigError(f"{path} must hold a list of feeds", hint=_HINT)
    feeds = [_feed(entry, f"{path}, feed {number}", default_interval_s) for number, entry in enumerate(entries, 1)]
    seen: set[str] = set()
    for feed in feeds:
        if feed.name in seen:
            raise ConfigError(f"{path}: the feed name {feed.name!r} is used twice", hint="feed names must be unique")
        seen.add(feed.name)
    return feeds


def _feed(entry: object, where: str, default_interval_s: float) -> Feed:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} is not a mapping", hint=_HINT)
    unknown = sorted(str(key) for key in entry if key not in _KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown keys {unknown}", hint=_HINT)
    missing = [key for key in ("url", "name", "language") if not entry.get(key)]
    if missing:
        raise ConfigError(f"{where} lacks {', '.join(missing)}", hint=_HINT)
    name, url, language = (str(entry[key]).strip() for key in ("name", "url", "language"))
    where = f"{where} ({name})"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: {url} is not an http(s) URL", hint=_HINT)
    if not _LANGUAGE.match(language):
        raise ConfigError(f"{where}: language {language!r} is not a two-letter code like de or en", hint=_HINT)
    return Feed(name, url, language, _interval(entry.get("interval", default_interval_s), where),
                _options(entry.get("options") or {}, where))


def _interval(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(f"{where}: interval {value!r} is not a positive number of seconds", hint=_HINT)
    return float(value)


def _options(options: object, where: str) -> FeedOptions:
    if not isinstance(options, dict):
        raise ConfigError(f"{where}: options must be a mapping", hint=_HINT)
    known = FeedOptions.__dataclass_fields__
    unknown = sorted(str(key) for key in options if key not in known)
    if unknown:
        raise ConfigError(f"{where}: unknown options {unknown}", hint=f"feed options are {', '.join(known)}")
    fetch_pages = options.get("fetch_pages", True)
    if not isinstance(fetch_pages, bool):
        raise ConfigError(f"{where}: fetch_pages must be true or false", hint=_HINT)
    max_entries = options.get("max_entries")
    if max_entries is not None and (type(max_entries) is not int or max_entries < 1):  # bool is an int, but no count
        raise ConfigError(f"{where}: max_entries must be a positive whole number", hint=_HINT)
    return FeedOptions(fetch_pages=fetch_pages, max_entries=max_entries)
