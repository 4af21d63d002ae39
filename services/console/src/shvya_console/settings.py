"""Configuration of the console, read from the environment."""

from __future__ import annotations

import uuid

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shvya_rpc.ports import ListenPort


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONSOLE_", extra="ignore", env_ignore_empty=True)

    env: str = Field("development", validation_alias=AliasChoices("ENV", "CONSOLE_ENV"))
    host: str = "127.0.0.1"
    port: ListenPort = 8080
    crm_addr: str = Field("localhost:50051", validation_alias=AliasChoices("CRM_ADDR", "CONSOLE_CRM_ADDR"))
    conductor_addr: str = Field(
        "localhost:50052", validation_alias=AliasChoices("CONDUCTOR_ADDR", "CONSOLE_CONDUCTOR_ADDR")
    )
    channels_whatsapp_web_addr: str = Field(
        "localhost:50056", validation_alias=AliasChoices("CHANNELS_WHATSAPP_WEB_ADDR")
    )
    channels_whatsapp_cloud_addr: str = Field(
        "localhost:50055", validation_alias=AliasChoices("CHANNELS_WHATSAPP_CLOUD_ADDR")
    )
    internal_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("CONSOLE_INTERNAL_TOKEN", "INTERNAL_TOKEN")
    )
    # Signs the anti-forgery tokens of every form. Every replica needs the same key, or a form
    # rendered by one is refused by another; in development a key is made for the process.
    secret_key: SecretStr | None = None
    # The company whose people sign in without naming one (the sign-in page's "Another company"
    # names any other): the crm's default company unless the crm was given another.
    default_company_id: uuid.UUID = Field(
        uuid.UUID("00000000-0000-4000-8000-000000000001"),
        validation_alias=AliasChoices("CONSOLE_DEFAULT_COMPANY_ID", "CRM_DEFAULT_COMPANY_ID"),
    )
    # The company whose WhatsApp numbers the channels send from (the gateway's setting of the same
    # name; empty: the default company): the crm decides who may manage them by that company.
    whatsapp_company_id: uuid.UUID | None = Field(
        None, validation_alias=AliasChoices("WHATSAPP_CLOUD_COMPANY_ID", "CONSOLE_WHATSAPP_COMPANY_ID")
    )
    request_timeout_seconds: float = 10.0
    # How often the live stream asks the crm whether anything changed.
    live_poll_seconds: float = Field(1.5, gt=0, le=60)
    log_level: str = Field("INFO", validation_alias=AliasChoices("CONSOLE_LOG_LEVEL", "LOG_LEVEL"))
    # Proxies whose X-Forwarded-Proto/For are believed (a TLS-terminating ingress).
    forwarded_allow_ips: str = Field(
        "127.0.0.1", validation_alias=AliasChoices("FORWARDED_ALLOW_IPS", "CONSOLE_FORWARDED_ALLOW_IPS")
    )

    @model_validator(mode="after")
    def _checks(self) -> ConsoleSettings:
        if not self.development:
            if self.secret_key is None:
                raise ValueError("CONSOLE_SECRET_KEY must be set when ENV is not development")
            if not self.internal_token:
                raise ValueError("INTERNAL_TOKEN must be set when ENV is not development")
        if self.secret_key is not None and len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("CONSOLE_SECRET_KEY must be at least 32 characters")
        return self

    @property
    def development(self) -> bool:
        return self.env == "development"

    @property
    def cookie_secure(self) -> bool:
        """Cookies only over HTTPS outside development (a laptop's http://127.0.0.1 has no TLS)."""
        return not self.development

    @property
    def token(self) -> str | None:
        return self.internal_token.get_secret_value() if self.internal_token else None
