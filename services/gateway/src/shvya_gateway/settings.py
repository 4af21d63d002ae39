"""Configuration of the gateway, read from the environment."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from limits import parse_many
from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shvya_rpc.ports import ListenPort


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", env_ignore_empty=True)

    env: str = Field("development", validation_alias=AliasChoices("ENV", "GATEWAY_ENV"))
    host: str = "127.0.0.1"
    port: ListenPort = 8000
    # uvicorn worker processes; each holds its own gRPC channels.
    workers: int = 1
    crm_addr: str = Field("localhost:50051", validation_alias=AliasChoices("CRM_ADDR", "GATEWAY_CRM_ADDR"))
    # Connections to the crm, each call on the next: spreads the calls over every crm process
    # (CRM_PROCESSES) or pod behind crm_addr, which balance connections, not calls.
    crm_connections: int = Field(4, ge=1, le=64)
    conductor_addr: str = Field(
        "localhost:50052", validation_alias=AliasChoices("CONDUCTOR_ADDR", "GATEWAY_CONDUCTOR_ADDR")
    )
    internal_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("GATEWAY_INTERNAL_TOKEN", "INTERNAL_TOKEN")
    )
    # Bearer token for /admin/* and /leads/*; required outside development.
    admin_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("ADMIN_TOKEN", "GATEWAY_ADMIN_TOKEN")
    )
    # The WhatsApp channels, for the admin endpoints (login state, QR code, kill switch).
    channels_whatsapp_web_addr: str = Field(
        "localhost:50056", validation_alias=AliasChoices("CHANNELS_WHATSAPP_WEB_ADDR")
    )
    channels_whatsapp_cloud_addr: str = Field(
        "localhost:50055", validation_alias=AliasChoices("CHANNELS_WHATSAPP_CLOUD_ADDR")
    )
    # Meta's webhook (GET /webhooks/whatsapp): the verify token you typed into Meta's app
    # dashboard, and the app secret that signs every POST (X-Hub-Signature-256).
    whatsapp_verify_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("WHATSAPP_CLOUD_VERIFY_TOKEN", "WHATSAPP_VERIFY_TOKEN")
    )
    whatsapp_app_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("WHATSAPP_CLOUD_APP_SECRET", "WHATSAPP_APP_SECRET")
    )
    # The company whose leads write to the Cloud API number (empty: the default company).
    whatsapp_cloud_company_id: str = Field("", validation_alias=AliasChoices("WHATSAPP_CLOUD_COMPANY_ID"))
    max_body_bytes: int = 64 * 1024
    # Browsers may post forms from these origins (comma-separated; * for any).
    cors_origins: Annotated[list[str], NoDecode] = ["*"]
    request_timeout_seconds: float = 10.0
    # The job of a message that enters here (a form, a WhatsApp Cloud webhook) is leased for
    # dispatch at intake for this long and handed to the conductor directly; if the gateway dies
    # before it does, the relay dispatches the job when the lease ends. The conductor's own
    # dispatch lease: one variable for every door (shvya_rpc.handover).
    dispatch_lease_seconds: int = Field(
        30,
        ge=1,
        le=86400,
        validation_alias=AliasChoices("CONDUCTOR_DISPATCH_LEASE_SECONDS", "GATEWAY_DISPATCH_LEASE_SECONDS"),
    )
    log_level: str = Field("INFO", validation_alias=AliasChoices("GATEWAY_LOG_LEVEL", "LOG_LEVEL"))

    # -- the public intake's defences ---------------------------------------------------------
    # Proxies (addresses or CIDR ranges, comma-separated; * for any) whose X-Forwarded-For
    # gives the client address: behind an ingress, its addresses, or every form counts as
    # coming from the ingress. Only these: anyone else could claim any address.
    forwarded_allow_ips: str = Field(
        "127.0.0.1", validation_alias=AliasChoices("FORWARDED_ALLOW_IPS", "GATEWAY_FORWARDED_ALLOW_IPS")
    )
    # Where the rate limits are counted, shared by every gateway replica. If Redis is down the
    # intake stays open (its leads are in PostgreSQL) and the limits are not enforced meanwhile.
    redis_url: str = Field(
        "redis://localhost:6379/0", validation_alias=AliasChoices("GATEWAY_REDIS_URL", "REDIS_URL")
    )
    redis_prefix: str = "shvya"
    rate_limits_enabled: bool = True
    # Limits on POST /inbound-message, in the notation "N/second|minute|hour|day", several
    # separated by ";"; empty: no limit of that kind. The client address is the peer's, or
    # X-Forwarded-For's when the peer is in forwarded_allow_ips.
    rate_limit_per_address: str = "20/minute;200/hour"
    rate_limit_per_phone: str = "5/minute;20/hour"
    rate_limit_per_email: str = "5/minute;20/hour"
    rate_limit_per_company: str = "300/minute;5000/hour"
    # First emails to addresses a company has not written to before: what a script that
    # posts forms with other people's addresses would spend.
    new_email_addresses_per_company: str = "100/hour"
    # How long an address counts as known after its first form.
    known_email_seconds: int = Field(30 * 86400, ge=3600)
    # A form input hidden from people (CSS) that bots fill in; a form that fills it is refused.
    # Empty: no honeypot.
    honeypot_field: str = Field("website", max_length=64)
    # Optional bot check of each form, verified server-side with the provider's siteverify.
    bot_check: Literal["", "turnstile", "hcaptcha", "recaptcha"] = ""
    bot_check_secret: SecretStr | None = None
    # The provider's verification endpoint; empty: the provider's own.
    bot_check_verify_url: str = ""
    bot_check_timeout_seconds: float = Field(5.0, gt=0, le=30)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        return value

    @field_validator(
        "rate_limit_per_address",
        "rate_limit_per_phone",
        "rate_limit_per_email",
        "rate_limit_per_company",
        "new_email_addresses_per_company",
    )
    @classmethod
    def _limits(cls, value: str) -> str:
        if value.strip():
            try:
                parse_many(value)
            except ValueError:
                raise ValueError(f"{value!r} is not a rate limit such as 20/minute;200/hour") from None
        return value.strip()

    @model_validator(mode="after")
    def _checks(self) -> GatewaySettings:
        if self.bot_check and not self.bot_check_secret:
            raise ValueError("GATEWAY_BOT_CHECK_SECRET must be set when GATEWAY_BOT_CHECK is")
        if self.env != "development":
            if not self.admin_token:
                raise ValueError("ADMIN_TOKEN must be set when ENV is not development")
            if not self.internal_token:
                raise ValueError("INTERNAL_TOKEN must be set when ENV is not development")
        if self.admin_token and len(self.admin_token.get_secret_value()) < 16:
            raise ValueError("ADMIN_TOKEN must be at least 16 characters")
        if self.whatsapp_cloud_company_id:
            try:
                uuid.UUID(self.whatsapp_cloud_company_id)
            except ValueError:
                raise ValueError("WHATSAPP_CLOUD_COMPANY_ID must be a UUID") from None
        return self

    @property
    def token(self) -> str | None:
        return self.internal_token.get_secret_value() if self.internal_token else None
