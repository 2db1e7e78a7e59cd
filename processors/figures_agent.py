"""Figures agent: articles in, one record per figure out, keyed by what is counted, whose and where."""

from __future__ import annotations

from processors.figure_extractor import EXTRACTOR_VERSION, ExtractedFigure, extract_figures
from tallywire.runtime.faust_app import PipelineContext
from tallywire.core.topics import ARTICLES, FIGURES, Article, Figure, stable_id

STAGE = "figures"


def figure_id(article_id: str, found: ExtractedFigure) -> str:
    """Deterministic, so a replayed article yields the ids already stored."""
    return stable_id(article_id, found.value, found.category, found.force, found.series_location, found.status)


def figures_of(article: Article) -> list[Figure]:
    """The article's figures as topic records (pure: the agent only sends them)."""
    # An undated article's figures are placed at its fetch time: a series needs an order, and the article
    # row keeps published_at NULL, so nothing claims the fetch time was its publication.
    published = article.published_at or article.fetched_at
    records = []
    for found in extract_figures(article.text, article.lang):
        records.append(
            Figure(
                figure_id=figure_id(article.article_id, found),
                article_id=article.article_id,
                story_id=article.story_id,
                event_id=article.event_id,
                source=article.source,
                url=article.url,
                title=article.title,
                published_at=published,
                value=found.value,
                value_low=found.value_low,
                value_high=found.value_high,
                qualifier=found.qualifier,
                status=found.status,
                category=found.category,
                counted=found.counted,
                force=found.force,
                location=found.series_location,
                attribution=found.attribution,
                sentence=found.sentence,
                span_start=found.span_start,
                span_end=found.span_end,
                mentions=found.mentions,
                vague=found.vague,
                confidence=found.confidence,
                lang=article.lang,
                extractor_version=EXTRACTOR_VERSION,
            )
        )
    return records


def register(context: PipelineContext) -> None:
    async def send_figures(article: Article) -> None:
        for figure in await context.in_thread(figures_of, article):
            await context.send(FIGURES, figure.key, figure)

    @context.app.agent(context.consume(ARTICLES, STAGE), name=STAGE)
    async def extract(stream):  # noqa: ANN001 - Faust's stream type
        await context.handle_each(stream, ARTICLES, STAGE, send_figures)
