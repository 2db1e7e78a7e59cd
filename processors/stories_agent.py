"""Stories agents: raw articles in, articles with their copy, story and event out, in two steps.

1. ``story-features`` (every worker, raw-article partitions spread among them): the costly, pure part
   (cleaning, sentence embeddings, MinHash), sent on with the article to ``article-features.v1``.
2. ``stories`` (one partition, so one worker at a time): compares each article with the stored ones
   and decides (``processors.story_grouping``). The stored articles' records live in a
   changelog-backed Faust table, so a restarted or newly assigned worker recovers them; the lookup
   index is derived from them in memory after every recovery. Twins that arrived on different
   raw-article partitions meet here, since every article passes through this one partition.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import replace

from processors.story_grouping import ArticleFeatures, GroupingParams, StoryGrouper, article_features
from tallywire.faust_app import PipelineContext
from tallywire.topics import (
    ARTICLE_FEATURES,
    ARTICLES,
    RAW_ARTICLES,
    Article,
    ArticleWithFeatures,
    PoisonMessage,
    RawArticle,
)

FEATURES_STAGE = "story-features"
STAGE = "stories"


def register(context: PipelineContext) -> None:
    app = context.app
    settings = context.settings
    params = replace(GroupingParams(), window_days=settings.story_window_days, grace_days=settings.story_grace_days)
    # Raw values: the records are binary, and a raw changelog gives back exactly the bytes that were set.
    records = app.Table("story-records", partitions=ARTICLE_FEATURES.partition_count(1), key_type=str, value_type=bytes)
    grouper = StoryGrouper(records, params)
    described = params.describe()

    @records.on_recover
    async def rebuild_index() -> None:
        grouper.rebuild_index()

    async def send_features(raw: RawArticle) -> None:
        features = await context.in_thread(article_features, raw.article_id, raw.text, raw.lang, raw.published_at)
        content = raw.model_dump(include=set(ArticleWithFeatures.model_fields) - {"schema_version"})
        encoded = base64.b64encode(features.to_bytes()).decode("ascii")
        await context.send(ARTICLE_FEATURES, raw.article_id, ArticleWithFeatures(**content, features_b64=encoded))

    async def group(message: ArticleWithFeatures) -> None:
        try:
            features = ArticleFeatures.from_bytes(base64.b64decode(message.features_b64, validate=True))
        except (binascii.Error, struct.error, ValueError) as exc:
            raise PoisonMessage(f"unreadable features: {exc}") from exc
        # On the event loop, not in a thread: table writes need the event being processed.
        grouping = grouper.assign_features(features)
        article = Article.from_raw(
            message,
            duplicate_of=grouping.duplicate_of,
            story_id=grouping.story_id,
            event_id=grouping.event_id,
            story_similarity=grouping.story_similarity,
            event_similarity=grouping.event_similarity,
            grouping_params=described,
        )
        if grouping.duplicate_of:
            context.progress.note_event("duplicates")
        await context.send(ARTICLES, article.article_id, article)

    @app.agent(context.consume(RAW_ARTICLES, FEATURES_STAGE), name=FEATURES_STAGE)
    async def compute_features(stream):  # noqa: ANN001 - Faust's stream type
        await context.handle_each(stream, RAW_ARTICLES, FEATURES_STAGE, send_features)

    @app.agent(context.consume(ARTICLE_FEATURES, STAGE), name=STAGE)
    async def group_stories(stream):  # noqa: ANN001 - Faust's stream type
        await context.handle_each(stream, ARTICLE_FEATURES, STAGE, group)
