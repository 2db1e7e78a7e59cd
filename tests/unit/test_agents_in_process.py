"""Every agent in this process, as its role wires it: Faust's own test context feeds its stream, and a
context that keeps what the agent sends stands in for the broker. The sink writes to a real chDB in the
test's data directory and is read back with SQL, through its query endpoint."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import faust
import pytest

from ingest.file_source import read_articles
from processors import alerts_agent, figures_agent, stories_agent
from processors.figures_agent import figures_of
from sinks import clickhouse_sink_agent
from sinks.query_client import run_query
from tallywire.core.progress import Progress
from tallywire.core.settings import Settings
from tallywire.core.topics import (
    ALERTS, ARTICLE_FEATURES, ARTICLES, DEAD_LETTERS, FIGURES, Article, DeadLetter, RawArticle, TopicRecord, TopicSpec,
)
from tallywire.runtime.faust_app import PipelineContext, create_faust_app
from tests.conftest import SEEDS

NOW = datetime(2024, 11, 7, tzinfo=timezone.utc)
KURSK = Article(article_id="a1", url="https://example.org/a1", source="example.org", lang="de",
                text="Rund 11.000 nordkoreanische Soldaten sind in der Region Kursk.",
                story_id="a1", event_id="a1", fetched_at=NOW, published_at=NOW)


@dataclass
class KeptSends(PipelineContext):
    """Sends kept, in order, instead of produced: what the agent decided is all a test looks at."""

    sent: list[tuple[str, str, TopicRecord]] = field(default_factory=list)

    async def send(self, spec: TopicSpec, key: str, record: TopicRecord) -> None:
        self.sent.append((spec.name, key, record))
        self.progress.note_produced(spec.name)

    def records(self, spec: TopicSpec) -> list:
        return [record for name, _, record in self.sent if name == spec.name]


def context_for(tmp_path: Path, roles: tuple[str, ...]) -> KeptSends:
    settings = Settings(data_dir=tmp_path / "data")
    # No broker is reached: the test context feeds the agents, and nothing is produced.
    app = create_faust_app(settings, "127.0.0.1:9", roles, Progress()).app
    return KeptSends(settings=settings, app=app)


async def feed(agent: faust.types.AgentT, messages: list[tuple[str, bytes]]) -> None:
    async with agent.test_context() as running:
        for key, value in messages:
            await running.put(key=key.encode(), value=value)


def run(context: KeptSends, agent_name: str, messages: list[tuple[str, bytes]]) -> None:
    try:
        asyncio.run(feed(context.app.agents[agent_name], messages))
    finally:
        context.close()


def seed_articles() -> list[RawArticle]:
    articles = [raw for raw in read_articles([SEEDS]) if isinstance(raw, RawArticle)]
    assert len(articles) == 5
    return articles


def test_the_story_agents_group_the_two_translations_and_nothing_else(tmp_path: Path) -> None:
    context = context_for(tmp_path, ("process",))
    stories_agent.register(context)
    raw = seed_articles()
    run(context, stories_agent.FEATURES_STAGE, [(a.article_id, a.to_bytes()) for a in raw] + [("poison", b"\xff")])
    features = context.records(ARTICLE_FEATURES)
    assert [f.article_id for f in features] == [a.article_id for a in raw]
    [letter] = context.records(DEAD_LETTERS)
    assert letter.stage == stories_agent.FEATURES_STAGE and "UTF-8" in letter.reason

    grouping = context_for(tmp_path, ("process",))  # the grouping agent, in a worker of its own
    stories_agent.register(grouping)
    run(grouping, stories_agent.STAGE, [(f.article_id, f.to_bytes()) for f in features])
    articles = grouping.records(ARTICLES)
    source = {a.article_id: Path(a.url).name[:3] for a in raw}
    shared = {}
    for article in articles:
        shared.setdefault(article.story_id, set()).add(source[article.article_id])
    assert sorted(sorted(group) for group in shared.values() if len(group) > 1) == [["000", "003"]]


def test_the_figures_agent_sends_each_figure_under_its_series_and_dead_letters_the_unreadable(tmp_path: Path) -> None:
    context = context_for(tmp_path, ("process",))
    figures_agent.register(context)
    run(context, figures_agent.STAGE, [("a1", KURSK.to_bytes()), ("a2", b'{"article_id": "a2"}')])
    [(_, key, figure)] = [sent for sent in context.sent if sent[0] == FIGURES.name]
    assert (key, figure.value, figure.force, figure.location) == ("troops/north_korea/Kursk", 11000, "north_korea", "Kursk")
    [letter] = context.records(DEAD_LETTERS)
    assert letter.stage == figures_agent.STAGE and letter.topic == ARTICLES.name


def test_the_alerts_agent_raises_each_new_value_once(tmp_path: Path) -> None:
    context = context_for(tmp_path, ("process",))
    alerts_agent.register(context)
    [figure] = figures_of(KURSK)
    copy = figure.model_copy(update={"figure_id": "copy", "article_id": "a2"})
    run(context, alerts_agent.STAGE, [(figure.key, figure.to_bytes()), (copy.key, copy.to_bytes())])
    alerts = context.records(ALERTS)
    assert [(a.value, a.kind) for a in alerts if a.kind == "alert"] == [(11000, "alert")]
    assert len({a.alert_id for a in alerts}) == 1


def test_the_sink_agent_stores_what_it_reads_and_dead_letters_the_rest(tmp_path: Path) -> None:
    context = context_for(tmp_path, ("sink",))
    clickhouse_sink_agent.register(context)
    articles = [Article(article_id=f"a{n}", url=f"https://example.org/a{n}", source="example.org", lang="de",
                        text="Kein Zahlenwert.", story_id="s", event_id="e", fetched_at=NOW, published_at=NOW)
                for n in range(3)]
    messages = [(a.article_id, a.to_bytes()) for a in articles] + [("bad", b"[]")]
    settings = context.settings
    try:
        asyncio.run(feed(context.app.agents[f"{clickhouse_sink_agent.STAGE}-{ARTICLES.name}"], messages))
        rows = run_query(settings, "SELECT article_id FROM articles FINAL ORDER BY article_id", "JSONEachRow")
    finally:
        context.close()
    assert [json.loads(line)["article_id"] for line in rows.decode().splitlines()] == ["a0", "a1", "a2"]
    [letter] = context.records(DEAD_LETTERS)
    assert isinstance(letter, DeadLetter) and letter.stage == clickhouse_sink_agent.STAGE


@pytest.mark.parametrize("roles", [("process",), ("sink",)])
def test_every_agent_of_a_role_is_covered_here(tmp_path: Path, roles: tuple[str, ...]) -> None:
    """A new agent fails this until it has a test above."""
    from tallywire.app.agents import create_app

    context = create_app(Settings(data_dir=tmp_path / "data"), "127.0.0.1:9", roles, Progress())
    try:
        names = set(context.app.agents)
    finally:
        context.close()
    covered = {stories_agent.FEATURES_STAGE, stories_agent.STAGE, figures_agent.STAGE, alerts_agent.STAGE,
               *(f"{clickhouse_sink_agent.STAGE}-{spec.name}" for spec in (ARTICLES,))}
    # The sink's four agents are one function over four topics: the articles' one stands for them.
    sink_twins = {f"{clickhouse_sink_agent.STAGE}-{spec.name}" for spec in (FIGURES, ALERTS, DEAD_LETTERS)}
    assert names - sink_twins <= covered, names - sink_twins - covered
