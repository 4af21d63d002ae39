"""GET/PATCH /companies/{id}/settings: follow-up delay, bump limit, quiet hours, time zone."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request
from grpc import aio
from pydantic import BaseModel, ConfigDict, Field

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya_gateway.deps import AdminDep, BackendsDep
from shvya_gateway.errors import rpc_error_response
from shvya_gateway.forms import openapi_body, read_body, validate

router = APIRouter(tags=["companies"], dependencies=[AdminDep])

FIELDS = (
    "name",
    "timezone",
    "followup_delay_seconds",
    "max_bumps",
    "quiet_hours_enabled",
    "quiet_hours_start",
    "quiet_hours_end",
    "followup_template",
)
# Unset means the conductor's own setting.
OPTIONAL_FIELDS = ("max_attempts", "retry_max_seconds")


class CompanySettingsView(BaseModel):
    company_id: str
    name: str
    timezone: str = Field(description="IANA time zone used when a lead's own zone is unknown.")
    followup_delay_seconds: int = Field(description="Silence before a follow-up.")
    max_bumps: int = Field(description="Follow-ups at most after the lead's last message (0: none).")
    quiet_hours_enabled: bool
    quiet_hours_start: str = Field(description="HH:MM in the lead's time zone.")
    quiet_hours_end: str
    followup_template: str = Field(
        description="Approved WhatsApp template for follow-ups outside the 24-hour window."
    )
    max_attempts: int | None = Field(
        None, description="Attempts a job gets before it is dead-lettered (null: the conductor's, 5)."
    )
    retry_max_seconds: int | None = Field(
        None, description="The longest wait between two attempts (null: the conductor's, 600 s)."
    )


class CompanySettingsChange(BaseModel):
    """Only the fields present are changed."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    timezone: Annotated[str, Field(min_length=1, max_length=64)] | None = None
    followup_delay_seconds: Annotated[int, Field(ge=60, le=30 * 24 * 3600)] | None = None
    max_bumps: Annotated[int, Field(ge=0, le=10)] | None = None
    quiet_hours_enabled: bool | None = None
    quiet_hours_start: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    quiet_hours_end: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    followup_template: Annotated[str, Field(pattern=r"^[a-z0-9_]{1,200}$")] | None = None
    max_attempts: Annotated[int, Field(ge=1, le=20)] | None = None
    retry_max_seconds: Annotated[int, Field(ge=10, le=86400)] | None = None


def settings_view(value: outreach_pb.CompanySettings) -> CompanySettingsView:
    return CompanySettingsView(
        company_id=value.company_id,
        **{f: getattr(value, f) for f in FIELDS},
        **{f: getattr(value, f) if value.HasField(f) else None for f in OPTIONAL_FIELDS},
    )


@router.get(
    "/companies/{company_id}/settings",
    response_model=CompanySettingsView,
    summary="A company's follow-up and send settings",
)
async def get_settings(
    company_id: Annotated[uuid.UUID, Path()], backends: BackendsDep
) -> CompanySettingsView:
    reply = await backends.crm.outreach.GetCompanySettings(
        outreach_pb.GetCompanySettingsRequest(company_id=str(company_id)),
    )
    return settings_view(reply.settings)


@router.patch(
    "/companies/{company_id}/settings",
    response_model=CompanySettingsView,
    summary="Change a company's follow-up and send settings (creates the company if needed)",
    openapi_extra=openapi_body(CompanySettingsChange),
)
async def update_settings(company_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep):
    change = validate(CompanySettingsChange, await read_body(request))
    given = outreach_pb.CompanySettings(company_id=str(company_id))
    for field in change.model_fields_set:
        value = getattr(change, field)
        if value is not None:
            setattr(given, field, value)
    try:
        reply = await backends.crm.outreach.UpdateCompanySettings(
            outreach_pb.UpdateCompanySettingsRequest(settings=given)
        )
    except aio.AioRpcError as exc:
        return rpc_error_response(exc, strip="settings.")
    return settings_view(reply.settings)
