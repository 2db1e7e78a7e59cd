-- An article's publication time is NULL when no signal dated it (ingest/publication_date.py), no longer
-- its fetch time; published_source says which signal won (jsonld, opengraph, meta, time, byline,
-- htmldate, url, feed, manifest; '' when none did, and for rows stored before this migration).
-- published_at was the partition key, and ClickHouse alters no key column: the table is rebuilt, now
-- partitioned by fetched_at, which every row has. Rows stored before carry fetched_at as their
-- publication time exactly when nothing dated them, so those become NULL. Each statement can run again
-- on its own result (a crash half-way is repaired by the next start): the column is added only once,
-- and the rebuild reads the table it replaces, whichever shape it has.
-- partial: the text is the feed entry's own, the page having been a block page (ingest/feed_poller.py).

ALTER TABLE articles ADD COLUMN IF NOT EXISTS published_source LowCardinality(String) DEFAULT '' AFTER published_at;

ALTER TABLE articles ADD COLUMN IF NOT EXISTS partial Bool DEFAULT false AFTER fetched_at;

CREATE OR REPLACE TABLE articles
(
    article_id        String,
    url               String,
    source            LowCardinality(String),
    title             String,
    author            String,
    text              String CODEC(ZSTD(3)),
    lang              LowCardinality(String),
    duplicate_of      String,
    story_id          String,
    event_id          String,
    story_similarity  Float32,
    event_similarity  Float32,
    grouping_params   LowCardinality(String),
    published_at      Nullable(DateTime64(3, 'UTC')),
    published_source  LowCardinality(String),
    fetched_at        DateTime64(3, 'UTC'),
    partial           Bool,
    ingested_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(fetched_at)
ORDER BY article_id
AS SELECT article_id, url, source, title, author, text, lang, duplicate_of, story_id, event_id, story_similarity,
          event_similarity, grouping_params, if(published_at = fetched_at, NULL, published_at) AS published_at,
          published_source, fetched_at, partial, ingested_at
FROM articles;

-- Stories and events ordered by publication: an undated article counts from when it was fetched.
CREATE OR REPLACE VIEW story_sizes AS
SELECT
    story_id,
    any(event_id) AS event_id,
    min(coalesce(published_at, fetched_at)) AS first_published,
    argMin(title, coalesce(published_at, fetched_at)) AS title,
    count() AS articles,
    uniqExact(source) AS outlets,
    arraySort(groupUniqArray(source)) AS sources
FROM articles FINAL
GROUP BY story_id;

CREATE OR REPLACE VIEW event_sizes AS
SELECT
    event_id,
    min(coalesce(published_at, fetched_at)) AS first_published,
    argMin(title, coalesce(published_at, fetched_at)) AS title,
    uniqExact(story_id) AS stories,
    count() AS articles,
    uniqExact(source) AS outlets
FROM articles FINAL
GROUP BY event_id;
