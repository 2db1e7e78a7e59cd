"""Alerts agent: figures in (keyed by category/force/location), alerts out when a value is new.

The values already alerted per key live in a changelog-backed table co-partitioned with the
figures topic, so one key is always decided by one worker.
"""

from __future__ import annotations

import json

from processors.alert_rules import AlertRules, KnownValue, decide
from tallywire.faust_app import PipelineContext
from tallywire.topics import ALERTS, FIGURES, utcnow

STAGE = "alerts"


def register(context: PipelineContext) -> None:
    app = context.app
    alerted = app.Table(
        "alerted-values",
        schema=context.bytes_schema,
        partitions=context.settings.partitions,
    )
    rules = AlertRules(tolerance=context.settings.alert_tolerance)

    @app.agent(context.consume(FIGURES, STAGE), name=STAGE)
    async def alert_on_new_values(stream):  # noqa: ANN001 - Faust's stream type
        async for figure in context.decoded(stream, FIGURES, STAGE):
            stored = alerted.get(figure.key)
            known = [KnownValue(**item) for item in json.loads(stored)] if stored else []
            alert = decide(figure, known, rules, utcnow())
            if alert is None:
                continue
            known.append(KnownValue(figure.value, figure.status, figure.story_id))
            alerted[figure.key] = json.dumps([vars(k) for k in known]).encode("utf-8")
            await context.send(ALERTS, figure.key, alert)
