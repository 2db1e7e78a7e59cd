"""Which figures are watched, when two values are one, and where alerts go: the rules
(``seeds/alert_rules.yaml``). ``alert_series.decide`` applies them in publication order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tallywire.errors import ConfigError
from tallywire.topics import Alert, Figure

CHANNELS = ("log", "webhook", "email")


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


def load_rules(path: Path | None, tolerance: float = 0.02) -> AlertRules:
    """Rules from a YAML file (see seeds/alert_rules.yaml); the default rules when ``path`` is None."""
    if path is None:
        return AlertRules(tolerance=tolerance)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read alert rules {path}: {exc}", hint="see seeds/alert_rules.yaml") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"alert rules {path} must be a mapping", hint="see seeds/alert_rules.yaml")
    watch = data.get("watch") or {}
    unknown = set(data) - {"watch", "tolerance", "min_change", "channels"} | set(watch) - {
        "categories", "forces", "locations", "statuses", "anchored", "min_confidence"}
    if unknown:
        raise ConfigError(f"alert rules {path}: unknown keys {sorted(unknown)}", hint="see seeds/alert_rules.yaml")
    channels = tuple(data.get("channels", CHANNELS))
    if set(channels) - set(CHANNELS):
        raise ConfigError(f"alert rules {path}: channels must be among {', '.join(CHANNELS)}, not {list(channels)}")
    return AlertRules(
        categories=frozenset(watch.get("categories") or AlertRules.categories),
        forces=frozenset(watch.get("forces") or ()),
        locations=frozenset(watch.get("locations") or ()),
        statuses=frozenset(watch.get("statuses") or AlertRules.statuses),
        anchored=bool(watch.get("anchored", AlertRules.anchored)),
        min_confidence=float(watch.get("min_confidence", AlertRules.min_confidence)),
        tolerance=float(data.get("tolerance", tolerance)),
        min_change=float(data.get("min_change", 0.0)),
        channels=channels,
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
