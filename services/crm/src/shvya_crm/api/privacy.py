"""The PrivacyService: erase or export what the crm holds about a lead, at the student's request."""

from __future__ import annotations

from shvya.crm.v1 import privacy_service_pb2 as privacy_pb
from shvya.crm.v1 import privacy_service_pb2_grpc
from shvya_crm.api.rpc import parse_uuid, rpc
from shvya_crm.leads import privacy
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.db import Database
from shvya_rpc.errors import FieldErrors

MAX_REASON_CHARS = 500


class PrivacyServicer(privacy_service_pb2_grpc.PrivacyServiceServicer):
    def __init__(self, settings: CrmSettings, db: Database) -> None:
        self._settings = settings
        self._db = db

    @rpc
    def EraseLead(self, request: privacy_pb.EraseLeadRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        if len(request.reason) > MAX_REASON_CHARS or not request.reason.isprintable():
            raise FieldErrors({"reason": f"must be at most {MAX_REASON_CHARS} printable characters"})
        with self._db.transaction() as session:
            result = privacy.erase(session, lead_id, request.reason.strip())
        return privacy_pb.EraseLeadResponse(
            lead_id=str(result.lead_id),
            erased=result.erased,
            rows=result.rows,
            send_ledger_keys=result.send_ledger_keys,
            phone_numbers=result.phone_numbers,
            email_addresses=result.email_addresses,
        )

    @rpc
    def ExportLead(self, request: privacy_pb.ExportLeadRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.transaction() as session:
            document = privacy.export(session, lead_id)
        return privacy_pb.ExportLeadResponse(lead_id=str(lead_id), document=document)
