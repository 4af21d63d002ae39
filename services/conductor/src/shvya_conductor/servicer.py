"""The ConductorService gRPC interface."""

from __future__ import annotations

import logging
import uuid

import grpc
import redis
from dramatiq.brokers.redis import RedisBroker

from shvya.ai.v1 import ai_service_pb2_grpc
from shvya.conductor.v1 import conductor_service_pb2 as pb
from shvya.conductor.v1 import conductor_service_pb2_grpc as pb_grpc
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya_conductor import preview
from shvya_conductor.conversation import compose_request
from shvya_conductor.dispatch import enqueue
from shvya_conductor.lanes import LANES, TASKS
from shvya_conductor.settings import ConductorSettings
from shvya_rpc.credentials import credential_of, forwarding
from shvya_rpc.crm_client import CrmClient
from shvya_rpc.errors import abort_invalid

log = logging.getLogger(__name__)

MAX_REPLAY = 1000


class ConductorServicer(pb_grpc.ConductorServiceServicer):
    def __init__(
        self,
        settings: ConductorSettings,
        crm: CrmClient,
        broker: RedisBroker,
        ai: ai_service_pb2_grpc.AiServiceStub,
    ) -> None:
        self._settings = settings
        self._crm = crm
        self._broker = broker
        self._ai = ai

    def _claim(self, job_ids: list[str]) -> list[jobs_pb.Job]:
        """Raises grpc.RpcError."""
        return list(
            self._crm.jobs.ClaimJobs(
                jobs_pb.ClaimJobsRequest(
                    job_ids=job_ids, lease_seconds=self._settings.dispatch_lease_seconds
                ),
            ).jobs
        )

    def _claim_and_enqueue(self, job_ids: list[str]) -> list[str]:
        """Raises grpc.RpcError (crm) or redis.RedisError; claims that were not
        enqueued expire and the relay dispatches those jobs later."""
        return enqueue(self._broker, self._claim(job_ids))

    def DispatchJobs(self, request: pb.DispatchJobsRequest, context):
        problems = {}
        if len(request.job_ids) > MAX_REPLAY:
            problems["job_ids"] = f"at most {MAX_REPLAY} per call"
        elif not all(_is_uuid(i) for i in request.job_ids):
            problems["job_ids"] = "each must be a job id (a UUID)"
        if len(request.leased_jobs) > MAX_REPLAY:
            problems["leased_jobs"] = f"at most {MAX_REPLAY} per call"
        elif not all(_is_uuid(job.id) and job.task_name in TASKS for job in request.leased_jobs):
            problems["leased_jobs"] = f"each needs a job id (a UUID) and a task_name of {', '.join(TASKS)}"
        if problems:
            abort_invalid(context, problems)
        # Each job once, even if named twice.
        leased = list({job.id: job for job in request.leased_jobs}.values())
        try:
            # The crm first: a claim that fails leaves nothing half done in Redis.
            claimed = self._claim(list(dict.fromkeys(request.job_ids))) if request.job_ids else []
            # Jobs leased at intake go straight to their lanes: the crm has nothing to add.
            dispatched = enqueue(self._broker, [*leased, *claimed])
        except grpc.RpcError as exc:
            context.abort(_passthrough(exc.code()), f"crm: {exc.details()}")
        except redis.RedisError as exc:
            context.abort(grpc.StatusCode.UNAVAILABLE, f"redis unavailable: {exc}")
        return pb.DispatchJobsResponse(dispatched_job_ids=dispatched)

    def GetQueueStats(self, request, context):
        try:
            counts = self._crm.jobs.GetJobCounts(jobs_pb.GetJobCountsRequest())
        except grpc.RpcError as exc:
            context.abort(_passthrough(exc.code()), f"crm: {exc.details()}")
        lanes = []
        for lane in LANES:
            try:
                depth = int(self._broker.do_qsize(lane))
            except redis.RedisError:
                depth = -1
            lanes.append(pb.LaneDepth(lane=lane, depth=depth))
        return pb.GetQueueStatsResponse(
            queued=counts.queued,
            processing=counts.processing,
            completed=counts.completed,
            failed=counts.failed,
            dlq=counts.dlq,
            cancelled=counts.cancelled,
            lanes=lanes,
            due_now=counts.due_now,
            scheduled_later=counts.scheduled_later,
            oldest_due_seconds=counts.oldest_due_seconds,
        )

    def ReplayDeadLetters(self, request: pb.ReplayDeadLettersRequest, context):
        problems = {}
        if len(request.job_ids) > MAX_REPLAY:
            problems["job_ids"] = f"at most {MAX_REPLAY} per call"
        elif not all(_is_uuid(i) for i in request.job_ids):
            problems["job_ids"] = "each must be a job id (a UUID)"
        elif not request.job_ids and not 1 <= request.max_jobs <= MAX_REPLAY:
            problems["max_jobs"] = f"must be between 1 and {MAX_REPLAY}"
        if request.company_id and not _is_uuid(request.company_id):
            problems["company_id"] = "must be a UUID"
        if problems:
            abort_invalid(context, problems)
        try:
            # Whether the caller may replay these is the crm's to decide, on the caller's credential.
            with forwarding(credential_of(context)):
                requeued = self._crm.jobs.RequeueDeadJobs(
                    jobs_pb.RequeueDeadJobsRequest(
                        max_jobs=request.max_jobs,
                        company_id=request.company_id,
                        job_ids=list(request.job_ids),
                    ),
                ).jobs
        except grpc.RpcError as exc:
            context.abort(_answer(exc.code()), f"crm: {exc.details()}")
        ids = [job.id for job in requeued]
        if ids:
            # Dispatching is the mesh's own work (claiming is no person's to do), so no credential.
            try:
                self._claim_and_enqueue(ids)
            except (grpc.RpcError, redis.RedisError) as exc:
                # Requeued in the ledger already; the relay will dispatch them.
                log.warning("replayed %d job(s); dispatch deferred to the relay (%s)", len(ids), exc)
        log.info("replayed %d dead-lettered job(s)", len(ids))
        return pb.ReplayDeadLettersResponse(job_ids=ids)

    def PreviewReply(self, request: pb.PreviewReplyRequest, context):
        problems = preview.problems(request)
        if problems:
            abort_invalid(context, problems)
        try:
            with forwarding(credential_of(context)):
                reply_context = preview.context(self._crm, request, self._settings)
        except grpc.RpcError as exc:
            context.abort(_answer(exc.code()), f"crm: {exc.details()}")
        try:
            reply = self._ai.ComposeReply(compose_request(reply_context))
        except grpc.RpcError as exc:
            context.abort(_passthrough(exc.code()), f"ai: {exc.details()}")
        return preview.response(reply, reply_context)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _passthrough(code: grpc.StatusCode) -> grpc.StatusCode:
    return (
        code
        if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
        else grpc.StatusCode.INTERNAL
    )


# What the crm says of the request itself or of who asks, told to the caller as it is.
_THE_CALLERS = {
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.FAILED_PRECONDITION,
}


def _answer(code: grpc.StatusCode) -> grpc.StatusCode:
    return code if code in _THE_CALLERS else _passthrough(code)
