"""The relay: claims jobs that are due in the crm ledger and dispatches them to their lanes.

This is the outbox's second half. It catches every job the fast path missed:
jobs written while Redis or the conductor was down, retries whose backoff
has elapsed, jobs whose Redis message was lost, and jobs whose worker died.
"""

from __future__ import annotations

import logging
import threading

import grpc
import redis
from dramatiq.brokers.redis import RedisBroker

from shvya.crm.v1 import crm_service_pb2 as crm_pb
from shvya.crm.v1 import crm_service_pb2_grpc as crm_grpc
from shvya_conductor.dispatch import enqueue
from shvya_conductor.settings import ConductorSettings

log = logging.getLogger(__name__)


class Relay:
    def __init__(
        self, settings: ConductorSettings, crm: crm_grpc.CrmServiceStub, broker: RedisBroker
    ) -> None:
        self._settings = settings
        self._crm = crm
        self._broker = broker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="relay", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def pump(self) -> int:
        """One pass: claim a batch of due jobs and enqueue them. Returns how many."""
        claimed = self._crm.ClaimDueJobs(
            crm_pb.ClaimDueJobsRequest(
                limit=self._settings.relay_batch, lease_seconds=self._settings.dispatch_lease_seconds
            ),
            timeout=self._settings.crm_timeout_seconds,
        ).jobs
        if claimed:
            enqueue(self._broker, list(claimed))
            log.info("relay dispatched %d due job(s)", len(claimed))
        return len(claimed)

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                count = self.pump()
                failures = 0
                if count >= self._settings.relay_batch:
                    continue
                wait = self._settings.relay_interval_seconds
            except (grpc.RpcError, redis.RedisError) as exc:
                failures += 1
                wait = min(self._settings.relay_interval_seconds * 2**failures, 10.0)
                log.warning("relay pass failed (%s); next try in %.1fs", _brief(exc), wait)
            self._stop.wait(wait)


def _brief(exc: Exception) -> str:
    if isinstance(exc, grpc.RpcError):
        return f"{exc.code().name}: {exc.details()}"
    return str(exc)
