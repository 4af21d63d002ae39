"""Configuration of the crm service, read from the environment."""

from __future__ import annotations

import uuid

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shvya_rpc.ports import ListenPort

# The company used when an intake names none. `make up` seeds the demo
# catalogue into it, so a fresh install answers with real course facts.
DEFAULT_COMPANY_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")


def psycopg2_url(url: str) -> str:
    """The documented `postgresql://` URLs, pinned to the psycopg2 driver
    (SQLAlchemy 2.1 would otherwise pick psycopg 3)."""
    for prefix in ("postgresql+psycopg2://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix) :]
    raise ValueError("crm needs PostgreSQL: DATABASE_URL must start with postgresql://")


class CrmSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_", extra="ignore", env_ignore_empty=True)

    env: str = Field("development", validation_alias=AliasChoices("ENV", "CRM_ENV"))
    database_url: str = Field(
        "postgresql://ai:ai@localhost:5432/ai_automation",
        validation_alias=AliasChoices("CRM_DATABASE_URL", "DATABASE_URL"),
    )
    host: str = "[::]"
    port: ListenPort = 50051
    # Threads serving RPCs. Few: the work is Python holding the GIL between database calls, and
    # on 2 cores make bench measured intake at 98-106 req/s with 32 threads, 110-148 with 8
    # (less GIL contention). More calls than threads wait for one, up to max_concurrent_rpcs.
    max_workers: int = 8
    max_concurrent_rpcs: int = 1024
    # Processes serving the port together (SO_REUSEPORT), each with max_workers threads and
    # a db_pool_size pool: one process uses at most one core (the GIL). On one machine, one
    # per core the crm should use; on Kubernetes, 1 and more replicas.
    processes: int = Field(1, ge=1, le=64)
    db_pool_size: int = 16
    internal_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("CRM_INTERNAL_TOKEN", "INTERNAL_TOKEN")
    )
    # The platform operator's key (the gateway's ADMIN_TOKEN): a caller that presents it acts on
    # every company. Unset: nobody is the platform operator.
    admin_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("CRM_ADMIN_TOKEN", "ADMIN_TOKEN")
    )
    session_ttl_seconds: int = Field(12 * 3600, ge=60)
    # How long the dashboard's numbers (GetLeadStats) are served from reports_cache before they
    # are worked out again; 0 works them out on every call. Counting a large company's leads by
    # stage, course and channel reads every lead.
    stats_max_age_seconds: int = Field(30, ge=0, le=3600)
    invitation_ttl_seconds: int = Field(7 * 86400, ge=60)
    password_reset_ttl_seconds: int = Field(30 * 60, ge=60)
    # Where people sign in: invitation and password-reset emails link to it.
    console_url: str = Field(
        "http://localhost:8080", validation_alias=AliasChoices("CRM_CONSOLE_URL", "CONSOLE_URL")
    )
    # `seed-demo` creates an owner for the demo company only when a password is given.
    demo_owner_email: str = Field("owner@demo.shvya.in", validation_alias=AliasChoices("DEMO_OWNER_EMAIL"))
    demo_owner_password: SecretStr | None = Field(None, validation_alias=AliasChoices("DEMO_OWNER_PASSWORD"))
    default_company_id: uuid.UUID = DEFAULT_COMPANY_ID
    default_company_name: str = "Default Company"
    default_phone_region: str = "IN"
    # An identical form body for the same lead inside this window is a
    # re-post, not a new message.
    dedupe_window_seconds: int = 600
    # Lets SetClock move the crm's time forward (tests of follow-ups and
    # sequences). Refused outside development.
    test_clock: bool = False
    # False for one-shot commands (migrate, seed-demo), which serve nothing
    # and so need no serving secrets.
    serving: bool = True
    log_level: str = Field("INFO", validation_alias=AliasChoices("CRM_LOG_LEVEL", "LOG_LEVEL"))

    @field_validator("database_url")
    @classmethod
    def _postgres_only(cls, value: str) -> str:
        return psycopg2_url(value)

    @model_validator(mode="after")
    def _token_outside_development(self) -> CrmSettings:
        if self.env != "development" and self.serving and not self.internal_token:
            raise ValueError("INTERNAL_TOKEN must be set when ENV is not development")
        if self.env != "development" and self.test_clock:
            raise ValueError("CRM_TEST_CLOCK is for development and tests only")
        if self.processes > 1 and self.test_clock:
            raise ValueError(
                "CRM_PROCESSES must be 1 with CRM_TEST_CLOCK: the test clock lives in one process"
            )
        if self.processes > 1 and self.port == 0:
            raise ValueError("CRM_PROCESSES > 1 needs a fixed CRM_PORT: the processes share it")
        return self

    def company_name_for(self, company_id: uuid.UUID) -> str:
        """The name a company gets when the crm creates it on first contact."""
        if company_id == self.default_company_id:
            return self.default_company_name
        return f"Company {str(company_id)[:8]}"

    @property
    def token(self) -> str | None:
        return self.internal_token.get_secret_value() if self.internal_token else None

    @property
    def platform_token(self) -> str | None:
        return self.admin_token.get_secret_value() if self.admin_token else None
