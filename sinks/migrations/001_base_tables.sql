-- Base tables. ReplacingMergeTree keyed by each row's id, so a replayed row collapses on merge; the sink
-- also skips ids already stored, so plain count() is right before any merge happens.

CREATE TABLE IF NOT EXISTS articles
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
    published_at      DateTime64(3, 'UTC'),
    fetched_at        DateTime64(3, 'UTC'),
    ingested_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(published_at)
ORDER BY article_id;

CREATE TABLE IF NOT EXISTS figures
(
    figure_id          String,
    article_id         String,
    story_id           String,
    event_id           String,
    source             LowCardinality(String),
    url                String,
    title              String,
    published_at       DateTime64(3, 'UTC'),
    value              Float64,
    value_low          Float64,
    value_high         Float64,
    qualifier          LowCardinality(String),
    status             LowCardinality(String),
    category           LowCardinality(String),
    counted            String,
    force              LowCardinality(String),
    location           LowCardinality(String),
    attribution        String,
    sentence           String CODEC(ZSTD(3)),
    span_start         UInt32,
    span_end           UInt32,
    mentions           UInt16,
    lang               LowCardinality(String),
    extractor_version  LowCardinality(String),
    ingested_at        DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(published_at)
ORDER BY (category, force, location, published_at, figure_id);

CREATE TABLE IF NOT EXISTS alerts
(
    alert_id        String,
    category        LowCardinality(String),
    force           LowCardinality(String),
    location        LowCardinality(String),
    value           Float64,
    qualifier       LowCardinality(String),
    status          LowCardinality(String),
    previous_value  Nullable(Float64),
    change          Nullable(Float64),
    figure_id       String,
    article_id      String,
    story_id        String,
    title           String,
    url             String,
    source          LowCardinality(String),
    published_at    DateTime64(3, 'UTC'),
    attribution     String,
    sentence        String,
    outlets         UInt32,
    created_at      DateTime64(3, 'UTC'),
    ingested_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(created_at)
ORDER BY (category, force, location, alert_id);

CREATE TABLE IF NOT EXISTS dead_letters
(
    letter_id        String,
    stage            LowCardinality(String),
    reason           String,
    topic            LowCardinality(String),
    url              String,
    payload_excerpt  String,
    payload_bytes    UInt64,
    at               DateTime64(3, 'UTC'),
    ingested_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(at)
ORDER BY (stage, letter_id);
