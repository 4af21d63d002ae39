"""A lane worker: one process consuming one lane's queue with a pool of threads."""

from __future__ import annotations

import logging

import dramatiq

from shvya_conductor.actors import declare_actors
from shvya_conductor.broker import make_broker
from shvya_conductor.clients import make_clients
from shvya_conductor.lanes import LANES
from shvya_conductor.runner import Runner, TaskContext
from shvya_conductor.settings import ConductorSettings
from shvya_conductor.tasks import task_functions
from shvya_rpc.server import wait_for_termination

log = logging.getLogger(__name__)


class LaneWorker:
    """Starts consuming on start(); stop() lets running jobs finish within the grace period."""

    def __init__(self, settings: ConductorSettings, lane: str, threads: int | None = None) -> None:
        if lane not in LANES:
            raise ValueError(f"unknown lane {lane!r}; lanes are {', '.join(LANES)}")
        self.lane = lane
        self._broker = make_broker(settings)
        self._clients = make_clients(settings)
        runner = Runner(TaskContext(settings, self._clients), task_functions())
        declare_actors(self._broker, runner)
        self._worker = dramatiq.Worker(
            self._broker,
            queues={lane},
            worker_threads=threads or settings.lane_threads,
            worker_timeout=settings.poll_ms,
        )
        self._stopped = False

    def start(self) -> None:
        self._worker.start()
        log.info("lane %s worker started", self.lane)

    def stop(self, grace_seconds: float = 30.0) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._worker.stop(timeout=int(grace_seconds * 1000))
        self._broker.close()
        self._clients.close()
        log.info("lane %s worker stopped", self.lane)


def run_lane(settings: ConductorSettings, lane: str) -> None:
    worker = LaneWorker(settings, lane)
    worker.start()
    try:
        wait_for_termination()
    finally:
        worker.stop()
