"""The LeadsService: intake, leads and their messages, consent, delivery reports and unsubscribes (finding
and working leads in lead_finding and lead_work)."""

from __future__ import annotations

import uuid
from datetime import UTC

from sqlalchemy import select

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import leads_service_pb2_grpc
from shvya_crm.api import convert
from shvya_crm.api.channels import TO_CODE
from shvya_crm.api.lead_finding import LeadFindingRpcs
from shvya_crm.api.lead_overview import LeadOverviewRpcs
from shvya_crm.api.lead_work import LeadWorkRpcs
from shvya_crm.api.rpc import parse_uuid, rpc
from shvya_crm.leads import consent, delivery, inbound, intake, queries, unsubscribe, whatsapp_window
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.db import Database
from shvya_crm.storage.models import Consent
from shvya_rpc.errors import FieldErrors

# The longest dispatch lease intake writes (IngestInboundMessageRequest.dispatch_lease_seconds).
MAX_LEASE_SECONDS = 86400


class LeadsServicer(
    LeadFindingRpcs, LeadWorkRpcs, LeadOverviewRpcs, leads_service_pb2_grpc.LeadsServiceServicer
):
    def __init__(self, settings: CrmSettings, db: Database) -> None:
        self._settings = settings
        self._db = db

    @rpc
    def IngestInboundMessage(self, request: leads_pb.IngestInboundMessageRequest, context):
        if not 0 <= request.dispatch_lease_seconds <= MAX_LEASE_SECONDS:
            raise FieldErrors({"dispatch_lease_seconds": f"must be between 0 and {MAX_LEASE_SECONDS}"})
        message = inbound.validate(
            company_id=request.company_id,
            phone_number=request.phone_number,
            contact_name=request.contact_name,
            message_text=request.message_text,
            channel=TO_CODE.get(request.channel),
            email=request.email,
            idempotency_key=request.idempotency_key,
            external_id=request.external_message_id,
            source=request.source,
            default_company_id=self._settings.default_company_id,
            region=self._settings.default_phone_region,
            consent_given=request.consent,
            consent_text=request.consent_text,
            course=request.course,
        )
        with self._db.transaction() as session:
            result = intake.ingest(
                session,
                message,
                default_company_name=self._settings.company_name_for(message.company_id),
                dedupe_window_seconds=self._settings.dedupe_window_seconds,
                dispatch_lease_seconds=request.dispatch_lease_seconds,
            )
        return leads_pb.IngestInboundMessageResponse(
            company_id=str(result.company_id),
            lead_id=str(result.lead_id),
            message_id=str(result.message_id),
            job_id=str(result.job_id) if result.job_id else "",
            duplicate=result.duplicate,
            lead_created=result.lead_created,
            task_name=intake.AI_ENGAGE if result.job_id else "",
            job_leased=result.dispatch_until is not None,
            dispatch_until=convert.ts(result.dispatch_until),
        )

    @rpc
    def GetLead(self, request: leads_pb.GetLeadRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.read() as session:
            (view,) = whatsapp_window.with_window(session, [queries.get_lead(session, lead_id)])
            return leads_pb.GetLeadResponse(lead=convert.lead(view))

    @rpc
    def ListLeadMessages(self, request: leads_pb.ListLeadMessagesRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        limit = request.limit or 100
        if not 1 <= limit <= 1000:
            raise FieldErrors({"limit": "must be between 1 and 1000"})
        with self._db.read() as session:
            queries.get_lead(session, lead_id)
            rows = queries.list_messages(session, lead_id, limit)
            return leads_pb.ListLeadMessagesResponse(messages=[convert.message(m) for m in rows])

    @rpc
    def GetMessage(self, request: leads_pb.GetMessageRequest, context):
        message_id = parse_uuid(request.message_id, "message_id")
        with self._db.read() as session:
            return leads_pb.GetMessageResponse(
                message=convert.message(queries.get_message(session, message_id))
            )

    def _lead_for(self, session, request) -> uuid.UUID:
        if request.lead_id:
            return parse_uuid(request.lead_id, "lead_id")
        if not request.phone_number:
            raise FieldErrors({"lead_id": "is required (or phone_number, with company_id)"})
        # As at intake: no company means the default company.
        company_id = (
            parse_uuid(request.company_id, "company_id", required=False) or self._settings.default_company_id
        )
        try:
            # A lookup of a stored lead: any number intake could have stored will do.
            phone = inbound.normalise_phone(
                request.phone_number, self._settings.default_phone_region, verified=True
            )
        except ValueError as exc:
            raise FieldErrors({"phone_number": str(exc)}) from None
        lead_id = queries.find_lead_id(session, company_id, phone)
        if lead_id is None:
            raise LookupError(f"no lead with phone {phone} in company {company_id}")
        return lead_id

    @rpc
    def RecordConsent(self, request: leads_pb.RecordConsentRequest, context):
        action = convert.CONSENT_ACTION_CODE.get(request.action)
        errors = {}
        if action is None:
            errors["action"] = "must be CONSENT_ACTION_OPT_IN or CONSENT_ACTION_OPT_OUT"
        if not request.source.strip():
            errors["source"] = "is required (for example form, api, email_unsubscribe)"
        if len(request.idempotency_key) > 255 or not request.idempotency_key.isprintable():
            errors["idempotency_key"] = "must be at most 255 printable characters"
        if errors:
            raise FieldErrors(errors)
        with self._db.transaction() as session:
            lead_id = self._lead_for(session, request)
            entry = consent.record(
                session,
                lead_id,
                action,
                request.source.strip(),
                channel=TO_CODE.get(request.channel),
                text_shown=request.text_shown,
                evidence=dict(request.evidence),
                idempotency_key=request.idempotency_key.strip() or None,
            )
            return leads_pb.RecordConsentResponse(
                consent=convert.consent_record(entry),
                lead=convert.lead(queries.get_lead(session, lead_id)),
            )

    @rpc
    def ListConsents(self, request: leads_pb.ListConsentsRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.read() as session:
            queries.get_lead(session, lead_id)
            rows = session.scalars(
                select(Consent).where(Consent.lead_id == lead_id).order_by(Consent.created_at, Consent.id)
            ).all()
            return leads_pb.ListConsentsResponse(consents=[convert.consent_record(r) for r in rows])

    @rpc
    def CheckSendPolicy(self, request: leads_pb.CheckSendPolicyRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        channel = TO_CODE.get(request.channel)
        purpose = convert.PURPOSE_CODE.get(request.purpose)
        errors = {}
        if channel is None:
            errors["channel"] = "must be one of whatsapp_web, whatsapp_cloud, email"
        if purpose is None:
            errors["purpose"] = "is required"
        if errors:
            raise FieldErrors(errors)
        with self._db.read() as session:
            return convert.policy(consent.policy(session, lead_id, channel, purpose))

    @rpc
    def ApplyDeliveryStatus(self, request: leads_pb.ApplyDeliveryStatusRequest, context):
        channel = TO_CODE.get(request.channel)
        status = convert.DELIVERY_STATUS_CODE.get(request.status)
        if channel is None:
            raise FieldErrors({"channel": "must be one of whatsapp_web, whatsapp_cloud, email"})
        delivery.validate(request.external_id, status)
        occurred_at = request.occurred_at.ToDatetime(tzinfo=UTC) if request.HasField("occurred_at") else None
        with self._db.transaction() as session:
            result = delivery.apply(
                session,
                channel=channel,
                external_id=request.external_id,
                status=status,
                occurred_at=occurred_at,
                error_code=request.error_code,
                error_message=request.error_message,
                recipient=request.recipient,
            )
            return leads_pb.ApplyDeliveryStatusResponse(
                message=convert.message(result.message) if result.message is not None else None,
                applied=result.applied,
                duplicate=result.duplicate,
                pending=result.pending,
            )

    @rpc
    def DescribeUnsubscribeToken(self, request: leads_pb.DescribeUnsubscribeTokenRequest, context):
        with self._db.read() as session:
            view = unsubscribe.describe(session, request.token)
            return leads_pb.DescribeUnsubscribeTokenResponse(
                company_name=view.company_name,
                masked_address=view.masked_address,
                unsubscribed=view.unsubscribed,
            )

    @rpc
    def UnsubscribeByToken(self, request: leads_pb.UnsubscribeByTokenRequest, context):
        with self._db.transaction() as session:
            name, changed = unsubscribe.unsubscribe(session, request.token, dict(request.evidence))
            return leads_pb.UnsubscribeByTokenResponse(company_name=name, changed=changed)
