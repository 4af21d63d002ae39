"""The consent ledger by API: POST /leads/{id}/consent, GET /leads/{id}/consents."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_gateway.channel_names import FROM_PB, TO_PB, ChannelName
from shvya_gateway.deps import AdminDep, BackendsDep
from shvya_gateway.forms import openapi_body, read_body, validate

router = APIRouter(tags=["consent"], dependencies=[AdminDep])

ACTIONS = {"opt_in": leads_pb.CONSENT_ACTION_OPT_IN, "opt_out": leads_pb.CONSENT_ACTION_OPT_OUT}


class ConsentBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["opt_in", "opt_out"]
    channel: ChannelName | None = Field(None, description="Absent: every channel.")
    source: Annotated[str, Field(min_length=1, max_length=64)] = "api"
    text_shown: Annotated[str, Field(max_length=2000)] = ""
    evidence: dict[Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=500)]] = Field(
        default_factory=dict
    )


class ConsentView(BaseModel):
    id: str
    lead_id: str
    action: Literal["opt_in", "opt_out"]
    channel: ChannelName | None
    source: str
    text_shown: str
    evidence: dict[str, str]
    created_at: str | None


class ConsentRecorded(BaseModel):
    consent: ConsentView
    lead_status: str


def consent_view(c: leads_pb.ConsentRecord) -> ConsentView:
    return ConsentView(
        id=c.id,
        lead_id=c.lead_id,
        action="opt_in" if c.action == leads_pb.CONSENT_ACTION_OPT_IN else "opt_out",
        channel=FROM_PB.get(c.channel),
        source=c.source,
        text_shown=c.text_shown,
        evidence=dict(c.evidence),
        created_at=c.created_at.ToDatetime().isoformat() + "Z" if c.HasField("created_at") else None,
    )


@router.post(
    "/leads/{lead_id}/consent",
    response_model=ConsentRecorded,
    summary="Record an opt-in or an opt-out (an opt-out suppresses every channel at once)",
    openapi_extra=openapi_body(ConsentBody),
)
async def record_consent(
    lead_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep
) -> ConsentRecorded:
    body = validate(ConsentBody, await read_body(request))
    reply = await backends.crm.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            lead_id=str(lead_id),
            action=ACTIONS[body.action],
            channel=TO_PB[body.channel] if body.channel else 0,
            source=body.source,
            text_shown=body.text_shown,
            evidence=body.evidence,
        ),
    )
    return ConsentRecorded(consent=consent_view(reply.consent), lead_status=reply.lead.status)


@router.get("/leads/{lead_id}/consents", response_model=list[ConsentView], summary="A lead's consent history")
async def list_consents(lead_id: Annotated[uuid.UUID, Path()], backends: BackendsDep) -> list[ConsentView]:
    reply = await backends.crm.leads.ListConsents(leads_pb.ListConsentsRequest(lead_id=str(lead_id)))
    return [consent_view(c) for c in reply.consents]
