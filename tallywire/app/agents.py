"""Roles to agents: the one module that imports the agents, so that no stage imports another."""

from __future__ import annotations

from tallywire.core.progress import Progress
from tallywire.core.settings import Settings
from tallywire.runtime.faust_app import PipelineContext, create_faust_app


def create_app(settings: Settings, bootstrap: str, roles: tuple[str, ...], progress: Progress) -> PipelineContext:
    """A worker's Faust app with the agents of its roles registered."""
    context = create_faust_app(settings, bootstrap, roles, progress)
    if "process" in roles:
        from processors import alerts_agent, figures_agent, stories_agent

        stories_agent.register(context)
        figures_agent.register(context)
        alerts_agent.register(context)
    if "sink" in roles:
        from sinks import clickhouse_sink_agent

        clickhouse_sink_agent.register(context)
    return context
