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
    # A dispatched job not started within this time is dispatched again.
    dispatch_lease_seconds: int = 30
    # A started job not finished within this time counts as abandoned and runs again.
    run_lease_seconds: int = 300

    # Attempts per job before it is dead-lettered, and the backoff between them.
    max_attempts: int = 5
    retry_base_seconds: float = 5.0
    retry_max_seconds: float = 600.0

    # Worker threads per lane process, and how long an idle worker waits between polls.
    lane_threads: int = 8
    poll_ms: int = 50
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
        if self.run_lease_seconds <= self.channels_timeout_seconds:
            raise ValueError("CONDUCTOR_RUN_LEASE_SECONDS must exceed CONDUCTOR_CHANNELS_TIMEOUT_SECONDS")
        return self

    @property
    def token(self) -> str | None:
        return self.internal_token.get_secret_value() if self.internal_token else None
