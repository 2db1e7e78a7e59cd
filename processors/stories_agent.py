"""Stories agents: raw articles in, articles with their copy, story and event out, in two steps.

1. ``story-features`` (every worker, raw-article partitions spread among them): the costly, pure part
   (cleaning, sentence embeddings, MinHash), sent on with the article to ``article-features.v1``.
2. ``stories`` (one partition, so one worker at a time): compares each article with the stored ones
   and decides (``processors.story_grouping``). The stored articles' records live in a
   changelog-backed Faust table, so a restarted or newly assigned worker recovers them; the lookup
   index is derived from them in memory after every recovery. Twins that arrived on different
   raw-article partitions meet here, since every article passes through this one partition.

With the embedded broker the records live in the data directory instead (``grouping_store``): its
changelogs die with it, and rebuilding the table meant grouping the whole journal again, in another
order (raw articles spread over partitions reach this stage interleaved differently), so a replayed
article could get another story or event than the row ClickHouse already held. Kept on disk, a
replayed article finds its record and keeps its grouping, and its features are not computed again.
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import replace
from pathlib import Path

from processors.story_grouping import ArticleFeatures, GroupingParams, StoryGrouper, article_features, decode_record
from tallywire.runtime.durable_map import DurableMap
from tallywire.runtime.faust_app import PipelineContext
from tallywire.core.settings import Settings
from tallywire.core.topics import (
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
    stored: DurableMap | None = None
    if settings.embedded_broker:
        stored = store = DurableMap(grouping_store(settings))
        context.closers.append(store.close)
        grouper = StoryGrouper(store, params)

        @app.on_partitions_assigned.connect  # type: ignore[arg-type]  # as in tallywire.runtime.faust_app: Faust asks for a keyword its call never requires
        async def rebuild_index(sender: object, assigned: set, **kwargs: object) -> None:  # noqa: ARG001
            # Another worker may have grouped articles since this one last held the partition; the index
            # built at the start is rebuilt only then (at 100,000 articles handled, 1.5 s of a restart).
            if any(tp.topic == ARTICLE_FEATURES.name for tp in assigned) and store.written_elsewhere():
                grouper.rebuild_index()
    else:
        # Raw values: the records are binary, and a raw changelog gives back exactly the bytes that were set.
        table = app.Table("story-records", partitions=ARTICLE_FEATURES.partition_count(1), key_type=str, value_type=bytes)
        grouper = StoryGrouper(table, params)

        @table.on_recover
        async def rebuild_index_after_recovery() -> None:
            grouper.rebuild_index()

    described = params.describe()

    def features_of(raw: RawArticle) -> ArticleFeatures:
        # Only the data directory's store may be read from any worker: a table's partition is its owner's.
        known = stored.get(raw.article_id) if stored is not None else None
        if known is not None:
            return decode_record(known).features
        return article_features(raw.article_id, raw.text, raw.lang, raw.published_at)

    async def send_features(raw: RawArticle) -> None:
        features = await context.in_thread(features_of, raw)
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
        await context.handle_each(stream, RAW_ARTICLES, FEATURES_STAGE, send_features,
                                  done=lambda raw: context.progress.note_article_handled(raw.article_id))

    @app.agent(context.consume(ARTICLE_FEATURES, STAGE), name=STAGE)
    async def group_stories(stream):  # noqa: ANN001 - Faust's stream type
        await context.handle_each(stream, ARTICLE_FEATURES, STAGE, group)


def grouping_store(settings: Settings) -> Path:
    """The embedded default's stored-article records (see the module's docstring)."""
    return settings.data_dir / "grouping" / "story-records.sqlite"
