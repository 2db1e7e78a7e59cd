-- Views analysts and dashboards query. Plain views over FINAL rather than materialized views: an
-- aggregate state written at insert time cannot take back a row that a later merge collapses, while a
-- view reads each id once however often a batch was replayed. The tables are small per key (one row
-- per figure, not per mention), so reading them at query time is cheap.

-- One row per day and series: the range of values reported, the last one, and how widely it was carried.
CREATE VIEW IF NOT EXISTS figure_series_daily AS
SELECT
    category,
    force,
    location,
    toDate(published_at) AS day,
    min(value) AS min_value,
    max(value) AS max_value,
    argMax(value, published_at) AS last_value,
    uniqExact(story_id) AS stories,
    uniqExact(source) AS outlets,
    count() AS figures
FROM figures FINAL
GROUP BY category, force, location, day;

-- The newest reported value of each series, with who reported it.
CREATE VIEW IF NOT EXISTS latest_figures AS
SELECT
    category,
    force,
    location,
    argMax(value, (published_at, figure_id)) AS latest_value,
    argMax(qualifier, (published_at, figure_id)) AS latest_qualifier,
    argMax(status, (published_at, figure_id)) AS latest_status,
    max(published_at) AS latest_published,
    argMax(source, (published_at, figure_id)) AS latest_source,
    argMax(attribution, (published_at, figure_id)) AS latest_attribution,
    uniqExact(story_id) AS stories
FROM figures FINAL
WHERE status = 'reported' AND value_low = value_high
GROUP BY category, force, location;

-- Each story: first appearance, size and the outlets that carried it.
CREATE VIEW IF NOT EXISTS story_sizes AS
SELECT
    story_id,
    any(event_id) AS event_id,
    min(published_at) AS first_published,
    argMin(title, published_at) AS title,
    count() AS articles,
    uniqExact(source) AS outlets,
    arraySort(groupUniqArray(source)) AS sources
FROM articles FINAL
GROUP BY story_id;

-- Each event: first appearance, stories and outlets.
CREATE VIEW IF NOT EXISTS event_sizes AS
SELECT
    event_id,
    min(published_at) AS first_published,
    argMin(title, published_at) AS title,
    uniqExact(story_id) AS stories,
    count() AS articles,
    uniqExact(source) AS outlets
FROM articles FINAL
GROUP BY event_id;
