"""The relay waits quietly for a crm that is still starting, and warns about one that stays away."""

from __future__ import annotations

import logging
import threading

import grpc
import pytest

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya_conductor import relay as relay_module
from shvya_conductor.broker import make_broker
from shvya_conductor.relay import Relay
from shvya_conductor.settings import ConductorSettings


class Unavailable(grpc.RpcError):
    def code(self):
        return grpc.StatusCode.UNAVAILABLE

    def details(self):
        return "failed to connect to all addresses"


class StartingCrm:
    """Refuses the first `refusals` calls as a crm that is not listening yet does, then answers."""

    def __init__(self, refusals: int) -> None:
        self.refusals = refusals
        self.answered = threading.Event()

    def ClaimDueJobs(self, request, timeout=None):
        if self.refusals > 0:
            self.refusals -= 1
            raise Unavailable()
        self.answered.set()
        return jobs_pb.ClaimDueJobsResponse()

    @property
    def jobs(self) -> StartingCrm:
        """The relay reaches the ledger as `crm.jobs`."""
        return self


@pytest.fixture
def settings(redis_url, redis_prefix):
    return ConductorSettings(redis_url=redis_url, redis_namespace=redis_prefix, relay_interval_seconds=0.05)


def run_until_answered(settings, crm: StartingCrm) -> None:
    broker = make_broker(settings)
    relay = Relay(settings, crm, broker)
    relay.start()
    try:
        assert crm.answered.wait(10), "the relay never reached the crm"
    finally:
        relay.stop()
        broker.close()


def test_a_crm_still_starting_is_waited_for_without_a_warning(settings, caplog):
    caplog.set_level(logging.DEBUG, logger="shvya_conductor.relay")

    run_until_answered(settings, StartingCrm(refusals=3))

    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert sum("relay pass failed" in r.getMessage() for r in caplog.records) == 3


def test_a_crm_away_past_the_start_up_grace_is_warned_about(settings, caplog, monkeypatch):
    monkeypatch.setattr(relay_module, "STARTUP_GRACE_SECONDS", 0.0)
    caplog.set_level(logging.DEBUG, logger="shvya_conductor.relay")

    run_until_answered(settings, StartingCrm(refusals=2))

    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert all("relay pass failed (UNAVAILABLE" in w for w in warnings)
