"""The relay fills each lane only up to its limit, so a bulk backlog waits in the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya_conductor.broker import make_broker
from shvya_conductor.lanes import P1, P2, TASKS
from shvya_conductor.relay import Relay
from shvya_conductor.settings import ConductorSettings


@dataclass
class LedgerStandIn:
    """Answers ClaimDueJobs from a list of (job id, task) like the crm, recording each request."""

    due: list[tuple[str, str]]
    requests: list[jobs_pb.ClaimDueJobsRequest] = field(default_factory=list)

    def ClaimDueJobs(self, request, timeout=None):
        self.requests.append(request)
        wanted = [(i, t) for i, t in self.due if not request.task_names or t in request.task_names]
        taken = wanted[: request.limit]
        for item in taken:
            self.due.remove(item)
        return jobs_pb.ClaimDueJobsResponse(jobs=[jobs_pb.Job(id=i, task_name=t) for i, t in taken])

    @property
    def jobs(self) -> LedgerStandIn:
        """The relay reaches the ledger as `crm.jobs`."""
        return self


@pytest.fixture
def settings(redis_url, redis_prefix):
    return ConductorSettings(
        redis_url=redis_url, redis_namespace=redis_prefix, relay_batch=50, relay_lane_max_queued=120
    )


def test_a_bulk_backlog_fills_lane_two_only_to_its_limit_and_lane_one_still_gets_its_jobs(settings):
    # Given 500 due webhook jobs and one due first reply
    ledger = LedgerStandIn([(f"w{i}", "webhook_reminder") for i in range(500)] + [("r1", "ai_engage")])
    broker = make_broker(settings)
    relay = Relay(settings, ledger, broker)
    try:
        # When the relay runs until it stops finding room
        while relay.pump():
            pass

        # Then lane 2 holds exactly its limit, the rest wait in the ledger, and lane 1 got its job
        assert broker.client.hlen(f"{settings.redis_namespace}:{P2}.msgs") == 120
        assert len(ledger.due) == 380
        assert broker.client.hlen(f"{settings.redis_namespace}:{P1}.msgs") == 1
        lane_one = {n for n, t in TASKS.items() if t.lane == P1}
        assert any(set(r.task_names) == lane_one for r in ledger.requests)
    finally:
        broker.close()
