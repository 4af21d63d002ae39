"""A lane worker: one process consuming one lane's queue with a pool of threads.

A worker serves no port. So that a probe can tell a working worker from a
wedged one, it leaves a marker file naming its Dramatiq broker id; the broker
writes a heartbeat for that id into Redis each time its consumer polls the
queue (`<namespace>:__heartbeats__`), and `shvya-healthcheck worker LANE`
checks that heartbeat is fresh.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

import dramatiq
import dramatiq.worker

from shvya_conductor.actors import declare_actors
from shvya_conductor.broker import make_broker
from shvya_conductor.clients import make_clients
from shvya_conductor.lanes import LANES, P1, P2
from shvya_conductor.outages import Outages
from shvya_conductor.runner import Runner, TaskContext
from shvya_conductor.settings import ConductorSettings
from shvya_conductor.tasks import task_functions
from shvya_conductor.yielding import YieldToLane
from shvya_rpc.gc_tuning import freeze_startup_objects
from shvya_rpc.server import wait_for_termination

log = logging.getLogger(__name__)


# How often an idle worker thread wakes to look at its stop flag. Work reaches it at once
# either way (a blocking get on the worker's in-process queue).
THREAD_WAKE_MS = 500


class _Worker(dramatiq.Worker):
    """Dramatiq's Worker, whose `worker_timeout` sets only how long its consumers back off
    between empty polls of Redis (what a first reply waits out), not how often each idle worker
    thread wakes up: Dramatiq uses one value for both, and 32 threads waking every 10 ms cost
    lane 1 more CPU than its work at 20 leads a second."""

    def _add_worker(self) -> None:
        worker = dramatiq.worker.WorkerThread(
            broker=self.broker,
            consumers=self.consumers,
            work_queue=self.work_queue,
            worker_timeout=max(self.worker_timeout, THREAD_WAKE_MS),
        )
        worker.start()
        self.workers.append(worker)


def marker_path(lane: str, directory: str | None = None) -> Path:
    """Where the worker of `lane` leaves its marker ($TMPDIR, a writable emptyDir in Kubernetes)."""
    return Path(directory or tempfile.gettempdir()) / f"shvya-worker-{lane}.json"


class LaneWorker:
    """Starts consuming on start(); stop() lets running jobs finish within the grace period."""

    def __init__(self, settings: ConductorSettings, lane: str, threads: int | None = None) -> None:
        if lane not in LANES:
            raise ValueError(f"unknown lane {lane!r}; lanes are {', '.join(LANES)}")
        self.lane = lane
        self._broker = make_broker(settings)
        if lane == P2 and settings.lane2_yield_max_seconds > 0:
            self._broker.add_middleware(
                YieldToLane(
                    self._broker.client, settings.redis_namespace, P1, settings.lane2_yield_max_seconds
                )
            )
        self._clients = make_clients(settings)
        outages = Outages(
            self._broker.client,
            settings.redis_namespace,
            max_seconds=settings.outage_max_seconds,
            base=settings.outage_retry_base_seconds,
            cap=settings.outage_retry_max_seconds,
        )
        runner = Runner(TaskContext(settings, self._clients), task_functions(), outages)
        declare_actors(self._broker, runner)
        self._worker = _Worker(
            self._broker,
            queues={lane},
            worker_threads=threads or (settings.lane2_threads if lane == P2 else settings.lane_threads),
            worker_timeout=settings.lane2_poll_ms if lane == P2 else settings.poll_ms,
        )
        self._stopped = False
        self._namespace = settings.redis_namespace
        self._marker = marker_path(lane, settings.worker_marker_dir)

    def start(self) -> None:
        self._worker.start()
        self._write_marker()
        log.info("lane %s worker started", self.lane)

    def _write_marker(self) -> None:
        record = {"lane": self.lane, "namespace": self._namespace, "broker_id": self._broker.broker_id}
        try:
            self._marker.parent.mkdir(parents=True, exist_ok=True)
            partial = self._marker.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(record))
            partial.replace(self._marker)
        except OSError as exc:  # the health check then reports it; the worker still works
            log.warning("lane %s: could not write the health marker %s: %s", self.lane, self._marker, exc)

    def _remove_marker(self) -> None:
        # Only our own: another worker of the lane on this machine may have replaced it.
        try:
            if json.loads(self._marker.read_text()).get("broker_id") == self._broker.broker_id:
                self._marker.unlink()
        except (OSError, ValueError, AttributeError):
            pass

    def stop(self, grace_seconds: float = 30.0) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._remove_marker()
        self._worker.stop(timeout=int(grace_seconds * 1000))
        self._broker.close()
        self._clients.close()
        log.info("lane %s worker stopped", self.lane)


def run_lane(settings: ConductorSettings, lane: str) -> None:
    worker = LaneWorker(settings, lane)
    freeze_startup_objects()  # before it takes work: nothing of a job is frozen
    worker.start()
    try:
        wait_for_termination()
    finally:
        worker.stop()
