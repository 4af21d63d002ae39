"""Configuration of a channels deployment, read from the environment."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shvya_rpc.ports import ListenPort


class ChannelKind(StrEnum):
    EMAIL = "email"
    WHATSAPP_CLOUD = "whatsapp_cloud"
    WHATSAPP_WEB = "whatsapp_web"


DEFAULT_PORTS = {ChannelKind.EMAIL: 50054, ChannelKind.WHATSAPP_CLOUD: 50055, ChannelKind.WHATSAPP_WEB: 50056}


class SmtpSecurity(StrEnum):
    AUTO = "auto"  # implicit TLS on 465, STARTTLS required on 587, otherwise plain
    SSL = "ssl"  # implicit TLS
    STARTTLS = "starttls"  # STARTTLS, required
    NONE = "none"  # plain text: a local sink or a relay on a trusted network only


class ChannelsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHANNELS_", extra="ignore", env_ignore_empty=True)

    env: str = Field("development", validation_alias=AliasChoices("ENV", "CHANNELS_ENV"))
    channel: ChannelKind = ChannelKind.EMAIL
    host: str = "[::]"
    # 0 means the channel's default port.
    port: ListenPort = 0
    max_workers: int = 16
    internal_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("CHANNELS_INTERNAL_TOKEN", "INTERNAL_TOKEN")
    )
    redis_url: str = Field(
        "redis://localhost:6379/0", validation_alias=AliasChoices("CHANNELS_REDIS_URL", "REDIS_URL")
    )
    redis_prefix: str = "shvya"
    # How long a send may be in flight before another attempt may take over.
    send_lease_seconds: int = 120
    # How long a completed send is remembered for de-duplication.
    send_memory_seconds: int = 30 * 24 * 3600
    log_level: str = Field("INFO", validation_alias=AliasChoices("CHANNELS_LOG_LEVEL", "LOG_LEVEL"))

    # Unset: the local SMTP sink that `make up` runs on localhost:1025.
    smtp_host: str = Field("localhost", validation_alias=AliasChoices("SMTP_HOST"))
    # Unset: 1025 for the local sink, 587 (submission with STARTTLS) for a real server.
    smtp_port_setting: int | None = Field(None, validation_alias=AliasChoices("SMTP_PORT", "smtp_port"))
    smtp_user: str | None = Field(None, validation_alias=AliasChoices("SMTP_USER"))
    smtp_password: SecretStr | None = Field(None, validation_alias=AliasChoices("SMTP_PASSWORD"))
    smtp_security: SmtpSecurity = Field(SmtpSecurity.AUTO, validation_alias=AliasChoices("SMTP_SECURITY"))
    smtp_timeout_seconds: float = Field(20.0, validation_alias=AliasChoices("SMTP_TIMEOUT_SECONDS"))
    smtp_from: str = Field("admissions@shvya.local", validation_alias=AliasChoices("SMTP_FROM"))
    # Domain of generated Message-IDs; defaults to the From address's domain.
    smtp_message_id_domain: str | None = Field(None, validation_alias=AliasChoices("SMTP_MESSAGE_ID_DOMAIN"))
    # A CA bundle for servers with a private certificate authority.
    smtp_ca_file: str | None = Field(None, validation_alias=AliasChoices("SMTP_CA_FILE"))

    @model_validator(mode="after")
    def _checks(self) -> ChannelsSettings:
        if self.env != "development" and not self.internal_token:
            raise ValueError("INTERNAL_TOKEN must be set when ENV is not development")
        if bool(self.smtp_user) != bool(self.smtp_password):
            raise ValueError("SMTP_USER and SMTP_PASSWORD must be set together")
        return self

    @property
    def smtp_port(self) -> int:
        if self.smtp_port_setting is not None:
            return self.smtp_port_setting
        return 1025 if self.smtp_host in ("localhost", "127.0.0.1", "::1") else 587

    @property
    def listen_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.channel]

    @property
    def token(self) -> str | None:
        return self.internal_token.get_secret_value() if self.internal_token else None

    @property
    def smtp_tls_mode(self) -> SmtpSecurity:
        if self.smtp_security != SmtpSecurity.AUTO:
            return self.smtp_security
        if self.smtp_port == 465:
            return SmtpSecurity.SSL
        if self.smtp_port == 587:
            return SmtpSecurity.STARTTLS
        return SmtpSecurity.NONE
