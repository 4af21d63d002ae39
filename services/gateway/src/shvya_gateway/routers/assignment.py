"""Assignment settings: a company's rules and reassign-after, and each counsellor's availability and hours."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request
from grpc import aio
from pydantic import BaseModel, ConfigDict, Field

from shvya.crm.v1 import assignment_service_pb2 as assignment_pb
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep
from shvya_gateway.errors import rpc_error_response
from shvya_gateway.forms import openapi_body, read_body, validate

router = APIRouter(tags=["counsellors"], dependencies=[AdminDep])

# Who acts: the operator's key. (Per-user sign-in replaces this.)
OPERATOR = "admin"
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


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
