"""The alert chain of one series in publication order, whatever order its figures arrive in.

A watched figure starts a chain entry when no figure of its series and status published before it
states the same value (within the tolerance); the entry's previous value is the latest figure of the
series and status published before it. That chain is a function of the set of figures, not of their
arrival: ``decide`` turns one arrival into the records that bring the stored chain to it, each with a
``revision`` that grows with what the series knows, so the latest revision of an alert id is the right
one however the figures came in.

A late report of a value that a later-published figure made an alert for takes that entry over as a
``backfill`` (stored, sent to no channel), or keeps the alert's id and kind when it is the same value.
An entry that a late, earlier report of its value turns into a repeat is ``superseded``.

Pure: the alerts agent keeps a ``SeriesState`` per series in a table and asks ``decide``.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from datetime import datetime

from tallywire.core.alert_rules import AlertRules, same_value
from tallywire.core.topics import ALERT, BACKFILL, SUPERSEDED, Alert, AlertKind, Figure, stable_id


@dataclass(frozen=True, order=True)
class Seen:
    published: float  # seconds since the epoch; -inf: recorded by a worker that kept no publication times
    figure_id: str
    value: float = field(compare=False)
    status: str = field(compare=False)


@dataclass
class SeriesState:
    seen: list[Seen] = field(default_factory=list)  # in publication order
    records: dict[str, dict] = field(default_factory=dict)  # figure id -> the record of the entry it starts
    revision: int = 0

    def to_json(self) -> dict:
        return {
            "seen": [[s.figure_id, s.value, s.status, None if math.isinf(s.published) else s.published] for s in self.seen],
            "records": self.records,
            "revision": self.revision,
        }

    @classmethod
    def from_json(cls, data: dict | list) -> SeriesState:
        if isinstance(data, list):
            # Written before publication order: alerted values alone, known before anything that comes now.
            return cls(seen=[Seen(-math.inf, f"known-{n}", float(item["value"]), item["status"])
                             for n, item in enumerate(data)])
        seen = [Seen(-math.inf if t is None else float(t), fid, float(v), s) for fid, v, s, t in data["seen"]]
        return cls(seen=sorted(seen), records=dict(data["records"]), revision=int(data["revision"]))


def decide(figure: Figure, state: SeriesState, rules: AlertRules, now: datetime,
           memory: int = 1000) -> tuple[list[Alert], SeriesState]:
    """The records one arriving figure makes (its own entry, a later entry's new previous value, entries
    it supersedes) and the series' state after it. ``memory``: figures kept per series, newest by
    publication; one published before all of a full series' figures cannot be placed and makes nothing."""
    if not rules.watches(figure):
        return [], state
    me = Seen((figure.published_at or now).timestamp(), figure.figure_id, figure.value, figure.status)
    if any(s.figure_id == me.figure_id for s in state.seen):
        # A replay: the record as it stands, which the sink already holds.
        record = state.records.get(me.figure_id)
        return ([Alert.model_validate(record)] if record else []), state
    if len(state.seen) >= memory and me < state.seen[0]:
        return [], state
    threshold = max(rules.tolerance, rules.min_change)
    same = [s for s in state.seen if s.status == me.status]
    earlier = [s for s in same if s < me]
    later = [s for s in same if s > me]
    revision = state.revision + 1
    records = dict(state.records)
    out: list[Alert] = []

    superseded = [s for s in later if s.figure_id in records and same_value(me.value, s.value, threshold)]
    alert_id = stable_id(figure.key, figure.value, figure.status)
    if not any(same_value(me.value, s.value, threshold) for s in earlier):
        taken = [records[s.figure_id] for s in superseded]
        kind = next((r["kind"] for r in taken if r["alert_id"] == alert_id), BACKFILL if taken else ALERT)
        # An alert keeps the time it was raised when a late report of its value takes it over.
        created = next((datetime.fromisoformat(r["created_at"]) for r in taken if r["alert_id"] == alert_id), now)
        previous = earlier[-1].value if earlier else None
        mine = _alert(figure, alert_id, kind, previous, revision, now).model_copy(update={"created_at": created})
        out.append(mine)
        records[me.figure_id] = mine.model_dump(mode="json")
    for s in superseded:
        record = records.pop(s.figure_id)
        if record["alert_id"] != alert_id:
            out.append(Alert.model_validate({**record, "kind": SUPERSEDED, "revision": revision}))
    if later and later[0].figure_id in records and later[0] not in superseded:
        after = records[later[0].figure_id]
        revised = Alert.model_validate({**after, "previous_value": me.value, "change": after["value"] - me.value,
                                        "revision": revision})
        records[later[0].figure_id] = revised.model_dump(mode="json")
        out.append(revised)

    seen = list(state.seen)
    bisect.insort(seen, me)
    for dropped in seen[:max(0, len(seen) - memory)]:
        records.pop(dropped.figure_id, None)
    return out, SeriesState(seen[-memory:], records, revision)


def _alert(figure: Figure, alert_id: str, kind: AlertKind, previous: float | None, revision: int, now: datetime) -> Alert:
    return Alert(
        alert_id=alert_id,
        kind=kind,
        revision=revision,
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
        published_at=figure.published_at or now,
        attribution=figure.attribution,
        sentence=figure.sentence,
        created_at=now,
    )
