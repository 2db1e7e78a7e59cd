"""Stories agent: raw articles in, articles with their copy, story and event out.

The grouping itself is ``processors.story_grouping`` (pure). Its index lives in this worker's memory;
raw articles sit on one partition, so one worker sees them all in one order, and a restarted
pipeline rebuilds the index by replaying the journal in that order.
"""

from __future__ import annotations

from processors.story_grouping import StoryGrouper
from tallywire.faust_app import PipelineContext
from tallywire.topics import ARTICLES, RAW_ARTICLES, Article

STAGE = "stories"


def register(context: PipelineContext) -> None:
    grouper = StoryGrouper()
    params = grouper.params.describe()

    @context.app.agent(context.consume(RAW_ARTICLES, STAGE), name=STAGE)
    async def group_stories(stream):  # noqa: ANN001 - Faust's stream type
        async for raw in context.decoded(stream, RAW_ARTICLES, STAGE):
            grouping = await context.in_thread(grouper.assign, raw.article_id, raw.text, raw.lang, raw.published_at)
            article = Article.from_raw(
                raw,
                duplicate_of=grouping.duplicate_of,
                story_id=grouping.story_id,
                event_id=grouping.event_id,
                story_similarity=grouping.story_similarity,
                event_similarity=grouping.event_similarity,
                grouping_params=params,
            )
            if grouping.duplicate_of:
                context.progress.note_event("duplicates")
            await context.send(ARTICLES, article.article_id, article)
