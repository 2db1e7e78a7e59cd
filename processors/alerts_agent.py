"""Alerts agent: figures in (keyed by category/force/location), alerts out when a value is new.

The values already alerted per key live in a changelog-backed table co-partitioned with the
figures topic, so one key is always decided by one worker.
"""

from __future__ import annotations

from processors.alert_rules import KnownValue, decide, load_rules
from tallywire.faust_app import PipelineContext
from tallywire.topics import ALERTS, FIGURES, Figure, utcnow

STAGE = "alerts"


def register(context: PipelineContext) -> None:
    app = context.app
    # Values are lists of plain dicts: the table's JSON changelog restores them as such after a restart.
    alerted = app.Table("alerted-values", default=list, partitions=context.settings.partitions)
    rules = load_rules(context.settings.alert_rules_file, context.settings.alert_tolerance)

    async def alert_if_new(figure: Figure) -> None:
        known = [KnownValue(**item) for item in alerted[figure.key]]
        alert = decide(figure, known, rules, utcnow())
        if alert is None:
            return
        known.append(KnownValue(figure.value, figure.status, figure.story_id))
        alerted[figure.key] = [vars(k) for k in known]
        await context.send(ALERTS, figure.key, alert)

    @app.agent(context.consume(FIGURES, STAGE), name=STAGE)
    async def alert_on_new_values(stream):  # noqa: ANN001 - Faust's stream type
        await context.handle_each(stream, FIGURES, STAGE, alert_if_new)
