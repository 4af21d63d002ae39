"""Configuration of the ai service, read from the environment."""

from __future__ import annotations

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shvya_rpc.ports import ListenPort


class AiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AI_", extra="ignore", env_ignore_empty=True)

    env: str = Field("development", validation_alias=AliasChoices("ENV", "AI_ENV"))
    host: str = "[::]"
    port: ListenPort = 50053
    max_workers: int = 16
    internal_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("AI_INTERNAL_TOKEN", "INTERNAL_TOKEN")
    )
    # "openai", "offline", or empty: openai when OPENAI_API_KEY is set, else offline.
    default_provider: str = ""
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "AI_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        None, validation_alias=AliasChoices("OPENAI_BASE_URL", "AI_OPENAI_BASE_URL")
    )
    openai_model: str = Field("gpt-4o-mini", validation_alias=AliasChoices("OPENAI_MODEL", "AI_OPENAI_MODEL"))
    # Per request; the openai client retries 429, 5xx and connection errors this
    # many times with backoff before the turn fails (and the job retries later).
    openai_timeout_seconds: float = 30.0
    openai_max_retries: int = 3
    # json_schema (OpenAI, vLLM, llama.cpp, recent Ollama) or json_object for
    # servers that only know JSON mode; the answer is validated either way.
    openai_response_format: str = "json_schema"
    log_level: str = Field("INFO", validation_alias=AliasChoices("AI_LOG_LEVEL", "LOG_LEVEL"))

    @model_validator(mode="after")
    def _checks(self) -> AiSettings:
        if self.default_provider not in ("", "openai", "offline"):
            raise ValueError("AI_DEFAULT_PROVIDER must be openai, offline or empty")
        if self.default_provider == "openai" and not self.openai_api_key:
            raise ValueError("AI_DEFAULT_PROVIDER=openai needs OPENAI_API_KEY")
        if self.openai_response_format not in ("json_schema", "json_object"):
            raise ValueError("AI_OPENAI_RESPONSE_FORMAT must be json_schema or json_object")
        if self.env != "development" and not self.internal_token:
            raise ValueError("INTERNAL_TOKEN must be set when ENV is not development")
        return self

    @property
    def provider(self) -> str:
        if self.default_provider:
            return self.default_provider
        return "openai" if self.openai_api_key else "offline"

    @property
    def token(self) -> str | None:
        return self.internal_token.get_secret_value() if self.internal_token else None
