"""Counsellors at work: a human reply, take over and hand back, the assignee, assignment rules, availability."""

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
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"
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


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    course: Annotated[str, Field(min_length=1, max_length=200)]
    user_ids: Annotated[list[uuid.UUID], Field(min_length=1, max_length=100)]


class AssignmentSettingsBody(BaseModel):
    """A company's assignment rules (first match by course wins) and its reassign-after setting."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reassign_after_minutes": 30,
                    "rules": [
                        {
                            "course": "Data Science and AI",
                            "user_ids": ["5b0c3f7e-8d2a-4c1e-9f5b-2a7d6e4c1b90"],
                        }
                    ],
                }
            ]
        },
    )

    reassign_after_minutes: Annotated[int, Field(ge=0, le=7 * 24 * 60, description="0: never reassign.")]
    rules: Annotated[list[Rule], Field(max_length=100)] = Field(default_factory=list)


class WorkingHoursBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: list[Annotated[int, Field(ge=1, le=7)]] = Field(
        default_factory=list, description="ISO weekdays (1 Monday .. 7 Sunday); empty: every day."
    )
    start: Annotated[str, Field(pattern=HHMM)] | None = None
    end: Annotated[str, Field(pattern=HHMM)] | None = None
    timezone: Annotated[str, Field(max_length=64, description="Empty: the company's.")] = ""


class AvailabilityRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "available": True,
                    "working_hours": {"days": [1, 2, 3, 4, 5], "start": "09:30", "end": "18:30"},
                },
                {"available": False},
            ]
        },
    )

    available: bool
    working_hours: WorkingHoursBody | None = Field(None, description="Replaced when given.")


class CounsellorView(BaseModel):
    id: str
    company_id: str
    email: str
    name: str
    role: str
    is_active: bool
    available: bool
    working_hours: dict


class AssignmentView(BaseModel):
    company_id: str
    reassign_after_minutes: int
    rules: list[dict]
    counsellors: list[CounsellorView] = Field(default_factory=list)


def _counsellor(user: assignment_pb.Counsellor) -> CounsellorView:
    hours = user.working_hours
    return CounsellorView(
        id=user.id,
        company_id=user.company_id,
        email=user.email,
        name=user.name,
        role=user.role,
        is_active=user.is_active,
        available=user.available,
        working_hours={
            "days": list(hours.days),
            "start": hours.start,
            "end": hours.end,
            "timezone": hours.timezone,
        },
    )


def _assignment(settings: assignment_pb.AssignmentSettings, users=()) -> AssignmentView:
    return AssignmentView(
        company_id=settings.company_id,
        reassign_after_minutes=settings.reassign_after_minutes,
        rules=[{"course": r.course, "user_ids": list(r.user_ids)} for r in settings.rules],
        counsellors=[_counsellor(u) for u in users],
    )


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


@router.get(
    "/companies/{company_id}/assignment",
    response_model=AssignmentView,
    summary="A company's assignment rules, reassign-after setting and counsellors",
)
async def get_assignment(
    company_id: Annotated[uuid.UUID, Path()], backends: BackendsDep, settings: SettingsDep
) -> AssignmentView:
    result = await backends.crm.assignment.GetAssignmentSettings(
        assignment_pb.GetAssignmentSettingsRequest(company_id=str(company_id)),
        timeout=settings.request_timeout_seconds,
    )
    return _assignment(result.settings, result.counsellors)


@router.put(
    "/companies/{company_id}/assignment",
    response_model=AssignmentView,
    summary="Replaces a company's assignment rules and reassign-after setting",
    openapi_extra=openapi_body(AssignmentSettingsBody),
)
async def put_assignment(
    company_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep, settings: SettingsDep
):
    body = validate(AssignmentSettingsBody, await read_body(request))
    try:
        result = await backends.crm.assignment.UpdateAssignmentSettings(
            assignment_pb.UpdateAssignmentSettingsRequest(
                settings=assignment_pb.AssignmentSettings(
                    company_id=str(company_id),
                    reassign_after_minutes=body.reassign_after_minutes,
                    rules=[
                        assignment_pb.AssignmentRule(course=r.course, user_ids=[str(u) for u in r.user_ids])
                        for r in body.rules
                    ],
                ),
                actor=OPERATOR,
            ),
            timeout=settings.request_timeout_seconds,
        )
    except aio.AioRpcError as exc:
        return rpc_error_response(exc, strip="settings.")
    return _assignment(result.settings)


@router.patch(
    "/users/{user_id}/availability",
    response_model=CounsellorView,
    summary="Switches a counsellor's availability for new leads and sets their working hours",
    openapi_extra=openapi_body(AvailabilityRequest),
)
async def set_availability(
    user_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep, settings: SettingsDep
):
    body = validate(AvailabilityRequest, await read_body(request))
    given = assignment_pb.UpdateUserAvailabilityRequest(
        user_id=str(user_id), available=body.available, actor=OPERATOR
    )
    if body.working_hours is not None:
        hours = body.working_hours
        given.working_hours.CopyFrom(
            assignment_pb.WorkingHours(
                days=hours.days, start=hours.start or "", end=hours.end or "", timezone=hours.timezone
            )
        )
    try:
        result = await backends.crm.assignment.UpdateUserAvailability(
            given, timeout=settings.request_timeout_seconds
        )
    except aio.AioRpcError as exc:
        return rpc_error_response(exc)
    return _counsellor(result.user)
