"""The LeadsService's RPCs for working a lead and importing leads, mixed into its servicer."""

from __future__ import annotations

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_crm.api import convert
from shvya_crm.api.channels import FROM_CODE
from shvya_crm.api.rpc import parse_uuid, rpc
from shvya_crm.leads import csv_import, work
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.db import Database
from shvya_crm.storage.models import LeadNote


def note(row: LeadNote) -> leads_pb.LeadNote:
    return leads_pb.LeadNote(
        id=str(row.id),
        lead_id=str(row.lead_id),
        text=row.text,
        author=row.author,
        created_at=convert.ts(row.created_at),
    )


def import_report(report: csv_import.Report) -> leads_pb.ImportLeadsResponse:
    return leads_pb.ImportLeadsResponse(
        rows=report.rows,
        created=report.created,
        duplicates=[
            leads_pb.ImportDuplicate(
                row=d.row,
                matched_on=d.matched_on,
                lead_id=str(d.lead_id) if d.lead_id else "",
                same_as_row=d.same_as_row,
            )
            for d in report.duplicates
        ],
        errors=[leads_pb.ImportRowError(row=e.row, field=e.field, reason=e.reason) for e in report.errors],
        applied=report.applied,
        lead_ids=[str(i) for i in report.lead_ids],
    )


class LeadWorkRpcs:
    _settings: CrmSettings
    _db: Database

    @rpc
    def MoveLeadStage(self, request: leads_pb.MoveLeadStageRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.transaction() as session:
            view, changed = work.move_stage(session, lead_id, request.stage, request.reason)
            return leads_pb.MoveLeadStageResponse(lead=convert.lead(view), changed=changed)

    @rpc
    def MarkLeadEnrolled(self, request: leads_pb.MarkLeadEnrolledRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.transaction() as session:
            view, changed = work.mark_enrolled(session, lead_id, request.reason)
            return leads_pb.MarkLeadEnrolledResponse(lead=convert.lead(view), changed=changed)

    @rpc
    def MarkLeadLost(self, request: leads_pb.MarkLeadLostRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.transaction() as session:
            view, changed = work.mark_lost(session, lead_id, request.reason)
            return leads_pb.MarkLeadLostResponse(lead=convert.lead(view), changed=changed)

    @rpc
    def AddLeadNote(self, request: leads_pb.AddLeadNoteRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.transaction() as session:
            return leads_pb.AddLeadNoteResponse(
                note=note(work.add_note(session, lead_id, request.text, request.author))
            )

    @rpc
    def ListLeadNotes(self, request: leads_pb.ListLeadNotesRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.read() as session:
            return leads_pb.ListLeadNotesResponse(notes=[note(n) for n in work.list_notes(session, lead_id)])

    @rpc
    def UpdateLeadTags(self, request: leads_pb.UpdateLeadTagsRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.transaction() as session:
            view, changed = work.update_tags(session, lead_id, request.add, request.remove)
            return leads_pb.UpdateLeadTagsResponse(lead=convert.lead(view), changed=changed)

    @rpc
    def CorrectLeadContact(self, request: leads_pb.CorrectLeadContactRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.transaction() as session:
            view, changed, restored = work.correct_contact(
                session,
                lead_id,
                contact_name=request.contact_name if request.HasField("contact_name") else None,
                phone_number=request.phone_number if request.HasField("phone_number") else None,
                email=request.email if request.HasField("email") else None,
                region=self._settings.default_phone_region,
            )
            return leads_pb.CorrectLeadContactResponse(
                lead=convert.lead(view), changed=changed, restored=[FROM_CODE[c] for c in restored]
            )

    @rpc
    def ImportLeads(self, request: leads_pb.ImportLeadsRequest, context):
        company_id = (
            parse_uuid(request.company_id, "company_id", required=False) or self._settings.default_company_id
        )
        with self._db.transaction() as session:
            report = csv_import.import_leads(
                session,
                company_id,
                request.csv,
                dry_run=request.dry_run,
                region=self._settings.default_phone_region,
            )
            return import_report(report)
