"""The one typed settings object. Only this module reads the environment.

Every field maps to an environment variable ``TALLYWIRE_<FIELD>`` and is documented in
``.env.example``; a ``.env`` file in the working directory may hold them too, and the environment wins
over it. The embedded default and a production deployment differ only here.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from pathlib import Path
from types import NoneType, UnionType
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import BeforeValidator, Field, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict

from tallywire.core.errors import ConfigError
from tallywire.core.topics import MAX_MESSAGE_BYTES

LOG_LEVELS = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    # extra="ignore": a .env holds docker compose's own variables (passwords) beside tallywire's.
    model_config = SettingsConfigDict(
        env_prefix="TALLYWIRE_", env_file=".env", env_file_encoding="utf-8", frozen=True, extra="ignore"
    )

    data_dir: Path = Field(Path(".tallywire"), description="Where embedded state lives: broker log, chDB, journal.")
    kafka_bootstrap: str | None = Field(
        None, description="host:port[,host:port] of a Kafka cluster; unset starts the embedded broker."
    )
    clickhouse_dsn: str | None = Field(
        None, description="chdb:///path (in-process) or http(s)://user:pass@host:8123/db; unset means chdb in data_dir."
    )
    clickhouse_password: SecretStr | None = Field(None, description="Overrides the password of an http(s) DSN.")

    partitions: int = Field(4, ge=1, description="Partitions per topic when tallywire creates the topics.")
    replication_factor: int = Field(1, ge=1, description="Replication factor when tallywire creates the topics.")
    app_id: str = Field("tallywire", description="Faust application id, also the consumer group prefix.")
    faust_store: str = Field(
        "memory://", pattern="^(memory|rocksdb)://$",
        description="Faust table store: memory:// (tables rebuilt from their changelogs at start) or rocksdb://"
        " (rocksdict, on disk in data_dir/faust: a restarted worker reads only the changelog since its last write).",
    )
    kafka_session_timeout_s: float | None = Field(
        None, description="Consumer session timeout; unset means 6 s embedded (fast group joins), 45 s otherwise."
    )
    kafka_heartbeat_interval_s: float | None = Field(
        None, description="Consumer heartbeat interval; unset means 1.5 s embedded, 3 s otherwise."
    )
    commit_interval_s: float = Field(2.8, gt=0, description="How often consumers commit the offsets they handled.")
    fetch_min_bytes: int = Field(
        1, ge=1, description="Bytes a consumer's fetch waits for (or Faust's 1.5 s); 1048576 for long runs on the embedded broker."
    )
    broker_start_timeout_s: float = Field(15.0, gt=0, description="How long to wait for the embedded broker.")
    broker_recycle_mb: int = Field(
        768, ge=0, description="Resident memory of the embedded broker (MiB) past which tallywire run restarts itself"
        " with a fresh broker once all it holds is handled; 0: never."
    )
    stop_wait_s: float = Field(
        10.0, gt=0, description="Longest a stopping worker waits for messages in processing; the rest come again on the next start."
    )

    journal_fsync_interval_ms: float = Field(
        0.0, ge=0, description="Longest time a journaled article waits for its fsync; 0: every record is synced as it is written."
    )
    journal_retention_days: float = Field(
        7.0, ge=0, description="How long the journal keeps an article the pipeline has wholly handled (by its fetch time);"
        " older ones leave it at the next start, their ids kept in seen-ids."
    )

    feeds_file: Path = Field(Path("seeds/feeds.yaml"), description="The feed registry (YAML) tallywire poll reads.")
    user_agent: str = Field("tallywire/0.1 (+https://example.org/tallywire)", description="User-Agent of every fetch.")
    fetch_timeout_s: float = Field(15.0, gt=0, description="Connect and read timeout of one fetch.")
    fetch_deadline_s: float = Field(
        60.0, gt=0, description="Longest time one response may take, headers and body together; a slower one is cut."
    )
    max_page_bytes: int = Field(5 * 1024 * 1024, gt=0, description="Pages and feeds larger than this are refused.")
    max_redirects: int = Field(5, ge=0, description="Redirects followed per fetch.")
    per_host_delay_s: float = Field(
        1.0, ge=0, description="Least pause between the end of one answer from a host and the next request to it."
    )
    fetch_concurrency: int = Field(
        8, ge=1, description="Hosts the poller fetches from at once (a pool of threads); each host still gets one "
        "request at a time, per_host_delay_s apart."
    )
    fetch_allow: str = Field(
        "", description="Comma-separated hosts or networks that may be fetched although private (e.g. 127.0.0.1)."
    )
    robots_cache_s: float = Field(86400.0, gt=0, description="How long a site's robots.txt is used before it is read again.")
    published_floor: date = Field(
        date(1995, 1, 1), description="Publication dates before this day are refused as implausible (a CMS's zero "
        "date, a year misread); an article no other signal dates is stored with published_at NULL."
    )
    poll_interval_s: float = Field(300.0, gt=0, description="Default time between two polls of a feed.")
    poll_max_entries: int = Field(
        100, ge=1, description="New entries of one feed fetched in one poll at most; the rest wait for its next poll."
    )
    poll_feed_budget_s: float = Field(
        300.0, gt=0, description="Time one poll spends fetching one feed's entries; the rest wait for its next poll."
    )
    entry_attempts: int = Field(
        3, ge=1, description="Polls that try an entry failing transiently (timeout, connection, 429, 5xx) before it "
        "becomes a dead letter; other failures are dead letters at once. Each failed entry is dead-lettered once."
    )
    max_message_bytes: int = Field(
        1_000_000, gt=0, le=MAX_MESSAGE_BYTES,
        description="Largest message tallywire produces (Kafka's default message.max.bytes is 1048588): a larger "
        "input or article becomes a dead letter with its size and first 256 KiB.",
    )
    max_article_chars: int = Field(
        100_000, gt=0, description="Article text longer than this is cut here; the raw article records the length it had."
    )

    sink_batch_size: int = Field(1000, ge=1, description="Rows per ClickHouse insert at most.")
    sink_batch_seconds: float = Field(0.5, gt=0, description="Longest wait before a partial batch is written.")
    sink_retry_max_seconds: float = Field(30.0, gt=0, description="Cap of the sink's retry backoff.")
    query_endpoint_port: int = Field(
        0, ge=0, description="Port of the read-only query endpoint the ClickHouse owner serves; 0 picks a free one."
    )
    query_endpoint_timeout_s: float = Field(
        10.0, gt=0, description="Longest the query endpoint waits on a client's socket (request or reply) before it hangs up."
    )
    query_endpoint_max_requests: int = Field(
        4, ge=1, description="Connections the query endpoint serves at once; one more is closed unserved."
    )
    query_max_execution_s: float = Field(30.0, gt=0, description="Longest one user query runs (max_execution_time).")
    query_max_result_rows: int = Field(1_000_000, ge=1, description="Rows one user query may return; more: refused.")
    query_max_result_bytes: int = Field(
        256 * 1024 * 1024, ge=1, description="Bytes (uncompressed) one user query may return; more: refused."
    )
    query_max_memory_bytes: int = Field(
        2 * 1024 * 1024 * 1024, ge=1, description="Memory one user query may take (max_memory_usage); more: refused."
    )

    metrics_port: int = Field(0, ge=0, description="Port of /metrics (Prometheus) and /health; 0: not served.")
    metrics_host: str = Field("127.0.0.1", description="Address /metrics and /health listen on (0.0.0.0 in containers).")

    story_window_days: float = Field(
        7.0, gt=0, description="Days before an article's publication within which it meets every stored article (copies,"
        " stories, events), when it arrives at most story_grace_days behind the newest one seen."
    )
    story_grace_days: float = Field(
        7.0, ge=0, description="Days an article may arrive behind the newest one seen and still meet every article of"
        " its window; articles are kept window + grace days behind the newest."
    )

    alert_tolerance: float = Field(
        0.02, ge=0, description="Relative difference under which two values of one key are the same figure."
    )
    alert_series_memory: int = Field(
        1000, ge=10, description="Watched figures the alerts agent keeps per series, the newest by publication, to place"
        " a late one in publication order; one published before all of them makes no alert."
    )
    alert_rules_file: Path | None = Field(
        None, description="YAML alert rules (see seeds/alert_rules.yaml); unset: the built-in default, troop figures."
    )
    webhook_urls: str = Field("", description="Comma-separated webhook URLs that receive every alert.")
    webhook_format: Literal["json", "slack"] = Field("json", description="Webhook payload: json or slack.")
    webhook_secret: SecretStr | None = Field(
        None, description="When set, each webhook body is signed: X-Tallywire-Signature: sha256=<HMAC>."
    )
    webhook_timeout_s: float = Field(5.0, gt=0, description="Timeout of one webhook request.")
    webhook_retries: int = Field(4, ge=0, description="Retries of a failed webhook delivery, with backoff.")
    smtp_host: str = Field("", description="SMTP server for alert emails; empty: no email.")
    smtp_port: int = Field(587, description="SMTP port.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_user: str = Field("", description="SMTP login; empty: no login.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password.")
    smtp_from: str = Field("tallywire@localhost", description="Sender of alert emails.")
    smtp_to: str = Field("", description="Comma-separated recipients of alert emails.")
    alert_catch_up_interval_s: float = Field(
        30.0, gt=0, description="How often the sink sends stored alerts a channel has no outcome for (at start, then"
        " every this many seconds), taking those stored at least this long ago."
    )
    alert_catch_up_batch: int = Field(100, ge=1, description="Most alerts one catch-up round sends per channel.")
    alert_catch_up_max_age_h: float = Field(
        24.0, gt=0, description="Stored alerts older than this are never sent by a catch-up round (a channel added"
        " later does not get the whole history)."
    )

    progress_interval_s: float = Field(
        5.0, gt=0, description="How often tallywire run prints its progress line (feeds polled, new articles, rows "
        "stored, lag), when it changed."
    )

    log_level: Annotated[LOG_LEVELS, BeforeValidator(str.upper)] = Field(
        "INFO", description="Root log level, in any case."
    )
    log_json: bool = Field(False, description="Log one JSON object per line.")

    @cached_property
    def embedded_broker(self) -> bool:
        return not self.kafka_bootstrap

    @cached_property
    def resolved_clickhouse_dsn(self) -> str:
        if self.clickhouse_dsn:
            return self.clickhouse_dsn
        return f"chdb://{(self.data_dir / 'clickhouse').resolve()}"

    @cached_property
    def clickhouse_password_value(self) -> str | None:
        return self.clickhouse_password.get_secret_value() if self.clickhouse_password else None

    @cached_property
    def session_timeout_s(self) -> float:
        if self.kafka_session_timeout_s is not None:
            return self.kafka_session_timeout_s
        # The embedded broker completes a group join after about half the session timeout.
        return 6.0 if self.embedded_broker else 45.0

    @cached_property
    def heartbeat_interval_s(self) -> float:
        if self.kafka_heartbeat_interval_s is not None:
            return self.kafka_heartbeat_interval_s
        return 1.5 if self.embedded_broker else 3.0

    def masked(self) -> dict[str, object]:
        """Settings as logged at start: secrets and DSN passwords hidden."""
        shown = self.model_dump(mode="json")
        dsn = self.resolved_clickhouse_dsn
        if "@" in dsn:
            scheme, rest = dsn.split("://", 1)
            creds, host = rest.split("@", 1)
            dsn = f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
        shown["clickhouse_dsn"] = dsn
        return shown


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with explicit overrides (from CLI options) on top; a ConfigError
    naming each bad variable, its value and what it takes."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise ConfigError("; ".join(_bad_variable(error) for error in exc.errors())) from None


# The overrides are paths, which cannot fail: a bad value comes from the environment.
def _bad_variable(error: ErrorDetails) -> str:
    name = str(error["loc"][0])
    field = Settings.model_fields[name]
    default = "" if field.default is None else f" (default {field.default})"
    return f"{Settings.model_config['env_prefix']}{name.upper()}={error['input']!r}: expected {_allowed(field)}{default}"


_KINDS: dict[object, str] = {bool: "true or false", int: "a whole number", float: "a number", str: "text", Path: "a path",
          date: "a date (YYYY-MM-DD)"}
_BOUNDS = (("gt", "above"), ("ge", "at least"), ("lt", "below"), ("le", "at most"))


def _allowed(field: FieldInfo) -> str:
    """What a field takes, in words: 'a number above 0', 'one of json, slack'."""
    kind = field.annotation
    if isinstance(kind, UnionType):  # X | None: the variable is X when set
        kind = next(arg for arg in get_args(kind) if arg is not NoneType)
    if get_origin(kind) is Literal:
        return f"one of {', '.join(get_args(kind))}"
    bounds = " and ".join(f"{word} {getattr(m, attr)}" for m in field.metadata for attr, word in _BOUNDS if hasattr(m, attr))
    return f"{_KINDS.get(kind) or getattr(kind, '__name__', kind)} {bounds}".rstrip()
