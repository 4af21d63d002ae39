"""Counsellors at work on a lead: a human reply, take over and hand back, the assignee."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Header, Path, Request
from fastapi.responses import JSONResponse
from grpc import aio
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import assignment_service_pb2 as assignment_pb
from shvya_gateway.backends import Backends
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep
from shvya_gateway.errors import rpc_error_response, validation_error
from shvya_gateway.forms import openapi_body, read_body, validate
from shvya_gateway.routers.leads import lead_view, message_view
from shvya_gateway.schemas import LeadView, MessageView

log = logging.getLogger(__name__)

router = APIRouter(tags=["counsellors"], dependencies=[AdminDep])

# Who acts when the request names nobody: the operator's key. (Per-user sign-in replaces this.)
OPERATOR = "admin"
Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class TemplateChoice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,200}$", description="An approved WhatsApp template.")]
    language: Annotated[str, Field(max_length=16, description="Empty: the template's only language.")] = ""
    parameters: Annotated[list[Annotated[str, Field(max_length=1000)]], Field(max_length=20)] = Field(
        default_factory=list, description="The template's {variables}, in order."
    )


class HumanReplyRequest(BaseModel):
    """A counsellor's message to the lead, sent on the lead's channel."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Hi Meera, this is Asha from the admissions team. When can I call you?",
                    "author_user_id": "5b0c3f7e-8d2a-4c1e-9f5b-2a7d6e4c1b90",
                    "idempotency_key": "asha-2026-12-02-001",
                },
                {
                    "template": {"name": "counsellor_followup", "language": "en", "parameters": ["Meera"]},
                    "idempotency_key": "asha-2026-12-02-002",
                },
            ]
        },
    )

    text: Annotated[str, Field(max_length=4096, description="Free text; or name a template.")] = ""
    template: TemplateChoice | None = Field(
        None, description="Required on WhatsApp Cloud when the student has not written in 24 hours."
    )
    subject: Annotated[
        str, Field(max_length=300, description="Email only; default: Re: the last subject.")
    ] = ""
    author_user_id: uuid.UUID | None = Field(
        None, description="The user who writes; the operator when absent."
    )
    idempotency_key: Key | None = Field(
        None,
        description="Or the Idempotency-Key header: a repeat sends nothing and returns the first message.",
    )


class HumanReplyResponse(BaseModel):
    message: MessageView
    job_id: str
    created: bool


class TakeOverRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"user_id": "5b0c3f7e-8d2a-4c1e-9f5b-2a7d6e4c1b90"}]}
    )

    user_id: uuid.UUID | None = Field(
        None, description="Who takes the lead; the current assignee when absent."
    )


class HandBackRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"actor": "5b0c3f7e-8d2a-4c1e-9f5b-2a7d6e4c1b90"}]}
    )

    actor: Annotated[str, Field(max_length=200, description="Who hands it back, for the record.")] = ""


class AssigneeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"user_id": "5b0c3f7e-8d2a-4c1e-9f5b-2a7d6e4c1b90"}, {"user_id": None}]
        },
    )

    user_id: uuid.UUID | None = Field(
        description="A counsellor; null picks the next one by rule and round robin."
    )
    reason: Annotated[str, Field(max_length=64)] = "manual"


class AssignResponse(BaseModel):
    lead: LeadView
    changed: bool


async def _dispatch(backends: Backends, job_id: str, timeout: float) -> None:
    """The fast path; when it fails the relay finds the job in the ledger anyway."""
    try:
        await backends.conductor.DispatchJobs(
            conductor_pb.DispatchJobsRequest(job_ids=[job_id]), timeout=timeout
        )
    except aio.AioRpcError as exc:
        log.warning("fast dispatch of job %s failed (%s); the relay will send it", job_id, exc.code().name)


async def _optional_body(request: Request) -> dict:
    return await read_body(request) if (await request.body()).strip() else {}


