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
