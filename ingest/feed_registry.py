"""The feeds to poll, as data: a YAML list of mappings with url, name, language, interval, options."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tallywire.core.config_file import read_yaml, rule, validated
from tallywire.core.errors import ConfigError

HINT = "see seeds/feeds.yaml"
ENTRY_HINT = "each feed needs url, name and language"
FIELD_HINTS = {
    "interval": "e.g. interval: 300, or leave it out for TALLYWIRE_POLL_INTERVAL_S",
    "url": "e.g. url: https://example.org/rss",
}


@dataclass(frozen=True)
class Feed:
    name: str
    url: str
    language: str
    interval_s: float
    options: dict = field(default_factory=dict, hash=False, compare=False)


class FeedEntry(BaseModel):
    """One feed as the registry file states it."""

    # YAML reads "name: 2024" as a number; a name or language is text whatever it looks like.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    url: str = Field(min_length=1)
    name: str = Field(min_length=1)
    language: str = Field(min_length=1)
    interval: float | None = None  # seconds; None: the default interval
    options: dict[str, Any] | None = None

    @field_validator("url")
    @classmethod
    def _http(cls, url: str) -> str:
        if urlsplit(url).scheme not in ("http", "https"):
            raise rule("is not an http(s) URL")
        return url

    @field_validator("interval", mode="before")
    @classmethod
    def _positive_seconds(cls, value: Any) -> float:
        try:
            seconds = float(value)  # whatever YAML gave: a number, or text such as "five"
        except (TypeError, ValueError):
            raise rule("is not a positive number of seconds") from None
        if not 0 < seconds < float("inf"):
            raise rule("is not a positive number of seconds")
        return seconds


def load_feeds(path: Path, default_interval_s: float) -> list[Feed]:
    entries = read_yaml(path, "the feed registry", HINT) or []
    if not isinstance(entries, list):
        raise ConfigError(f"{path} must hold a list of feeds", hint=HINT)
    feeds = [_feed(entry, number, path, default_interval_s) for number, entry in enumerate(entries, 1)]
    names = [feed.name for feed in feeds]
    if len(set(names)) != len(names):
        raise ConfigError(f"{path}: feed names must be unique")
    return feeds


def _feed(entry: object, number: int, path: Path, default_interval_s: float) -> Feed:
    where = f"{path}, feed {number}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where} is not a mapping", hint=ENTRY_HINT)
    if entry.get("name"):
        where += f" ({entry['name']})"
    feed = validated(FeedEntry, entry, where, ENTRY_HINT, FIELD_HINTS)
    interval = default_interval_s if feed.interval is None else feed.interval
    return Feed(feed.name, feed.url, feed.language, interval, dict(feed.options or {}))
