"""The conductor's queue gauges: the ledger's states and oldest due job as the crm counts them, and
each lane's depth in Redis."""

from __future__ import annotations

import grpc
from prometheus_client import CollectorRegistry

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya_conductor.broker import make_broker
from shvya_conductor.queue_metrics import QueueCollector
from shvya_conductor.settings import ConductorSettings


class LedgerStandIn:
    def __init__(self, counts: jobs_pb.GetJobCountsResponse | None) -> None:
        self.counts = counts

    def GetJobCounts(self, request, timeout=None):
        if self.counts is None:
            raise Unavailable()
        return self.counts

    @property
    def jobs(self) -> LedgerStandIn:
        """The collector reaches the ledger as `crm.jobs`."""
        return self


class Unavailable(grpc.RpcError):
    def code(self):
        return grpc.StatusCode.UNAVAILABLE


def registry_of(crm, redis_url, redis_prefix) -> tuple[CollectorRegistry, object]:
    broker = make_broker(ConductorSettings(redis_url=redis_url, redis_namespace=redis_prefix))
    registry = CollectorRegistry()
    registry.register(QueueCollector(crm, broker, timeout=1))
    return registry, broker


def test_a_follow_up_due_tomorrow_is_scheduled_later_and_a_late_reply_is_due_now(redis_url, redis_prefix):
    counts = jobs_pb.GetJobCountsResponse(
        queued=2, due_now=1, scheduled_later=1, dlq=3, oldest_due_seconds=42.5
    )
    registry, broker = registry_of(LedgerStandIn(counts), redis_url, redis_prefix)
    try:
        value = registry.get_sample_value
        assert value("shvya_jobs", {"state": "due_now"}) == 1
        assert value("shvya_jobs", {"state": "scheduled_later"}) == 1
        assert value("shvya_jobs", {"state": "dlq"}) == 3
        assert value("shvya_jobs_oldest_due_seconds") == 42.5
        assert value("shvya_lane_depth", {"lane": "p1"}) == 0
    finally:
        broker.close()


def test_a_crm_that_cannot_answer_leaves_the_job_gauges_out_rather_than_zero(redis_url, redis_prefix):
    registry, broker = registry_of(LedgerStandIn(None), redis_url, redis_prefix)
    try:
        assert registry.get_sample_value("shvya_jobs", {"state": "dlq"}) is None
        assert registry.get_sample_value("shvya_lane_depth", {"lane": "p2"}) == 0
    finally:
        broker.close()
