"""A student's requests about their data: POST /admin/leads/{id}/erase and GET /admin/leads/{id}/export.

Owners and admins only (the crm decides: they hold the privacy permission); each is an audit event
naming who asked."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from shvya.crm.v1 import privacy_service_pb2 as privacy_pb
from shvya_gateway import forgetting
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep

router = APIRouter(prefix="/admin/leads", tags=["privacy"], dependencies=[AdminDep])

LeadId = Annotated[uuid.UUID, Path()]


class ErasureRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "erasure request #2026-118"}]}
    )

    reason: Annotated[
        str,
        Field(
            max_length=500,
            description="Why, as a reference to the request; kept in the audit trail, so it must not "
            "name the student.",
        ),
    ] = ""


# The body is optional (the reason is), so its schema is a union the document's example filler
# does not look into: the example sits on the operation.
ERASURE_EXAMPLES = {
    "reason": {"summary": "with a reference", "value": {"reason": "erasure request #2026-118"}}
}


class ErasureReport(BaseModel):
    lead_id: str
    erased: bool = Field(description="False when the lead had already been erased.")
    rows: dict[str, int] = Field(description="Rows removed or blanked, by table.")
    redis_keys_deleted: int | None = Field(
        description="Keys the mesh's Redis held for the lead (rate limits, send ledger), deleted; "
        "null when Redis did not answer (they then expire by themselves)."
    )


@router.post(
    "/{lead_id}/erase",
    response_model=ErasureReport,
    summary="Erase a lead's personal data (right to be forgotten)",
    description=(
        "Erases the lead's name, phone number, email, profile, contacts, notes, message texts, "
        "consent wording and evidence, the data of its audit events and jobs, and what Redis "
        "holds for it (rate-limit counters, send-ledger entries). The lead's id stays as a "
        "tombstone, and the audit trail keeps that an erasure happened, when and by whom, but "
        "not who was erased. A later form from the same number is a new lead. Owners and admins "
        "only."
    ),
)
async def erase_lead(
    lead_id: LeadId,
    backends: BackendsDep,
    settings: SettingsDep,
    body: Annotated[ErasureRequest | None, Body(openapi_examples=ERASURE_EXAMPLES)] = None,
) -> ErasureReport:
    result = await backends.crm.privacy.EraseLead(
        privacy_pb.EraseLeadRequest(lead_id=str(lead_id), reason=body.reason if body else ""),
        timeout=settings.request_timeout_seconds,
    )
    deleted = 0
    if result.erased:
        deleted = await forgetting.forget(
            settings, result.phone_numbers, result.email_addresses, result.send_ledger_keys
        )
    return ErasureReport(
        lead_id=result.lead_id, erased=result.erased, rows=dict(result.rows), redis_keys_deleted=deleted
    )


@router.get(
    "/{lead_id}/export",
    summary="Export everything held about a lead, as a JSON file",
    description=(
        "The lead, its contacts, messages, notes, consents, sequence enrolments and audit events, "
        "as one JSON document to hand to the student. Owners and admins only."
    ),
    response_class=Response,
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
async def export_lead(lead_id: LeadId, backends: BackendsDep, settings: SettingsDep) -> Response:
    result = await backends.crm.privacy.ExportLead(
        privacy_pb.ExportLeadRequest(lead_id=str(lead_id)), timeout=settings.request_timeout_seconds
    )
    return Response(
        content=result.document.encode(),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="lead-{lead_id}.json"'},
    )
