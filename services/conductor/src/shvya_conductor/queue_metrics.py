"""The jobs ledger and the lanes as Prometheus gauges, read when Prometheus scrapes the conductor."""

from __future__ import annotations

import logging

import grpc
import redis
from dramatiq.brokers.redis import RedisBroker
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya_conductor.lanes import LANES
from shvya_rpc import tracing

log = logging.getLogger(__name__)

STATES = ("due_now", "scheduled_later", "processing", "completed", "failed", "dlq", "cancelled")


class QueueCollector(Collector):
    """One GetJobCounts per scrape (every 15 to 60 s), not per job: the counts are the ledger's own,
    so every conductor replica reports the same figures (aggregate them with max, not sum)."""

    def __init__(self, crm, broker: RedisBroker, timeout: float) -> None:
        self._crm = crm
        self._broker = broker
        self._timeout = timeout

    def describe(self):
        # Nothing to announce: without this, registering would call the crm once, at start-up.
        return []

    def collect(self):
        jobs = GaugeMetricFamily("shvya_jobs", "Jobs in the ledger by state", labels=["state"])
        oldest = GaugeMetricFamily(
            "shvya_jobs_oldest_due_seconds", "How long the oldest job due now has waited for a worker"
        )
        try:
            with tracing.unsampled():  # a scrape every few seconds is no trace worth keeping
                counts = self._crm.jobs.GetJobCounts(jobs_pb.GetJobCountsRequest(), timeout=self._timeout)
        except grpc.RpcError as exc:
            log.debug("job counts unavailable for metrics: %s", exc.code().name)
        else:
            for state in STATES:
                jobs.add_metric([state], getattr(counts, state))
            oldest.add_metric([], counts.oldest_due_seconds)
        yield jobs
        yield oldest
        depth = GaugeMetricFamily(
            "shvya_lane_depth", "Messages waiting in each lane's Redis queue", labels=["lane"]
        )
        for lane in LANES:
            try:
                depth.add_metric([lane], int(self._broker.do_qsize(lane)))
            except redis.RedisError:
                log.debug("lane %s depth unavailable for metrics", lane)
        yield depth
