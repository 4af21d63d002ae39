"""Configuration of a channels deployment, read from the environment."""

from __future__ import annotations

import uuid
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
    # How long a send may be in flight before another attempt may take over: longer than
    # the slowest send (a long reply typed like a person on WhatsApp Web).
    send_lease_seconds: int = 300
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
    # How long the answer to the end of a message's data is awaited. Giving up sooner than the
    # server takes to answer sends the message again (RFC 5321 4.5.3.2.6 asks for 10 minutes);
    # it stays below the claim's lease, so that no other attempt takes the send over meanwhile.
    smtp_data_timeout_seconds: float = Field(
        120.0, gt=0, validation_alias=AliasChoices("SMTP_DATA_TIMEOUT_SECONDS")
    )
    smtp_from: str = Field("admissions@shvya.local", validation_alias=AliasChoices("SMTP_FROM"))
    # Domain of generated Message-IDs; defaults to the From address's domain.
    smtp_message_id_domain: str | None = Field(None, validation_alias=AliasChoices("SMTP_MESSAGE_ID_DOMAIN"))
    # A CA bundle for servers with a private certificate authority.
    smtp_ca_file: str | None = Field(None, validation_alias=AliasChoices("SMTP_CA_FILE"))

    # -- WhatsApp, both kinds --------------------------------------------------------------
    # Human pacing: typing 50-150 ms a character on WhatsApp Web, about a minute between
    # its messages, a gap between two Cloud API messages to one person. Off only for
    # benchmarks and tests; the daily cap and Meta's throughput limit always apply.
    whatsapp_human_pacing: bool = Field(
        True, validation_alias=AliasChoices("WHATSAPP_HUMAN_PACING", "CHANNELS_WHATSAPP_HUMAN_PACING")
    )

    # -- WhatsApp Cloud API ----------------------------------------------------------------
    # The business phone number's id (not the number) and a system-user access token.
    whatsapp_cloud_phone_id: str = Field("", validation_alias=AliasChoices("WHATSAPP_CLOUD_PHONE_ID"))
    whatsapp_cloud_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("WHATSAPP_CLOUD_TOKEN")
    )
    whatsapp_cloud_graph_url: str = Field(
        "https://graph.facebook.com", validation_alias=AliasChoices("WHATSAPP_CLOUD_GRAPH_URL")
    )
    # Pinned: Meta changes behaviour between versions.
    whatsapp_cloud_api_version: str = Field(
        "v24.0", validation_alias=AliasChoices("WHATSAPP_CLOUD_API_VERSION")
    )
    whatsapp_cloud_timeout_seconds: float = Field(
        20.0, validation_alias=AliasChoices("WHATSAPP_CLOUD_TIMEOUT_SECONDS")
    )
    # Meta's throughput per business number (80 by default; up to 1,000 once raised).
    whatsapp_cloud_mps: int = Field(80, validation_alias=AliasChoices("WHATSAPP_CLOUD_MPS"))
    # Least gap between two messages to the same person (Meta's pair rate limit).
    whatsapp_cloud_pair_gap_seconds: float = Field(
        6.0, validation_alias=AliasChoices("WHATSAPP_CLOUD_PAIR_GAP_SECONDS")
    )

    # -- WhatsApp Web ----------------------------------------------------------------------
    # The linked number's browser profile lives here (a persistent volume in containers).
    whatsapp_session_dir: str = Field(
        "./whatsapp_session", validation_alias=AliasChoices("WHATSAPP_SESSION_DIR")
    )
    # Tests point it at a local page that behaves like WhatsApp Web.
    whatsapp_web_url: str = Field(
        "https://web.whatsapp.com", validation_alias=AliasChoices("WHATSAPP_WEB_URL")
    )
    whatsapp_web_chromium_path: str = Field(
        "/usr/bin/chromium", validation_alias=AliasChoices("WHATSAPP_WEB_CHROMIUM_PATH")
    )
    # The account's name in Redis (pacing, cap, kill switch) and in the admin API; empty:
    # a name generated once and kept in the session directory, so it follows the number.
    whatsapp_web_account: str = Field("", validation_alias=AliasChoices("WHATSAPP_WEB_ACCOUNT"))
    # About one message a minute from the number: gap ± jitter seconds, random each time.
    whatsapp_web_gap_seconds: float = Field(60.0, validation_alias=AliasChoices("WHATSAPP_WEB_GAP_SECONDS"))
    whatsapp_web_gap_jitter_seconds: float = Field(
        15.0, validation_alias=AliasChoices("WHATSAPP_WEB_GAP_JITTER_SECONDS")
    )
    whatsapp_web_daily_cap: int = Field(100, validation_alias=AliasChoices("WHATSAPP_WEB_DAILY_CAP"))
    # The day of the daily cap.
    whatsapp_web_timezone: str = Field("Asia/Kolkata", validation_alias=AliasChoices("WHATSAPP_WEB_TIMEZONE"))
    # How often the page is checked for its login state and for incoming messages.
    whatsapp_web_poll_seconds: float = Field(1.0, validation_alias=AliasChoices("WHATSAPP_WEB_POLL_SECONDS"))
    # Incoming WhatsApp Web messages are recorded in the crm, for this company (empty: the default).
    crm_addr: str = Field("localhost:50051", validation_alias=AliasChoices("CRM_ADDR", "CHANNELS_CRM_ADDR"))
    # ... and their first-reply jobs handed to the conductor, as every door of the mesh does: leased
    # at intake for this long, then dispatched directly (the relay takes them if that fails).
    conductor_addr: str = Field(
        "localhost:50052", validation_alias=AliasChoices("CONDUCTOR_ADDR", "CHANNELS_CONDUCTOR_ADDR")
    )
    dispatch_lease_seconds: int = Field(
        30, ge=1, le=86400, validation_alias=AliasChoices("CONDUCTOR_DISPATCH_LEASE_SECONDS")
    )
    whatsapp_web_company_id: str = Field("", validation_alias=AliasChoices("WHATSAPP_WEB_COMPANY_ID"))

    @model_validator(mode="after")
    def _checks(self) -> ChannelsSettings:
        if self.env != "development" and not self.internal_token:
            raise ValueError("INTERNAL_TOKEN must be set when ENV is not development")
        waits = (
            self.smtp_data_timeout_seconds,
            self.smtp_timeout_seconds,
            self.whatsapp_cloud_timeout_seconds,
        )
        if max(waits) >= self.send_lease_seconds:
            raise ValueError(
                "SMTP_DATA_TIMEOUT_SECONDS, SMTP_TIMEOUT_SECONDS and WHATSAPP_CLOUD_TIMEOUT_SECONDS must be "
                "shorter than CHANNELS_SEND_LEASE_SECONDS: a send still waiting for its answer keeps its claim"
            )
        if bool(self.smtp_user) != bool(self.smtp_password):
            raise ValueError("SMTP_USER and SMTP_PASSWORD must be set together")
        if self.whatsapp_web_gap_jitter_seconds > self.whatsapp_web_gap_seconds:
            raise ValueError("WHATSAPP_WEB_GAP_JITTER_SECONDS must not exceed WHATSAPP_WEB_GAP_SECONDS")
        try:
            ZoneInfo(self.whatsapp_web_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"WHATSAPP_WEB_TIMEZONE {self.whatsapp_web_timezone!r} is not a time zone"
            ) from None
        if self.whatsapp_web_company_id:
            try:
                uuid.UUID(self.whatsapp_web_company_id)
            except ValueError:
                raise ValueError("WHATSAPP_WEB_COMPANY_ID must be a UUID") from None
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
