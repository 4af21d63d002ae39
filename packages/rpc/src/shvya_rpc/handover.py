"""How a new message's job reaches the conductor: one rule for every door of the mesh.

A form (gateway), a WhatsApp Cloud webhook (gateway) and a WhatsApp Web message
(channels) all enter the crm with IngestInboundMessage asking for a dispatch
lease, so the crm writes the `ai_engage` job already leased to whoever ingested
it. The door then hands the leased job to the conductor (DispatchJobs with
`leased_jobs`), which enqueues it without asking the crm again. If that fails,
the door gives the lease back (ReleaseJobs, only its own lease), and the
conductor's relay dispatches the job at its next pass; if the door dies before
either, the relay takes the job when the lease ends. Either way the job was
written in the same transaction as the message, so it is never lost, and a
lease is held by one dispatcher at a time, so it is never dispatched twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_rpc.log_context import bound

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What became of one leased job (the gateway counts them in a metric)."""

    DISPATCHED = "dispatched"  # the conductor has it
    RELEASED = "released"  # the hand-off failed; the relay dispatches it at its next pass
    LEASE_GONE = "lease_gone"  # the lease had ended or the job had started: the relay or a worker has it
    LEASE_KEPT = "lease_kept"  # the release failed too: the relay dispatches it when the lease ends


@dataclass(frozen=True)
class Leased:
    job_id: str
    task_name: str
    leased_until: Timestamp
    # The trace of the request that leased it, for the lines about it when it is handed over in a
    # call shared with other requests' jobs (a door that batches them, as the gateway does).
    trace_id: str | None = None

    @classmethod
    def of(
        cls, ingested: leads_pb.IngestInboundMessageResponse, trace_id: str | None = None
    ) -> Leased | None:
        """The job an ingest wrote leased to the caller; None for a repeat or a message with no job."""
        if not ingested.job_id or not ingested.job_leased:
            return None
        return cls(ingested.job_id, ingested.task_name, ingested.dispatch_until, trace_id)


def _dispatch_request(jobs: list[Leased]) -> conductor_pb.DispatchJobsRequest:
    return conductor_pb.DispatchJobsRequest(
        leased_jobs=[conductor_pb.LeasedJob(id=job.job_id, task_name=job.task_name) for job in jobs]
    )


def _release_requests(jobs: Iterable[Leased]) -> list[tuple[jobs_pb.ReleaseJobsRequest, list[Leased]]]:
    """One request per lease end: a release names the lease it gives up, so a lease the relay
    took after this one ended is left alone."""
    by_lease: dict[tuple[int, int], list[Leased]] = {}
    for job in jobs:
        by_lease.setdefault((job.leased_until.seconds, job.leased_until.nanos), []).append(job)
    return [
        (
            jobs_pb.ReleaseJobsRequest(job_ids=[j.job_id for j in group], leased_until=group[0].leased_until),
            group,
        )
        for group in by_lease.values()
    ]


def _failed(jobs: list[Leased], why: str, outcome: Outcome) -> dict[str, Outcome]:
    for job in jobs:
        with bound(trace_id=job.trace_id):
            _log_failure(job, why, outcome)
    return {job.job_id: outcome for job in jobs}


def _log_failure(job: Leased, why: str, outcome: Outcome) -> None:
    if outcome is Outcome.RELEASED:
        log.warning("dispatch of job %s failed (%s); released for the relay", job.job_id, why)
    elif outcome is Outcome.LEASE_GONE:
        log.warning(
            "dispatch of job %s failed (%s); its lease had ended or the job had started, "
            "so the relay or a worker has it",
            job.job_id,
            why,
        )
    else:
        log.warning(
            "dispatch of job %s failed (%s), and so did its release; the relay dispatches it "
            "when its lease ends",
            job.job_id,
            why,
        )


def _noted(exc: Exception) -> Exception:
    """An unavailable peer is expected here and logged per job below; anything else is a bug,
    which must not stop the hand-over (the leases still go back) but must not go unseen."""
    if not isinstance(exc, grpc.RpcError):
        log.exception("dispatch hand-over failed unexpectedly", exc_info=exc)
    return exc


def _why(exc: BaseException) -> str:
    return exc.code().name if isinstance(exc, grpc.RpcError) else type(exc).__name__


def _dispatched(jobs: list[Leased], response_or_error) -> tuple[dict[str, Outcome], list[Leased], str]:
    if isinstance(response_or_error, BaseException):
        dispatched, why = set(), _why(response_or_error)
    else:
        dispatched, why = set(response_or_error.dispatched_job_ids), "not dispatched"
    outcomes = {job.job_id: Outcome.DISPATCHED for job in jobs if job.job_id in dispatched}
    return outcomes, [job for job in jobs if job.job_id not in dispatched], why


def _released(group: list[Leased], response_or_error, why: str) -> dict[str, Outcome]:
    if isinstance(response_or_error, BaseException):
        return _failed(group, why, Outcome.LEASE_KEPT)
    released = set(response_or_error.released_job_ids)
    return {
        **_failed([j for j in group if j.job_id in released], why, Outcome.RELEASED),
        **_failed([j for j in group if j.job_id not in released], why, Outcome.LEASE_GONE),
    }


def hand_over(crm, conductor, jobs: list[Leased], timeout: float) -> dict[str, Outcome]:
    """The rule, over synchronous stubs: `crm` a CrmClient, `conductor` a ConductorServiceStub."""
    if not jobs:
        return {}
    try:
        answer = conductor.DispatchJobs(_dispatch_request(jobs), timeout=timeout)
    except Exception as exc:  # whatever went wrong, the leases are given up below
        answer = _noted(exc)
    outcomes, rest, why = _dispatched(jobs, answer)
    for request, group in _release_requests(rest):
        try:
            answer = crm.jobs.ReleaseJobs(request, timeout=timeout)
        except Exception as exc:  # the relay takes the job when its lease ends
            answer = _noted(exc)
        outcomes.update(_released(group, answer, why))
    return outcomes


async def hand_over_async(crm, conductor, jobs: list[Leased], timeout: float) -> dict[str, Outcome]:
    """The same rule over asyncio stubs (the gateway's)."""
    if not jobs:
        return {}
    try:
        answer = await conductor.DispatchJobs(_dispatch_request(jobs), timeout=timeout)
    except Exception as exc:  # whatever went wrong, the leases are given up below
        answer = _noted(exc)
    outcomes, rest, why = _dispatched(jobs, answer)
    for request, group in _release_requests(rest):
        try:
            answer = await crm.jobs.ReleaseJobs(request, timeout=timeout)
        except Exception as exc:  # the relay takes the job when its lease ends
            answer = _noted(exc)
        outcomes.update(_released(group, answer, why))
    return outcomes
