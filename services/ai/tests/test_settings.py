"""AiSettings: the offline provider is the default without a key; bad combinations are refused."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shvya_ai.settings import AiSettings


def _settings(**values) -> AiSettings:
    return AiSettings(**{"env": "development", "internal_token": None, "openai_api_key": None, **values})


def test_without_a_key_the_default_provider_is_offline():
    assert _settings().provider == "offline"


def test_with_a_key_the_default_provider_is_openai():
    assert _settings(openai_api_key="sk-x").provider == "openai"


def test_offline_can_be_forced_even_with_a_key():
    assert _settings(openai_api_key="sk-x", default_provider="offline").provider == "offline"


def test_openai_as_default_without_a_key_is_refused():
    with pytest.raises(ValidationError, match="OPENAI_API_KEY"):
        _settings(default_provider="openai")


def test_an_unknown_default_provider_is_refused():
    with pytest.raises(ValidationError, match="AI_DEFAULT_PROVIDER"):
        _settings(default_provider="anthropic")


def test_the_reference_defaults():
    settings = _settings()

    assert settings.openai_model == "gpt-4o-mini"
    assert settings.port == 50053


def test_the_reference_guide_key_variable_is_read(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")

    settings = AiSettings(env="development", internal_token=None)

    assert settings.provider == "openai"
    assert settings.openai_api_key.get_secret_value() == "sk-from-env"


def test_outside_development_an_internal_token_is_required():
    with pytest.raises(ValidationError, match="INTERNAL_TOKEN"):
        _settings(env="production")


def test_the_response_format_is_json_schema_unless_a_server_needs_json_mode():
    assert _settings().openai_response_format == "json_schema"
    assert _settings(openai_response_format="json_object").openai_response_format == "json_object"
    with pytest.raises(ValidationError, match="AI_OPENAI_RESPONSE_FORMAT"):
        _settings(openai_response_format="xml")
