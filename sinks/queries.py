"""Named queries analysts run with ``tallywire query NAME``: SQL as data, parameters bound safely."""

from __future__ import annotations

from dataclasses import dataclass

from clickhouse_connect.driver.binding import format_query_value


@dataclass(frozen=True)
class NamedQuery:
    description: str
    sql: str
    parameters: tuple[str, ...] = ()


QUERIES: dict[str, NamedQuery] = {
    "figure-timeline": NamedQuery(
        "Each value a series reported, in order of first publication, with how many stories and outlets carried it.",
        """
        SELECT
            min(published_at) AS first_published,
            value,
            argMin(qualifier, published_at) AS qualifier,
            status,
            uniqExact(story_id) AS stories,
            uniqExact(source) AS outlets,
            argMin(source, published_at) AS first_source,
            argMin(attribution, published_at) AS said_by
        FROM figures FINAL
        WHERE category = {category} AND force = {force} AND location = {location}
        GROUP BY value, status
        ORDER BY first_published, value
        """,
        ("category", "force", "location"),
    ),
    "latest-figures": NamedQuery(
        "The newest reported value of every series (forecasts and ranges left out).",
        "SELECT category, force, location, latest_value AS value, latest_qualifier AS qualifier, "
        "latest_published AS published, latest_source AS source, latest_attribution AS said_by, stories "
        "FROM latest_figures ORDER BY category, force, location",
    ),
    "stories": NamedQuery(
        "Every story with its first appearance, size and outlets.",
        "SELECT first_published, story_id, event_id, articles, outlets, sources, substring(title, 1, 60) AS title "
        "FROM story_sizes ORDER BY first_published, story_id",
    ),
}


def bound_sql(name: str, values: dict[str, str | None]) -> str:
    """The query's SQL with each parameter quoted as a ClickHouse literal."""
    query = QUERIES[name]
    missing = [p for p in query.parameters if not values.get(p)]
    if missing:
        raise ValueError(f"{name} needs --{' --'.join(missing)}")
    return query.sql.format(**{p: format_query_value(values[p]) for p in query.parameters})
