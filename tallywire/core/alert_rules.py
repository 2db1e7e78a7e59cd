"""Which figures are watched, when two values are one, and where alerts go: the rules
(``seeds/alert_rules.yaml``). ``alert_series.decide`` applies them in publication order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from tallywire.core.config_file import read_yaml, validated
from tallywire.core.errors import ConfigError
from tallywire.core.topics import Alert, Figure

Channel = Literal["log", "webhook", "email"]
CHANNELS: tuple[Channel, ...] = ("log", "webhook", "email")
RULES_HINT = "see seeds/alert_rules.yaml"


@dataclass(frozen=True)
class AlertRules:
    categories: frozenset[str] = frozenset({"troops"})
    forces: frozenset[str] = frozenset()  # empty: every force
    locations: frozenset[str] = frozenset()  # empty: every location
    statuses: frozenset[str] = frozenset({"reported", "expected"})
    # A series with neither force nor place ("troops / ? / ?") is no series an analyst can follow: a
    # figure read without its anchors is more often a misreading than news.
    anchored: bool = True
    min_confidence: float = 0.0
    tolerance: float = 0.02  # relative: "etwa 11.000" and "11.000" are one value
    min_change: float = 0.0  # relative change to the nearest known value needed to alert
    channels: tuple[str, ...] = field(default=CHANNELS)

    def watches(self, figure: Figure) -> bool:
        return (
            not figure.vague
            and figure.category in self.categories
            and (not self.forces or figure.force in self.forces)
            and (not self.locations or figure.location in self.locations)
            and figure.status in self.statuses
            and (not self.anchored or bool(figure.force or figure.location))
            and figure.confidence >= self.min_confidence
        )


def same_value(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


class WatchEntry(BaseModel):
    """``watch:`` of a rules file: which figures alert. An empty or absent list keeps the default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: list[str] | None = None
    forces: list[str] | None = None
    locations: list[str] | None = None
    statuses: list[str] | None = None
    anchored: bool = AlertRules.anchored
    min_confidence: float = Field(default=AlertRules.min_confidence, ge=0, le=1)


class RulesFile(BaseModel):
    """A rules file as written (see seeds/alert_rules.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    watch: WatchEntry | None = None
    tolerance: float | None = Field(default=None, ge=0)  # None: the TALLYWIRE_ALERT_TOLERANCE setting
    min_change: float = Field(default=0.0, ge=0)
    channels: list[Channel] = list(CHANNELS)


def load_rules(path: Path | None, tolerance: float = 0.02) -> AlertRules:
    """Rules from a YAML file (see seeds/alert_rules.yaml); the default rules when ``path`` is None."""
    if path is None:
        return AlertRules(tolerance=tolerance)
    data = read_yaml(path, "alert rules", RULES_HINT)
    if data is not None and not isinstance(data, dict):
        raise ConfigError(f"alert rules {path} must be a mapping", hint=RULES_HINT)
    rules = validated(RulesFile, data or {}, f"alert rules {path}", RULES_HINT)
    watch = rules.watch or WatchEntry()
    return AlertRules(
        categories=frozenset(watch.categories or AlertRules.categories),
        forces=frozenset(watch.forces or ()),
        locations=frozenset(watch.locations or ()),
        statuses=frozenset(watch.statuses or AlertRules.statuses),
        anchored=watch.anchored,
        min_confidence=watch.min_confidence,
        tolerance=tolerance if rules.tolerance is None else rules.tolerance,
        min_change=rules.min_change,
        channels=tuple(rules.channels),
    )


def summary(alert: Alert) -> str:
    """One line a person reads first: what changed, to what, who says so, where it was reported."""
    change = ""
    if alert.previous_value is not None and alert.change is not None:
        change = f", before {alert.previous_value:,.0f} ({alert.change:+,.0f})"
    said = f", said by {alert.attribution}" if alert.attribution else ""
    return (
        f"{alert.category} / {alert.force or '?'} / {alert.location or '?'}: {alert.value:,.0f} "
        f"({alert.status}, {alert.qualifier}){change}{said}; first in {alert.source} {alert.url}"
    )
