"""Working a lead (stage, enrolled, lost, notes, tags, contact corrections) and POST /leads/import."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_gateway.channel_names import FROM_PB
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep
from shvya_gateway.errors import validation_error
from shvya_gateway.lead_schemas import (
    Closing,
    ContactCorrected,
    ContactCorrection,
    ImportDuplicateView,
    ImportReport,
    ImportRowErrorView,
    LeadChange,
    NoteIn,
    NoteView,
    StageMove,
    TagsChange,
)
from shvya_gateway.routers.lead_finding import iso, lead_summary

router = APIRouter(tags=["leads"], dependencies=[AdminDep])

LeadId = Annotated[uuid.UUID, Path()]
CSV_EXAMPLE = (
    "contact_name,phone_number,email,course,tags\n"
    "Meera Nair,98765 11111,meera@example.com,Data Science,scholarship;weekend batch\n"
    "Arjun Rao,+91 98765 22222,,Digital Marketing,\n"
)
# Under the crm's 4 MiB gRPC message limit, as its import checks too.
MAX_CSV_BYTES = 3 * 2**20


@router.post("/leads/{lead_id}/stage", response_model=LeadChange, summary="Move a lead to another stage")
async def move_stage(lead_id: LeadId, body: StageMove, backends: BackendsDep, settings: SettingsDep):
    result = await backends.crm.leads.MoveLeadStage(
        leads_pb.MoveLeadStageRequest(lead_id=str(lead_id), stage=body.stage, reason=body.reason),
        timeout=settings.request_timeout_seconds,
    )
    return LeadChange(lead=lead_summary(result.lead), changed=result.changed)


@router.post("/leads/{lead_id}/enrolled", response_model=LeadChange, summary="Mark a lead enrolled, with why")
async def mark_enrolled(lead_id: LeadId, body: Closing, backends: BackendsDep, settings: SettingsDep):
    result = await backends.crm.leads.MarkLeadEnrolled(
        leads_pb.MarkLeadEnrolledRequest(lead_id=str(lead_id), reason=body.reason),
        timeout=settings.request_timeout_seconds,
    )
    return LeadChange(lead=lead_summary(result.lead), changed=result.changed)


@router.post("/leads/{lead_id}/lost", response_model=LeadChange, summary="Mark a lead lost, with why")
async def mark_lost(lead_id: LeadId, body: Closing, backends: BackendsDep, settings: SettingsDep):
    result = await backends.crm.leads.MarkLeadLost(
        leads_pb.MarkLeadLostRequest(lead_id=str(lead_id), reason=body.reason),
        timeout=settings.request_timeout_seconds,
    )
    return LeadChange(lead=lead_summary(result.lead), changed=result.changed)


def _note(n: leads_pb.LeadNote) -> NoteView:
    return NoteView(
        id=n.id,
        lead_id=n.lead_id,
        text=n.text,
        author=n.author,
        created_at=iso(n.created_at, n.HasField("created_at")),
    )


@router.post(
    "/leads/{lead_id}/notes", response_model=NoteView, status_code=201, summary="Add a note to a lead"
)
async def add_note(lead_id: LeadId, body: NoteIn, backends: BackendsDep, settings: SettingsDep):
    result = await backends.crm.leads.AddLeadNote(
        leads_pb.AddLeadNoteRequest(lead_id=str(lead_id), text=body.text, author=body.author),
        timeout=settings.request_timeout_seconds,
    )
    return _note(result.note)


@router.get("/leads/{lead_id}/notes", response_model=list[NoteView], summary="A lead's notes, oldest first")
async def list_notes(lead_id: LeadId, backends: BackendsDep, settings: SettingsDep):
    result = await backends.crm.leads.ListLeadNotes(
        leads_pb.ListLeadNotesRequest(lead_id=str(lead_id)), timeout=settings.request_timeout_seconds
    )
    return [_note(n) for n in result.notes]


@router.post("/leads/{lead_id}/tags", response_model=LeadChange, summary="Add and remove tags of a lead")
async def change_tags(lead_id: LeadId, body: TagsChange, backends: BackendsDep, settings: SettingsDep):
    result = await backends.crm.leads.UpdateLeadTags(
        leads_pb.UpdateLeadTagsRequest(lead_id=str(lead_id), add=body.add, remove=body.remove),
        timeout=settings.request_timeout_seconds,
    )
    return LeadChange(lead=lead_summary(result.lead), changed=result.changed)


@router.patch(
    "/leads/{lead_id}",
    response_model=ContactCorrected,
    summary="Correct a lead's name, phone number or email (a new address clears its undeliverable mark)",
)
async def correct_contact(
    lead_id: LeadId, body: ContactCorrection, backends: BackendsDep, settings: SettingsDep
):
    given = body.model_dump(exclude_unset=True)
    if not given or all(v is None for v in given.values()):
        return validation_error(("body",), "give at least one of contact_name, phone_number, email")
    fields = {k: v for k, v in given.items() if v is not None}
    result = await backends.crm.leads.CorrectLeadContact(
        leads_pb.CorrectLeadContactRequest(lead_id=str(lead_id), **fields),
        timeout=settings.request_timeout_seconds,
    )
    return ContactCorrected(
        lead=lead_summary(result.lead),
        changed=list(result.changed),
        restored_channels=[FROM_PB[c] for c in result.restored],
    )


@router.post(
    "/leads/import",
    response_model=ImportReport,
    summary="Import leads from CSV: de-duplicated by phone and email, all or nothing, with a dry run",
    max_body_size=MAX_CSV_BYTES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}, "example": CSV_EXAMPLE}},
        }
    },
)
async def import_leads(
    request: Request,
    backends: BackendsDep,
    settings: SettingsDep,
    company_id: Annotated[uuid.UUID | None, Query(description="The default company when absent.")] = None,
    dry_run: Annotated[bool, Query(description="Report what would happen; write nothing.")] = False,
):
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in ("text/csv", "text/plain", "application/csv"):
        raise HTTPException(415, "Content-Type must be text/csv")
    data = await request.body()
    result = await backends.crm.leads.ImportLeads(
        leads_pb.ImportLeadsRequest(
            company_id=str(company_id) if company_id else "", csv=data, dry_run=dry_run
        ),
        timeout=settings.request_timeout_seconds * 4,
    )
    return ImportReport(
        rows=result.rows,
        created=result.created,
        duplicates=[
            ImportDuplicateView(
                row=d.row,
                matched_on=d.matched_on,
                lead_id=d.lead_id or None,
                same_as_row=d.same_as_row or None,
            )
            for d in result.duplicates
        ],
        errors=[ImportRowErrorView(row=e.row, field=e.field, reason=e.reason) for e in result.errors],
        applied=result.applied,
        lead_ids=list(result.lead_ids),
    )
