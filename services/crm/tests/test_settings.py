"""CrmSettings: PostgreSQL only, pinned to psycopg2, and a token outside development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from shvya_crm.settings import CrmSettings


def _settings(**values) -> CrmSettings:
    return CrmSettings(**{"env": "development", "internal_token": None, **values})


@pytest.mark.parametrize(
    "url", ["mysql://ai:ai@localhost/ai", "sqlite:///crm.db", "postgresql+asyncpg://ai@localhost/ai", ""]
)
def test_a_non_postgresql_database_url_is_refused(url):
    with pytest.raises(ValidationError, match="PostgreSQL"):
        _settings(database_url=url)


@pytest.mark.parametrize(
    ("given", "used"),
    [
        (
            "postgresql://ai:ai@localhost:5432/ai_automation",
            "postgresql+psycopg2://ai:ai@localhost:5432/ai_automation",
        ),
        ("postgres://ai@db/ai", "postgresql+psycopg2://ai@db/ai"),
        ("postgresql+psycopg2://ai@db/ai", "postgresql+psycopg2://ai@db/ai"),
    ],
)
def test_a_postgresql_url_is_pinned_to_the_psycopg2_driver(given, used):
    assert _settings(database_url=given).database_url == used


def test_the_reference_guide_database_url_variable_is_read(monkeypatch):
    monkeypatch.delenv("CRM_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://guide@db:5432/ai_automation")

    assert _settings().database_url == "postgresql+psycopg2://guide@db:5432/ai_automation"


def test_outside_development_an_internal_token_is_required():
    with pytest.raises(ValidationError, match="INTERNAL_TOKEN"):
        _settings(env="production")


def test_outside_development_a_token_is_accepted_and_exposed():
    assert _settings(env="production", internal_token="s3cret").token == "s3cret"


def test_the_defaults_are_the_documented_port_and_region():
    settings = _settings()

    assert settings.port == 50051
    assert settings.default_phone_region == "IN"


def test_one_shot_commands_need_no_serving_secret():
    # `python -m shvya_crm migrate` in a production Job serves nothing.
    assert _settings(env="production", serving=False).env == "production"


def test_kubernetes_service_links_do_not_break_the_port(monkeypatch):
    monkeypatch.setenv("CRM_PORT", "tcp://10.96.0.12:50051")
    assert CrmSettings().port == 50051


def test_an_empty_variable_counts_as_unset(monkeypatch):
    monkeypatch.setenv("CRM_DEDUPE_WINDOW_SECONDS", "")
    assert CrmSettings().dedupe_window_seconds == 600


def test_several_processes_with_the_test_clock_are_refused():
    # The test clock's offset lives in the process that was told to move it
    with pytest.raises(ValidationError, match="CRM_PROCESSES must be 1 with CRM_TEST_CLOCK"):
        _settings(processes=2, test_clock=True)


def test_several_processes_need_a_fixed_port():
    with pytest.raises(ValidationError, match="fixed CRM_PORT"):
        _settings(processes=2, port=0)


@pytest.mark.parametrize("processes", [0, -1, 65])
def test_a_process_count_out_of_range_is_refused(processes):
    with pytest.raises(ValidationError, match="processes"):
        _settings(processes=processes)


def test_one_process_is_the_default():
    assert _settings().processes == 1
