"""Configuration of the conductor (gRPC server, relay and lane workers), read from the environment."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shvya_rpc.ports import ListenPort


class ConductorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONDUCTOR_", extra="ignore", env_ignore_empty=True)

    env: str = Field("development", validation_alias=AliasChoices("ENV", "CONDUCTOR_ENV"))
    host: str = "[::]"
    port: ListenPort = 50052
    max_workers: int = 16
    internal_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("CONDUCTOR_INTERNAL_TOKEN", "INTERNAL_TOKEN")
    )
    redis_url: str = Field(
        "redis://localhost:6379/0",
        validation_alias=AliasChoices("CONDUCTOR_REDIS_URL", "REDIS_URL", "CELERY_BROKER_URL"),
    )
    # Dramatiq's key namespace in Redis; lanes are the queues <namespace>:p1 and <namespace>:p2.
    redis_namespace: str = "shvya"
    log_level: str = Field("INFO", validation_alias=AliasChoices("CONDUCTOR_LOG_LEVEL", "LOG_LEVEL"))

    crm_addr: str = Field("localhost:50051", validation_alias=AliasChoices("CRM_ADDR", "CONDUCTOR_CRM_ADDR"))
    # Connections to the crm, each call on the next: spreads the calls over every crm process
    # (CRM_PROCESSES) or pod behind crm_addr, which balance connections, not calls.
    crm_connections: int = Field(4, ge=1, le=64)
    ai_addr: str = Field("localhost:50053", validation_alias=AliasChoices("AI_ADDR", "CONDUCTOR_AI_ADDR"))
    channels_email_addr: str = Field("localhost:50054", validation_alias=AliasChoices("CHANNELS_EMAIL_ADDR"))
    channels_whatsapp_cloud_addr: str = Field(
        "localhost:50055", validation_alias=AliasChoices("CHANNELS_WHATSAPP_CLOUD_ADDR")
    )
    channels_whatsapp_web_addr: str = Field(
        "localhost:50056", validation_alias=AliasChoices("CHANNELS_WHATSAPP_WEB_ADDR")
    )

    # The relay looks for due jobs this often (and at once again after a full batch).
    relay_interval_seconds: float = 0.25
    relay_batch: int = 200
    # The relay tops each lane up to this many messages in Redis (queued or running).
    relay_lane_max_queued: int = 1000
    # A dispatched job not started within this time is dispatched again.
    dispatch_lease_seconds: int = 30
    # A started job not finished within this time counts as abandoned and runs again.
    run_lease_seconds: int = 300

    # The gateway's public address: the one-click unsubscribe links of
    # marketing emails (follow-ups, sequence steps) point at <public_url>/u/<token>.
    public_url: str = Field(
        "http://localhost:8000", validation_alias=AliasChoices("PUBLIC_URL", "CONDUCTOR_PUBLIC_URL")
    )
    # Deadline of one webhook POST to a company's URL.
    webhook_timeout_seconds: float = 10.0

    # Attempts per job before it is dead-lettered, and the backoff between them: 15 s, 30 s,
    # 1 min, 2 min, ... so that the last attempts come minutes, not seconds, after the first.
    max_attempts: int = 5
    retry_base_seconds: float = 15.0
    retry_max_seconds: float = 600.0
    # A backend that is down (SMTP, the Graph API, the model endpoint, a channel or ai service)
    # spends no attempt: the job waits, from `outage_retry_base_seconds` doubling up to
    # `outage_retry_max_seconds` between tries (how soon after the backend's return it goes
    # out), and is dead-lettered only once it has found backends down for this long.
    outage_max_seconds: float = Field(3600.0, gt=0)
    outage_retry_base_seconds: float = Field(5.0, gt=0)
    outage_retry_max_seconds: float = Field(60.0, gt=0)

    # Worker threads per lane-1 process, and how long an idle worker waits between polls. Many:
    # a first reply holds its thread while it waits on the crm, the model and the mail server.
    # With the offline model make bench saw no difference between 8 and 32 (three pairs); with
    # a real model (1-3 s a reply) 8 threads would cap a worker at roughly 3-8 replies a second.
    lane_threads: int = 32
    # An idle lane-1 worker polls its queue at least this often (Dramatiq backs off up to it
    # between empty fetches). Short, because a first reply waits out the rest of the backoff:
    # make bench, speed to lead at 20 leads/s, p50 161 ms / p99 about 500 ms with 50 ms, and
    # 79-89 ms / 206-214 ms with 10 ms. Only the consumers poll this often; the worker's threads
    # wake every 500 ms (worker.THREAD_WAKE_MS).
    poll_ms: int = Field(10, ge=1, le=10_000)
    # Lane 2 (bulk) is not waited for by anyone: it polls at leisure.
    lane2_poll_ms: int = Field(50, ge=1, le=10_000)
    # Where a lane worker leaves the marker its health check reads (default: $TMPDIR).
    worker_marker_dir: str | None = None
    # Lane 2 runs few threads: bulk jobs still in flight when a first reply arrives share the
    # CPUs with it (make bench, isolation: 2.0x the quiet p95 with 8 threads, 1.2x with 2).
    lane2_threads: int = 2
    # A lane-2 worker waits, before each job, while lane 1 has a job queued or running, at
    # most this long (0: never waits). See yielding.py.
    lane2_yield_max_seconds: float = 2.0
    # Conversation handling: how many earlier messages and knowledge-base
    # matches a reply is written with; how long a lead already in conversation
    # must be quiet before the reply (a burst of messages gets one answer; a
    # lead's first reply never waits); how often a summary is written.
    history_messages: int = 20
    knowledge_matches: int = 5
    coalesce_seconds: float = 2.5
    summary_every_messages: int = 10
    summary_messages: int = 50

    # Deadlines of calls to other services.
    crm_timeout_seconds: float = 10.0
    ai_timeout_seconds: float = 90.0
    channels_timeout_seconds: float = 180.0

    @model_validator(mode="after")
    def _checks(self) -> ConductorSettings:
        if self.env != "development" and not self.internal_token:
            raise ValueError("INTERNAL_TOKEN must be set when ENV is not development")
        if self.max_attempts < 1:
            raise ValueError("CONDUCTOR_MAX_ATTEMPTS must be at least 1")
        if not self.public_url.startswith(("http://", "https://")):
            raise ValueError("PUBLIC_URL must be the gateway's http(s) address")
        if not 1 <= self.history_messages <= 200:
            raise ValueError("CONDUCTOR_HISTORY_MESSAGES must be between 1 and 200")
        if not 1 <= self.knowledge_matches <= 20:
            raise ValueError("CONDUCTOR_KNOWLEDGE_MATCHES must be between 1 and 20")
        if self.coalesce_seconds < 0 or self.summary_every_messages < 0:
            raise ValueError(
                "CONDUCTOR_COALESCE_SECONDS and CONDUCTOR_SUMMARY_EVERY_MESSAGES must not be negative"
            )
        if self.relay_lane_max_queued < 1:
            raise ValueError("CONDUCTOR_RELAY_LANE_MAX_QUEUED must be at least 1")
        if self.lane2_yield_max_seconds < 0:
            raise ValueError("CONDUCTOR_LANE2_YIELD_MAX_SECONDS must not be negative")
        if self.run_lease_seconds <= self.channels_timeout_seconds:
            raise ValueError("CONDUCTOR_RUN_LEASE_SECONDS must exceed CONDUCTOR_CHANNELS_TIMEOUT_SECONDS")
        return self

    @property
    def token(self) -> str | None:
        return self.internal_token.get_secret_value() if self.internal_token else None
