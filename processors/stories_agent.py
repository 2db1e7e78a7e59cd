"""Stories agent: raw articles in, articles with their copy, story and event out.

The grouping itself is ``processors.story_grouping`` (pure); its state lives in a changelog-backed
Faust table, so a restarted worker recovers it.
"""

from __future__ import annotations

from processors.story_grouping import GroupingParams, StoryGrouper
from tallywire.faust_app import PipelineContext
from tallywire.topics import ARTICLES, RAW_ARTICLES, Article

STAGE = "stories"


def register(context: PipelineContext) -> None:
    app = context.app
    index = app.Table(
        "story-index",
        schema=context.bytes_schema,
        partitions=RAW_ARTICLES.partition_count(context.settings.partitions),
    )
    params = GroupingParams()
    grouper = StoryGrouper(store=index, params=params)

    @app.agent(context.consume(RAW_ARTICLES, STAGE), name=STAGE)
    async def group_stories(stream):  # noqa: ANN001 - Faust's stream type
        async for raw in context.decoded(stream, RAW_ARTICLES, STAGE):
            # On the event loop: the table may only be touched here, and one article takes milliseconds.
            grouping = grouper.assign(raw.article_id, raw.text, raw.lang, raw.published_at)
            article = Article.from_raw(
                raw,
                duplicate_of=grouping.duplicate_of,
                story_id=grouping.story_id,
                event_id=grouping.event_id,
                story_similarity=grouping.story_similarity,
                event_similarity=grouping.event_similarity,
                grouping_params=params.describe(),
            )
            await context.send(ARTICLES, article.article_id, article)
