"""POST /inbound-message: a form submission (or any student message) enters the CRM."""

from __future__ import annotations

import logging
from typing import Annotated

import grpc
from fastapi import APIRouter, BackgroundTasks, Header, Request
from fastapi.responses import JSONResponse
from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import crm_service_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_gateway.backends import Backends
from shvya_gateway.deps import BackendsDep, SettingsDep
from shvya_gateway.errors import validation_error
from shvya_gateway.forms import openapi_body, read_body, validate
from shvya_gateway.metrics import Metrics
from shvya_gateway.schemas import InboundMessage, InboundMessageResponse

log = logging.getLogger(__name__)
router = APIRouter(tags=["intake"])

CHANNELS = {
    "whatsapp_web": channel_pb2.CHANNEL_WHATSAPP_WEB,
    "whatsapp_cloud": channel_pb2.CHANNEL_WHATSAPP_CLOUD,
    "email": channel_pb2.CHANNEL_EMAIL,
}


async def dispatch_now(
    backends: Backends,
    metrics: Metrics,
    job_id: str,
    task_name: str,
    leased_until: Timestamp,
    timeout: float,
) -> None:
    """The fast path to a first reply: the job, leased for dispatch at intake, goes to the
    conductor. If that fails the lease is given up, so the relay dispatches the job at once."""
    try:
        response = await backends.conductor.DispatchJobs(
            conductor_pb.DispatchJobsRequest(
                leased_jobs=[conductor_pb.LeasedJob(id=job_id, task_name=task_name)]
            ),
            timeout=timeout,
        )
        if job_id in response.dispatched_job_ids:
            metrics.fast_dispatch.labels("dispatched").inc()
            return
        reason = "not dispatched"
    except aio.AioRpcError as exc:
        reason = exc.code().name
    except Exception as exc:  # whatever went wrong, the lease is given up below
        reason = type(exc).__name__
    try:
        # Only the lease intake took: if the hand-off outlived it and the relay has leased the
        # job since, that lease is the relay's to keep.
        released = await backends.crm.ReleaseJobs(
            crm_pb.ReleaseJobsRequest(job_ids=[job_id], leased_until=leased_until), timeout=timeout
        )
        if job_id in released.released_job_ids:
            metrics.fast_dispatch.labels("released").inc()
            log.warning("fast dispatch of job %s failed (%s); released for the relay", job_id, reason)
        else:
            metrics.fast_dispatch.labels("lease_gone").inc()
            log.warning(
                "fast dispatch of job %s failed (%s); its lease had already ended or the job had "
                "started, so the relay or a worker has it",
                job_id,
                reason,
            )
    except aio.AioRpcError as exc:
        metrics.fast_dispatch.labels("lease_kept").inc()
        log.warning(
            "fast dispatch of job %s failed (%s), and so did its release (%s); the relay dispatches it "
            "when its dispatch lease ends",
            job_id,
            reason,
            exc.code().name,
        )


@router.post(
    "/inbound-message",
    response_model=InboundMessageResponse,
    summary="Record a student's message and start the AI conversation",
    openapi_extra=openapi_body(InboundMessage),
    responses={
        413: {"description": "Body too large"},
        415: {"description": "Unsupported Content-Type"},
        422: {
            "description": "A field is missing or invalid, or the channel asked for is not set up on "
            "this deployment; `detail[].loc` names the field"
        },
        503: {"description": "A backend is unavailable; retry"},
    },
)
async def inbound_message(
    request: Request,
    background: BackgroundTasks,
    backends: BackendsDep,
    settings: SettingsDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=255,
            description="Repeat a request with the same key to get the same result without a second lead, "
            "job or message.",
        ),
    ] = None,
) -> JSONResponse:
    # Cross-field rules (an email address for the email channel) and the phone
    # number are checked by the crm, which reports every invalid field at once.
    body = validate(InboundMessage, await read_body(request))
    missing = await request.app.state.channel_setup.missing(
        backends, body.channel, settings.request_timeout_seconds
    )
    if missing:
        # Accepted, the lead would wait in the dead letters behind a send that cannot happen.
        return validation_error(
            ("body", "channel"),
            f"the {body.channel} channel is not set up on this deployment ({missing}); "
            "set it up, or ask for another channel",
            "channel_not_configured",
        )
    try:
        result = await backends.crm.IngestInboundMessage(
            crm_pb.IngestInboundMessageRequest(
                company_id=str(body.company_id) if body.company_id else "",
                phone_number=body.phone_number,
                contact_name=body.contact_name,
                message_text=body.message_text,
                channel=CHANNELS[body.channel],
                email=body.email or "",
                idempotency_key=idempotency_key or "",
                source="form",
                consent=body.consent,
                consent_text=body.consent_text,
                course=body.course,
                dispatch_lease_seconds=settings.dispatch_lease_seconds,
            ),
            timeout=settings.request_timeout_seconds,
        )
    except aio.AioRpcError as exc:
        if exc.code() == grpc.StatusCode.FAILED_PRECONDITION and idempotency_key:
            return validation_error(
                ("header", "Idempotency-Key"),
                "was already used with a different request body",
                "idempotency_key_reused",
            )
        raise
    if result.job_leased:
        background.add_task(
            dispatch_now,
            backends,
            request.app.state.metrics,
            result.job_id,
            result.task_name,
            result.dispatch_until,
            settings.request_timeout_seconds,
        )
    content = InboundMessageResponse(
        message_id=result.message_id, job_id=result.job_id, lead_id=result.lead_id
    )
    headers = {"Idempotent-Replayed": "true"} if result.duplicate else None
    return JSONResponse(content=content.model_dump(), headers=headers, background=background)
