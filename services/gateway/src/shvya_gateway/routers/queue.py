"""GET /queue/stats and POST /admin/dlq/replay: the jobs ledger as operators see it."""

from __future__ import annotations

from fastapi import APIRouter, Request

from shvya.conductor.v1 import conductor_service_pb2 as pb
from shvya_gateway.deps import AdminDep, BackendsDep, PlatformDep
from shvya_gateway.forms import openapi_body, read_body, validate
from shvya_gateway.schemas import QueueStats, ReplayRequest, ReplayResponse

router = APIRouter(tags=["queue"])


@router.get("/queue/stats", response_model=QueueStats, summary="Jobs by status")
async def queue_stats(backends: BackendsDep) -> QueueStats:
    stats = await backends.conductor.GetQueueStats(pb.GetQueueStatsRequest())
    return QueueStats(
        queued=stats.queued,
        processing=stats.processing,
        completed=stats.completed,
        failed=stats.failed,
        dlq=stats.dlq,
        due_now=stats.due_now,
        scheduled_later=stats.scheduled_later,
        oldest_due_seconds=round(stats.oldest_due_seconds, 3),
    )


@router.post(
    "/admin/dlq/replay",
    response_model=ReplayResponse,
    summary="Re-queue dead-lettered jobs: the ones named, or else the oldest first",
    dependencies=[AdminDep, PlatformDep],
    openapi_extra=openapi_body(ReplayRequest),
)
async def replay_dead_letters(request: Request, backends: BackendsDep) -> ReplayResponse:
    # An empty body means the defaults, so `curl -X POST .../admin/dlq/replay` works.
    data = await read_body(request) if (await request.body()).strip() else {}
    body = validate(ReplayRequest, data)
    result = await backends.conductor.ReplayDeadLetters(
        pb.ReplayDeadLettersRequest(max_jobs=body.max_jobs, job_ids=[str(i) for i in body.job_ids])
    )
    return ReplayResponse(replayed=len(result.job_ids), job_ids=list(result.job_ids))
