"""Runs one job by id: start it in the ledger, run its task, then complete, retry or dead-letter it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import grpc

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya_conductor.attempts import AttemptLimits
from shvya_conductor.clients import Clients
from shvya_conductor.outages import Outages
from shvya_conductor.retry import backoff_seconds
from shvya_conductor.settings import ConductorSettings

log = logging.getLogger(__name__)

_TRANSIENT = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.ABORTED,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
    grpc.StatusCode.CANCELLED,
}


class RetryLater(Exception):
    """The task could not finish now; run it again after a backoff (or `after` seconds)."""

    def __init__(self, reason: str, after: float = 0.0) -> None:
        super().__init__(reason)
        self.after = after


class BackendDown(Exception):
    """A backend the task needs (SMTP, the Graph API, the model endpoint, a channel or the ai
    service) is down: not the job's fault, so it waits the outage out without spending an
    attempt (see outages.Outages). `backend` names it in the dead-letter reason."""

    def __init__(self, backend: str, reason: str) -> None:
        super().__init__(reason)
        self.backend = backend


class Permanent(Exception):
    """The task can never succeed as it stands; dead-letter it for an admin."""


class Deferred(Exception):
    """Not now, and not a failure (pacing, a daily cap, quiet hours, a turn in
    flight): run the job again after `after` seconds without spending an attempt."""

    def __init__(self, reason: str, after: float) -> None:
        super().__init__(reason)
        self.after = after


@dataclass
class TaskContext:
    settings: ConductorSettings
    clients: Clients


# A task returns True when it completed the job itself (in the same
# transaction as its last write); otherwise the runner completes it.
TaskFn = Callable[[TaskContext, jobs_pb.Job], bool | None]


def describe(exc: grpc.RpcError, service: str) -> str:
    return f"{service} {exc.code().name}: {exc.details()}"


class Runner:
    def __init__(
        self,
        context: TaskContext,
        tasks: dict[str, TaskFn],
        outages: Outages,
        limits: AttemptLimits | None = None,
    ) -> None:
        self._ctx = context
        self._tasks = tasks
        self._outages = outages
        self._limits = limits or AttemptLimits(context.clients.crm, context.settings)

    @property
    def _crm(self):
        return self._ctx.clients.crm

    def _timeout(self) -> float:
        return self._ctx.settings.crm_timeout_seconds

    def run(self, job_id: str) -> None:
        settings = self._ctx.settings
        started = self._crm.jobs.StartJob(
            jobs_pb.StartJobRequest(job_id=job_id, lease_seconds=settings.run_lease_seconds),
            timeout=self._timeout(),
        )
        job = started.job
        if not started.proceed:
            log.info("job %s (%s) skipped: %s", job_id, job.task_name, started.reason)
            return
        if job.attempts > self._limits.for_company(job.company_id).max_attempts:
            self._dead_letter(job, f"abandoned after {job.attempts - 1} attempts (worker lost each time)")
            return
        task = self._tasks.get(job.task_name)
        if task is None:
            self._dead_letter(job, f"task {job.task_name!r} is not handled by this conductor")
            return
        try:
            completed = task(self._ctx, job)
        except Deferred as exc:
            self._crm.jobs.DeferJob(
                jobs_pb.DeferJobRequest(job_id=job.id, delay_seconds=exc.after, reason=str(exc)),
                timeout=self._timeout(),
            )
            log.info("job %s (%s) deferred %.0fs: %s", job.id, job.task_name, exc.after, exc)
            return
        except BackendDown as exc:
            self._wait_out(job, exc)
            return
        except RetryLater as exc:
            self._retry_or_dead_letter(job, str(exc), exc.after)
            return
        except Permanent as exc:
            self._dead_letter(job, str(exc))
            return
        except grpc.RpcError as exc:
            reason = f"{self._peer_of(exc)} {exc.code().name}: {exc.details()}"
            if exc.code() in _TRANSIENT:
                self._retry_or_dead_letter(job, reason, 0.0)
            else:
                self._dead_letter(job, reason)
            return
        except Exception as exc:
            log.exception("job %s (%s) raised", job.id, job.task_name)
            self._retry_or_dead_letter(job, f"{type(exc).__name__}: {exc}", 0.0)
            return
        if not completed:
            self._crm.jobs.CompleteJob(jobs_pb.CompleteJobRequest(job_id=job.id), timeout=self._timeout())
        log.info("job %s (%s) completed on attempt %d", job.id, job.task_name, job.attempts)

    def _peer_of(self, exc: grpc.RpcError) -> str:
        """Which service a failed call went to, so that the dead-letter reason names it: read from
        the address gRPC puts in its error, else the crm (the tasks wrap their other peers' errors
        in BackendDown, which names them)."""
        settings = self._ctx.settings
        said = f"{exc.details()} {getattr(exc, 'debug_error_string', lambda: '')()}"
        peers = {
            settings.ai_addr: "ai",
            **{a: f"channels ({a})" for a in self._ctx.clients.channel_addresses.values()},
        }
        for address, name in peers.items():
            if address and address in said:
                return name
        return "crm"

    def _wait_out(self, job: jobs_pb.Job, exc: BackendDown) -> None:
        elapsed, delay = self._outages.wait(job.id)
        if delay is None:
            self._dead_letter(job, f"{exc.backend} down for {elapsed:.0f} s: {exc}")
            return
        self._crm.jobs.DeferJob(
            jobs_pb.DeferJobRequest(job_id=job.id, delay_seconds=delay, reason=f"{exc.backend} down: {exc}"),
            timeout=self._timeout(),
        )
        log.warning(
            "job %s (%s): %s down for %.0f s (%s); waiting %.1f s, no attempt spent",
            job.id,
            job.task_name,
            exc.backend,
            elapsed,
            exc,
            delay,
        )

    def _retry_or_dead_letter(self, job: jobs_pb.Job, reason: str, after: float) -> None:
        settings = self._ctx.settings
        limits = self._limits.for_company(job.company_id)
        if job.attempts >= limits.max_attempts:
            self._dead_letter(job, f"{reason} (gave up after {job.attempts} attempts)")
            return
        # Relative to the crm's clock, which owns every due time.
        delay = max(
            backoff_seconds(job.attempts, settings.retry_base_seconds, limits.retry_max_seconds), after
        )
        self._crm.jobs.FailJob(
            jobs_pb.FailJobRequest(job_id=job.id, error_message=reason, retry_after_seconds=delay),
            timeout=self._timeout(),
        )
        log.warning(
            "job %s (%s) attempt %d failed: %s; retry in %.1fs",
            job.id,
            job.task_name,
            job.attempts,
            reason,
            delay,
        )

    def _dead_letter(self, job: jobs_pb.Job, reason: str) -> None:
        self._crm.jobs.FailJob(
            jobs_pb.FailJobRequest(job_id=job.id, error_message=reason), timeout=self._timeout()
        )
        log.error("job %s (%s) dead-lettered: %s", job.id, job.task_name, reason)
