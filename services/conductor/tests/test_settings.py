"""Conductor settings refuse configurations that would lose or duplicate work."""

import pytest
from pydantic import ValidationError

from shvya_conductor.settings import ConductorSettings


def test_outside_development_an_internal_token_is_required():
    with pytest.raises(ValidationError, match="INTERNAL_TOKEN"):
        ConductorSettings(env="production")


def test_run_lease_must_outlast_the_longest_channel_call():
    # A lease shorter than a send would let a second worker start the job
    # while the first is still sending.
    with pytest.raises(ValidationError, match="RUN_LEASE"):
        ConductorSettings(run_lease_seconds=60, channels_timeout_seconds=120)


def test_reference_variable_names_configure_the_broker(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://redis.internal:6379/2")
    monkeypatch.setenv("CRM_ADDR", "crm:50051")
    settings = ConductorSettings()
    assert settings.redis_url == "redis://redis.internal:6379/2"
    assert settings.crm_addr == "crm:50051"


def test_conversation_defaults_answer_a_first_message_at_once_and_gather_bursts_later():
    settings = ConductorSettings()
    assert (settings.history_messages, settings.knowledge_matches) == (20, 5)
    assert settings.coalesce_seconds == 2.5
    assert settings.summary_every_messages == 10


@pytest.mark.parametrize(
    "values",
    [
        {"history_messages": 0},
        {"knowledge_matches": 50},
        {"coalesce_seconds": -1},
        {"summary_every_messages": -1},
    ],
)
def test_conversation_settings_out_of_range_are_refused(values):
    with pytest.raises(ValidationError):
        ConductorSettings(**values)