@router.post(
    "/leads/{lead_id}/messages",
    status_code=202,
    response_model=HumanReplyResponse,
    summary="A counsellor's reply to the lead, sent once on the lead's channel",
    openapi_extra=openapi_body(HumanReplyRequest),
    responses={
        409: {"description": "The lead cannot be messaged (opted out, address gone) or the key was reused"},
        422: {"description": "A field is missing or invalid; `detail[].loc` names it"},
    },
)
async def send_reply(
    lead_id: Annotated[uuid.UUID, Path()],
    request: Request,
    background: BackgroundTasks,
    backends: BackendsDep,
    settings: SettingsDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
):
    body = validate(HumanReplyRequest, await read_body(request))
    key = (idempotency_key or "").strip() or body.idempotency_key
    if not key:
        return validation_error(
            ("header", "Idempotency-Key"), "give the Idempotency-Key header or idempotency_key"
        )
    template = body.template
    try:
        result = await backends.crm.assignment.SendHumanReply(
            assignment_pb.SendHumanReplyRequest(
                lead_id=str(lead_id),
                text=body.text,
                template_name=template.name if template else "",
                template_language=template.language if template else "",
                template_parameters=template.parameters if template else [],
                idempotency_key=key,
                author_user_id=str(body.author_user_id) if body.author_user_id else "",
                subject=body.subject,
            ),
            timeout=settings.request_timeout_seconds,
        )
    except aio.AioRpcError as exc:
        return rpc_error_response(exc)
    if result.created and result.job_id:
        background.add_task(_dispatch, backends, result.job_id, settings.request_timeout_seconds)
    content = HumanReplyResponse(
        message=message_view(result.message), job_id=result.job_id, created=result.created
    )
    headers = None if result.created else {"Idempotent-Replayed": "true"}
    return JSONResponse(status_code=202, content=content.model_dump(), headers=headers, background=background)


@router.post(
    "/leads/{lead_id}/take-over",
    response_model=LeadView,
    summary="A counsellor takes the lead over: the AI stops answering it",
    openapi_extra=openapi_body(TakeOverRequest),
)
async def take_over(
    lead_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep, settings: SettingsDep
):
    body = validate(TakeOverRequest, await _optional_body(request))
    taker = str(body.user_id) if body.user_id else ""
    result = await backends.crm.assignment.TakeOverLead(
        assignment_pb.TakeOverLeadRequest(lead_id=str(lead_id), user_id=taker, actor=taker or OPERATOR),
        timeout=settings.request_timeout_seconds,
    )
    return lead_view(result.lead)


@router.post(
    "/leads/{lead_id}/hand-back",
    response_model=LeadView,
    summary="Hands the lead back to the AI, which answers the student's next message",
    openapi_extra=openapi_body(HandBackRequest),
)
async def hand_back(
    lead_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep, settings: SettingsDep
):
    body = validate(HandBackRequest, await _optional_body(request))
    result = await backends.crm.assignment.HandBackLead(
        assignment_pb.HandBackLeadRequest(lead_id=str(lead_id), actor=body.actor or OPERATOR),
        timeout=settings.request_timeout_seconds,
    )
    return lead_view(result.lead)


@router.put(
    "/leads/{lead_id}/assignee",
    response_model=AssignResponse,
    summary="Assigns the lead to a counsellor (or the next one by rule and round robin); they are notified",
    openapi_extra=openapi_body(AssigneeRequest),
)
async def set_assignee(
    lead_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep, settings: SettingsDep
):
    body = validate(AssigneeRequest, await read_body(request))
    try:
        result = await backends.crm.assignment.AssignLead(
            assignment_pb.AssignLeadRequest(
                lead_id=str(lead_id),
                user_id=str(body.user_id) if body.user_id else "",
                reason=body.reason,
                actor=OPERATOR,
            ),
            timeout=settings.request_timeout_seconds,
        )
    except aio.AioRpcError as exc:
        return rpc_error_response(exc)
    return AssignResponse(lead=lead_view(result.lead), changed=result.changed)
