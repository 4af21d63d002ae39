"""POST /inbound-message: a form submission (or any student message) enters the CRM."""

from __future__ import annotations

import logging
from typing import Annotated

import grpc
from fastapi import APIRouter, BackgroundTasks, Header, Request
from fastapi.responses import JSONResponse
from grpc import aio

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_gateway.channel_names import TO_PB
from shvya_gateway.deps import BackendsDep, SettingsDep
from shvya_gateway.errors import validation_error
from shvya_gateway.forms import openapi_body, read_body, validate
from shvya_gateway.intake_guard import refusal
from shvya_gateway.schemas import InboundMessage, InboundMessageResponse
from shvya_rpc.handover import Leased
from shvya_rpc.log_context import current_trace_id

log = logging.getLogger(__name__)
router = APIRouter(tags=["intake"])


@router.post(
    "/inbound-message",
    response_model=InboundMessageResponse,
    summary="Record a student's message and start the AI conversation",
    openapi_extra=openapi_body(InboundMessage),
    responses={
        413: {"description": "Body too large"},
        403: {"description": "The bot check failed"},
        415: {"description": "Unsupported Content-Type"},
        422: {
            "description": "A field is missing or invalid, or the channel asked for is not set up on "
            "this deployment; `detail[].loc` names the field"
        },
        429: {
            "description": "A rate limit was reached (`limit` names it); retry after `Retry-After` seconds"
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
    data = await read_body(request)
    body = validate(InboundMessage, data)
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
    refused = await refusal(request, data, body, settings)
    if refused is not None:
        return refused
    try:
        result = await backends.crm.leads.IngestInboundMessage(
            leads_pb.IngestInboundMessageRequest(
                company_id=str(body.company_id) if body.company_id else "",
                phone_number=body.phone_number,
                contact_name=body.contact_name,
                message_text=body.message_text,
                channel=TO_PB[body.channel],
                email=body.email or "",
                idempotency_key=idempotency_key or "",
                source="form",
                consent=body.consent,
                consent_text=body.consent_text,
                course=body.course,
                dispatch_lease_seconds=settings.dispatch_lease_seconds,
            ),
        )
    except aio.AioRpcError as exc:
        if exc.code() == grpc.StatusCode.FAILED_PRECONDITION and idempotency_key:
            return validation_error(
                ("header", "Idempotency-Key"),
                "was already used with a different request body",
                "idempotency_key_reused",
            )
        raise
    leased = Leased.of(result, current_trace_id())
    if leased is not None:
        background.add_task(request.app.state.fast_dispatch.hand_over, [leased])
    content = InboundMessageResponse(
        message_id=result.message_id, job_id=result.job_id, lead_id=result.lead_id
    )
    headers = {"Idempotent-Replayed": "true"} if result.duplicate else None
    return JSONResponse(content=content.model_dump(), headers=headers, background=background)
