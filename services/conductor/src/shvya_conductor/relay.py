"""The relay: claims jobs that are due in the crm ledger and dispatches them to their lanes.

This is the outbox's second half. It catches every job the fast path missed:
jobs written while Redis or the conductor was down, retries whose backoff
has elapsed, jobs whose Redis message was lost, and jobs whose worker died.

It fills each lane only up to `relay_lane_max_queued` messages: a backlog of
20,000 bulk jobs waits in the ledger, not in Redis, so their dispatch leases do
not run out while they queue (which would dispatch them all again) and the
crm is not asked to claim them all at once.
"""

from __future__ import annotations

import logging
import threading
import time

import grpc
import redis
from dramatiq.brokers.redis import RedisBroker

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya_conductor.dispatch import enqueue
from shvya_conductor.lanes import LANES, TASKS
from shvya_conductor.settings import ConductorSettings
from shvya_conductor.yielding import lane_messages_key
from shvya_rpc import tracing
from shvya_rpc.crm_client import CrmClient

log = logging.getLogger(__name__)

# How long the relay waits quietly for the crm and Redis when it starts.
STARTUP_GRACE_SECONDS = 60.0


class Relay:
    def __init__(self, settings: ConductorSettings, crm: CrmClient, broker: RedisBroker) -> None:
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
        """One pass: claim due jobs for each lane that has room, and enqueue them.

        Returns the largest number claimed for one lane (a full batch: look again at once)."""
        most = 0
        for lane in LANES:
            room = self._settings.relay_lane_max_queued - self._queued(lane)
            if room <= 0:
                continue
            claimed = self._crm.jobs.ClaimDueJobs(
                jobs_pb.ClaimDueJobsRequest(
                    limit=min(self._settings.relay_batch, room),
                    lease_seconds=self._settings.dispatch_lease_seconds,
                    task_names=[name for name, task in TASKS.items() if task.lane == lane],
                ),
            ).jobs
            if claimed:
                enqueue(self._broker, list(claimed))
                log.info("relay dispatched %d due job(s) to lane %s", len(claimed), lane)
            most = max(most, len(claimed))
        return most

    def _queued(self, lane: str) -> int:
        """Messages of the lane not yet acknowledged: queued or being processed."""
        return self._broker.client.hlen(lane_messages_key(self._settings.redis_namespace, lane))

    def _run(self) -> None:
        failures = 0
        started = time.monotonic()
        reached = False
        while not self._stop.is_set():
            try:
                with tracing.unsampled():
                    count = self.pump()
                failures = 0
                if not reached:
                    reached = True
                    log.debug("relay reached the crm and Redis after %.1fs", time.monotonic() - started)
                if count >= self._settings.relay_batch:
                    continue
                wait = self._settings.relay_interval_seconds
            except (grpc.RpcError, redis.RedisError) as exc:
                failures += 1
                wait = min(self._settings.relay_interval_seconds * 2**failures, 10.0)
                # The mesh's processes start together and the crm takes a few seconds longer than
                # the conductor: not reaching it at first is expected, and only worth a warning if
                # it lasts.
                starting = not reached and time.monotonic() - started < STARTUP_GRACE_SECONDS
                log.log(
                    logging.DEBUG if starting else logging.WARNING,
                    "relay pass failed (%s); next try in %.1fs",
                    _brief(exc),
                    wait,
                )
            self._stop.wait(wait)


def _brief(exc: Exception) -> str:
    if isinstance(exc, grpc.RpcError):
        return f"{exc.code().name}: {exc.details()}"
    return str(exc)
