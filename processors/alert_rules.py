"""When a figure deserves an alert: its value is new for its key, not another copy of a known one.

Pure: the alerts agent keeps the values already alerted per key in a table and asks ``decide``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tallywire.topics import Alert, Figure, stable_id


@dataclass(frozen=True)
class AlertRules:
    categories: frozenset[str] = frozenset({"troops"})
    forces: frozenset[str] = frozenset()  # empty: every force
    locations: frozenset[str] = frozenset()  # empty: every location
    statuses: frozenset[str] = frozenset({"reported", "expected"})
    tolerance: float = 0.02  # relative: "etwa 11.000" and "11.000" are one value
    min_change: float = 0.0  # relative change to the nearest known value needed to alert
    channels: tuple[str, ...] = field(default=("log",))

    def watches(self, figure: Figure) -> bool:
        return (
            not figure.vague
            and figure.category in self.categories
            and (not self.forces or figure.force in self.forces)
            and (not self.locations or figure.location in self.locations)
            and figure.status in self.statuses
        )


@dataclass(frozen=True)
class KnownValue:
    value: float
    status: str
    story_id: str


def same_value(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def decide(figure: Figure, known: list[KnownValue], rules: AlertRules, now: datetime) -> Alert | None:
    """An alert when ``figure`` states a value its key has not had; None otherwise."""
    if not rules.watches(figure):
        return None
    threshold = max(rules.tolerance, rules.min_change)
    if any(same_value(figure.value, k.value, threshold) and k.status == figure.status for k in known):
        return None
    previous = known[-1].value if known else None
    return Alert(
        # One key, value and status alert once, whatever order replays bring the articles in.
        alert_id=stable_id(figure.key, figure.value, figure.status),
        category=figure.category,
        force=figure.force,
        location=figure.location,
        value=figure.value,
        qualifier=figure.qualifier,
        status=figure.status,
        previous_value=previous,
        change=None if previous is None else figure.value - previous,
        figure_id=figure.figure_id,
        article_id=figure.article_id,
        story_id=figure.story_id,
        title=figure.title,
        url=figure.url,
        source=figure.source,
        published_at=figure.published_at,
        attribution=figure.attribution,
        sentence=figure.sentence,
        created_at=now,
    )
