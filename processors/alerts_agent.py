"""Alerts agent: figures in (keyed by category/force/location), alert records out.

Each series' state (``alert_series.SeriesState``) lives in a changelog-backed table co-partitioned
with the figures topic, so one series is always decided by one worker, one figure at a time.
"""

from __future__ import annotations

from tallywire.core.alert_rules import load_rules
from processors.alert_series import SeriesState, decide
from tallywire.runtime.faust_app import PipelineContext
from tallywire.core.topics import ALERTS, FIGURES, Figure, utcnow

STAGE = "alerts"


def register(context: PipelineContext) -> None:
    app = context.app
    # Values are plain JSON: the table's changelog restores them as such after a restart.
    series = app.Table("alerted-values", default=list, partitions=context.settings.partitions)
    rules = load_rules(context.settings.alert_rules_file, context.settings.alert_tolerance)
    memory = context.settings.alert_series_memory

    async def place(figure: Figure) -> None:
        state = SeriesState.from_json(series[figure.key])
        records, after = decide(figure, state, rules, utcnow(), memory)
        if after is not state:
            series[figure.key] = after.to_json()
        for record in records:
            await context.send(ALERTS, figure.key, record)

    @app.agent(context.consume(FIGURES, STAGE), name=STAGE)
    async def alert_on_new_values(stream):  # noqa: ANN001 - Faust's stream type
        await context.handle_each(stream, FIGURES, STAGE, place)
