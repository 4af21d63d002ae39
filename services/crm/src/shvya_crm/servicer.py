"""The CrmService gRPC interface: parses requests, runs one transaction, converts the result."""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, timedelta

import grpc
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from shvya.crm.v1 import crm_service_pb2 as pb
from shvya.crm.v1 import crm_service_pb2_grpc as pb_grpc
from shvya_crm import (
    aimodels,
    clockstore,
    company_settings,
    consent,
    conversations,
    convert,
    delivery,
    intake,
    jobs,
    knowledge,
    outbound,
    outcomes,
    outreach,
    sequences,
    templates,
    turns,
    unanswered,
    unsubscribe,
    webhooks,
)
from shvya_crm.channels import TO_CODE
from shvya_crm.clock import ClockLocked, now_of
from shvya_crm.db import Database
from shvya_crm.models import Consent, Job, Sequence, SequenceEnrolment
from shvya_crm.settings import CrmSettings
from shvya_rpc.errors import FieldErrors, abort_invalid

log = logging.getLogger(__name__)

# The longest dispatch lease intake writes (IngestInboundMessageRequest.dispatch_lease_seconds).
MAX_LEASE_SECONDS = 86400


def _uuid(value: str, field: str, *, required: bool = True) -> uuid.UUID | None:
    if not value:
        if required:
            raise FieldErrors({field: "is required"})
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise FieldErrors({field: "must be a UUID"}) from None


def _rpc(method: Callable) -> Callable:
    """Maps domain exceptions to gRPC status codes, one place for every RPC."""

    @functools.wraps(method)
    def wrapper(self, request, context: grpc.ServicerContext):
        try:
            return method(self, request, context)
        except FieldErrors as exc:
            abort_invalid(context, exc.violations)
        except LookupError as exc:
            context.abort(grpc.StatusCode.NOT_FOUND, str(exc).strip("'\""))
        except intake.IdempotencyConflict as exc:
            context.abort(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"idempotency key {exc} was already used with a different request body",
            )
        except sa_exc.IntegrityError as exc:
            log.warning("%s: concurrent write conflict: %s", method.__name__, exc.orig)
            context.abort(grpc.StatusCode.ABORTED, "concurrent update conflict; retry the request")
        except sa_exc.OperationalError as exc:
            log.error("%s: database unavailable: %s", method.__name__, exc.orig)
            context.abort(grpc.StatusCode.UNAVAILABLE, "database unavailable")

    return wrapper


class CrmServicer(pb_grpc.CrmServiceServicer):
    def __init__(self, settings: CrmSettings, db: Database) -> None:
        self._settings = settings
        self._db = db

    # -- intake -----------------------------------------------------------

    @_rpc
    def IngestInboundMessage(self, request: pb.IngestInboundMessageRequest, context):
        if not 0 <= request.dispatch_lease_seconds <= MAX_LEASE_SECONDS:
            raise FieldErrors({"dispatch_lease_seconds": f"must be between 0 and {MAX_LEASE_SECONDS}"})
        inbound = intake.validate(
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
                inbound,
                default_company_name=self._default_name(inbound.company_id),
                dedupe_window_seconds=self._settings.dedupe_window_seconds,
                dispatch_lease_seconds=request.dispatch_lease_seconds,
            )
        return pb.IngestInboundMessageResponse(
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

    def _default_name(self, company_id: uuid.UUID) -> str:
        if company_id == self._settings.default_company_id:
            return self._settings.default_company_name
        return f"Company {str(company_id)[:8]}"

    # -- leads and conversations --------------------------------------------

    @_rpc
    def GetLead(self, request: pb.GetLeadRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id")
        with self._db.read() as session:
            return pb.GetLeadResponse(lead=convert.lead(conversations.get_lead(session, lead_id)))

    @_rpc
    def ListLeadMessages(self, request: pb.ListLeadMessagesRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id")
        limit = request.limit or 100
        if not 1 <= limit <= 1000:
            raise FieldErrors({"limit": "must be between 1 and 1000"})
        with self._db.read() as session:
            conversations.get_lead(session, lead_id)
            rows = conversations.list_messages(session, lead_id, limit)
            return pb.ListLeadMessagesResponse(messages=[convert.message(m) for m in rows])

    @_rpc
    def GetMessage(self, request: pb.GetMessageRequest, context):
        message_id = _uuid(request.message_id, "message_id")
        with self._db.read() as session:
            return pb.GetMessageResponse(
                message=convert.message(conversations.get_message(session, message_id))
            )

    @_rpc
    def GetTurnContext(self, request: pb.GetTurnContextRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id")
        message_id = _uuid(request.message_id, "message_id")
        with self._db.read() as session:
            ctx = conversations.turn_context(
                session,
                lead_id,
                message_id,
                history_limit=min(request.history_limit or 20, 200),
                knowledge_limit=min(request.knowledge_limit or 3, 20),
            )
            return pb.GetTurnContextResponse(
                lead=convert.lead(ctx.lead),
                company=convert.company(ctx.company),
                ai_model=convert.ai_model(ctx.ai),
                history=[convert.message(m) for m in ctx.history],
                knowledge=[convert.match(m) for m in ctx.knowledge],
                message=convert.message(ctx.message),
            )

    # -- knowledge base and AI configuration --------------------------------

    @_rpc
    def SearchKnowledgeBase(self, request: pb.SearchKnowledgeBaseRequest, context):
        company_id = _uuid(request.company_id, "company_id")
        limit = request.limit or 5
        if not 1 <= limit <= 50:
            raise FieldErrors({"limit": "must be between 1 and 50"})
        with self._db.read() as session:
            hits = knowledge.search(session, company_id, request.query, limit)
            return pb.SearchKnowledgeBaseResponse(matches=[convert.match(h) for h in hits])

    @_rpc
    def UpsertKnowledgeDocument(self, request: pb.UpsertKnowledgeDocumentRequest, context):
        company_id = _uuid(request.company_id, "company_id")
        document_id = _uuid(request.document_id, "document_id", required=False)
        with self._db.transaction() as session:
            document, created = knowledge.upsert(
                session,
                company_id=company_id,
                document_id=document_id,
                title=request.title,
                content=request.content,
                tags=list(request.tags),
            )
            return pb.UpsertKnowledgeDocumentResponse(document=convert.document(document), created=created)

    @_rpc
    def DeleteKnowledgeDocument(self, request: pb.DeleteKnowledgeDocumentRequest, context):
        document_id = _uuid(request.document_id, "document_id")
        with self._db.transaction() as session:
            knowledge.remove(session, document_id)
        return pb.DeleteKnowledgeDocumentResponse()

    @_rpc
    def ListKnowledgeDocuments(self, request: pb.ListKnowledgeDocumentsRequest, context):
        company_id = _uuid(request.company_id, "company_id")
        with self._db.read() as session:
            rows = knowledge.list_documents(session, company_id)
            return pb.ListKnowledgeDocumentsResponse(documents=[convert.document(d) for d in rows])

    @_rpc
    def GetAiModel(self, request: pb.GetAiModelRequest, context):
        company_id = _uuid(request.company_id, "company_id")
        with self._db.read() as session:
            return pb.GetAiModelResponse(
                ai_model=convert.ai_model(
                    aimodels.get(session, company_id), aimodels.answered_by(session, company_id)
                )
            )

    @_rpc
    def UpdateAiModel(self, request: pb.UpdateAiModelRequest, context):
        m = request.ai_model
        config = aimodels.AiConfig(
            company_id=_uuid(m.company_id, "ai_model.company_id"),
            provider=m.provider,
            model=m.model,
            temperature=m.temperature,
            max_tokens=m.max_tokens,
            system_prompt=m.system_prompt,
            base_url=m.base_url,
        )
        with self._db.transaction() as session:
            try:
                updated = aimodels.update_config(session, config)
            except FieldErrors as exc:
                # Violations name the request's field paths, like ai_model.company_id above.
                raise FieldErrors({f"ai_model.{f}": r for f, r in exc.violations.items()}) from None
            return pb.UpdateAiModelResponse(ai_model=convert.ai_model(updated))

    # -- jobs ledger ----------------------------------------------------------

    @_rpc
    def ClaimJobs(self, request: pb.ClaimJobsRequest, context):
        ids = [_uuid(v, "job_ids") for v in request.job_ids]
        with self._db.transaction() as session:
            claimed = jobs.claim(session, ids, request.lease_seconds or 30)
            return pb.ClaimJobsResponse(jobs=[convert.job(j) for j in claimed])

    @_rpc
    def ReleaseJobs(self, request: pb.ReleaseJobsRequest, context):
        ids = [_uuid(v, "job_ids") for v in request.job_ids]
        leased_until = (
            request.leased_until.ToDatetime(tzinfo=UTC) if request.HasField("leased_until") else None
        )
        with self._db.transaction() as session:
            released = jobs.release(session, ids, leased_until)
        return pb.ReleaseJobsResponse(released_job_ids=[str(i) for i in released])

    @_rpc
    def ClaimDueJobs(self, request: pb.ClaimDueJobsRequest, context):
        with self._db.transaction() as session:
            claimed = jobs.claim_due(
                session, request.limit or 100, request.lease_seconds or 30, list(request.task_names)
            )
            return pb.ClaimDueJobsResponse(jobs=[convert.job(j) for j in claimed])

    @_rpc
    def StartJob(self, request: pb.StartJobRequest, context):
        job_id = _uuid(request.job_id, "job_id")
        with self._db.transaction() as session:
            decision = jobs.start(session, job_id, request.lease_seconds or 120)
            if decision.job is None:
                raise LookupError(f"job {job_id} not found")
            return pb.StartJobResponse(
                job=convert.job(decision.job), proceed=decision.proceed, reason=decision.reason
            )

    @_rpc
    def CompleteJob(self, request: pb.CompleteJobRequest, context):
        job_id = _uuid(request.job_id, "job_id")
        with self._db.transaction() as session:
            job = jobs.complete(session, job_id)
            if job is None:
                raise LookupError(f"job {job_id} not found")
            return pb.CompleteJobResponse(job=convert.job(job))

    @_rpc
    def FailJob(self, request: pb.FailJobRequest, context):
        job_id = _uuid(request.job_id, "job_id")
        if request.retry_after_seconds < 0:
            raise FieldErrors({"retry_after_seconds": "must not be negative"})
        with self._db.transaction() as session:
            retry_at = None
            if request.HasField("retry_at"):
                retry_at = request.retry_at.ToDatetime(tzinfo=UTC)
            elif request.retry_after_seconds > 0:
                retry_at = now_of(session) + timedelta(seconds=request.retry_after_seconds)
            job = jobs.fail(session, job_id, request.error_message, retry_at)
            if job is None:
                raise LookupError(f"job {job_id} not found")
            return pb.FailJobResponse(job=convert.job(job))

    @_rpc
    def GetJob(self, request: pb.GetJobRequest, context):
        job_id = _uuid(request.job_id, "job_id")
        with self._db.read() as session:
            job = session.get(Job, job_id)
            if job is None:
                raise LookupError(f"job {job_id} not found")
            return pb.GetJobResponse(job=convert.job(job))

    @_rpc
    def GetJobCounts(self, request: pb.GetJobCountsRequest, context):
        with self._db.read() as session:
            return pb.GetJobCountsResponse(**jobs.counts(session))

    @_rpc
    def RequeueDeadJobs(self, request: pb.RequeueDeadJobsRequest, context):
        if not 1 <= request.max_jobs <= 1000:
            raise FieldErrors({"max_jobs": "must be between 1 and 1000"})
        with self._db.transaction() as session:
            requeued = jobs.requeue_dead(session, request.max_jobs)
            return pb.RequeueDeadJobsResponse(jobs=[convert.job(j) for j in requeued])

    # -- outbound messages ----------------------------------------------------

    @staticmethod
    def _reservation(request: pb.ReserveOutboundMessageRequest, prefix: str = "", **turn_fields) -> dict:
        """The arguments of outbound.reserve; field errors name `prefix` + the field."""
        try:
            lead_id = _uuid(request.lead_id, "lead_id")
            channel = TO_CODE.get(request.channel)
            if channel is None:
                raise FieldErrors({"channel": "must be one of whatsapp_web, whatsapp_cloud, email"})
            turn = None
            if request.HasField("ai_turn"):
                t = request.ai_turn
                turn = outbound.AiTurnRecord(
                    provider=t.provider,
                    model=t.model,
                    prompt_tokens=t.prompt_tokens,
                    completion_tokens=t.completion_tokens,
                    latency_ms=t.latency_ms,
                    intent=t.intent,
                    knowledge_document_ids=list(t.knowledge_document_ids),
                    inbound_message_id=_uuid(
                        t.inbound_message_id, "ai_turn.inbound_message_id", required=False
                    ),
                    **turn_fields,
                )
            job_id = _uuid(request.job_id, "job_id", required=False)
        except FieldErrors as exc:
            raise FieldErrors({prefix + f: r for f, r in exc.violations.items()}) from None
        return {
            "lead_id": lead_id,
            "channel": channel,
            "text": request.text,
            "subject": request.subject,
            "idempotency_key": request.idempotency_key,
            "job_id": job_id,
            "ai_turn": turn,
            "purpose": convert.PURPOSE_CODE.get(request.purpose, "reply"),
        }

    @_rpc
    def ReserveOutboundMessage(self, request: pb.ReserveOutboundMessageRequest, context):
        arguments = self._reservation(request)
        with self._db.transaction() as session:
            message, created = outbound.reserve(session, **arguments)
            return pb.ReserveOutboundMessageResponse(message=convert.message(message), created=created)

    @_rpc
    def MarkMessageSent(self, request: pb.MarkMessageSentRequest, context):
        message_id = _uuid(request.message_id, "message_id")
        job_id = _uuid(request.complete_job_id, "complete_job_id", required=False)
        with self._db.transaction() as session:
            message = outbound.mark_sent(session, message_id, request.external_id, job_id)
            return pb.MarkMessageSentResponse(message=convert.message(message))

    @_rpc
    def MarkMessageFailed(self, request: pb.MarkMessageFailedRequest, context):
        message_id = _uuid(request.message_id, "message_id")
        with self._db.transaction() as session:
            message = outbound.mark_failed(
                session, message_id, request.error_message, address_invalid=request.address_invalid
            )
            return pb.MarkMessageFailedResponse(message=convert.message(message))

    # -- scheduling and time --------------------------------------------------

    @_rpc
    def DeferJob(self, request: pb.DeferJobRequest, context):
        job_id = _uuid(request.job_id, "job_id")
        if not 0 <= request.delay_seconds <= 30 * 24 * 3600:
            raise FieldErrors({"delay_seconds": "must be between 0 and 30 days"})
        with self._db.transaction() as session:
            job = jobs.defer(session, job_id, request.delay_seconds, request.reason)
            if job is None:
                raise LookupError(f"job {job_id} not found")
            return pb.DeferJobResponse(job=convert.job(job))

    @_rpc
    def GetClock(self, request, context):
        return pb.GetClockResponse(
            now=convert.ts(self._db.clock.now()), controllable=self._db.clock.controllable
        )

    @_rpc
    def SetClock(self, request: pb.SetClockRequest, context):
        clock = self._db.clock
        try:
            if request.WhichOneof("change") == "advance_seconds":
                now = clock.advance(request.advance_seconds)
            elif request.WhichOneof("change") == "at":
                now = clock.set(request.at.ToDatetime(tzinfo=UTC))
            else:
                raise FieldErrors({"change": "set advance_seconds or at"})
        except ClockLocked as exc:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
        except ValueError as exc:
            if isinstance(exc, FieldErrors):
                raise
            raise FieldErrors({request.WhichOneof("change") or "change": str(exc)}) from None
        with self._db.transaction() as session:
            clockstore.save(session, clock.offset_seconds)
        log.warning("test clock moved to %s", now.isoformat())
        return pb.SetClockResponse(now=convert.ts(now))

    @_rpc
    def ScheduleJob(self, request: pb.ScheduleJobRequest, context):
        company_id = _uuid(request.company_id, "company_id", required=False)
        lead_id = _uuid(request.lead_id, "lead_id", required=False)
        if request.delay_seconds < 0:
            raise FieldErrors({"delay_seconds": "must not be negative"})
        with self._db.transaction() as session:
            if request.HasField("run_at"):
                run_at = request.run_at.ToDatetime(tzinfo=UTC)
            else:
                run_at = now_of(session) + timedelta(seconds=request.delay_seconds)
            if lead_id is not None and company_id is None:
                company_id = conversations.get_lead(session, lead_id).lead.company_id
            job, created = jobs.schedule(
                session,
                task_name=request.task_name,
                idempotency_key=request.idempotency_key,
                company_id=company_id,
                lead_id=lead_id,
                payload=dict(request.payload),
                run_at=run_at,
                priority=request.priority,
            )
            return pb.ScheduleJobResponse(job=convert.job(job), created=created)

    @_rpc
    def CancelLeadJobs(self, request: pb.CancelLeadJobsRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id")
        unknown = [t for t in request.task_names if t not in jobs.PRIORITIES]
        if unknown or not request.task_names:
            raise FieldErrors({"task_names": f"must name tasks among {', '.join(jobs.PRIORITIES)}"})
        with self._db.transaction() as session:
            count = consent.cancel_jobs(
                session, lead_id, tuple(request.task_names), request.reason or "cancelled"
            )
            return pb.CancelLeadJobsResponse(cancelled=count)

    # -- consent ----------------------------------------------------------------

    def _lead_for(self, session, request) -> uuid.UUID:
        if request.lead_id:
            return _uuid(request.lead_id, "lead_id")
        if not request.phone_number:
            raise FieldErrors({"lead_id": "is required (or phone_number, with company_id)"})
        # As at intake: no company means the default company.
        company_id = (
            _uuid(request.company_id, "company_id", required=False) or self._settings.default_company_id
        )
        try:
            # A lookup of a stored lead: any number intake could have stored will do.
            phone = intake.normalise_phone(
                request.phone_number, self._settings.default_phone_region, verified=True
            )
        except ValueError as exc:
            raise FieldErrors({"phone_number": str(exc)}) from None
        lead_id = conversations.find_lead_id(session, company_id, phone)
        if lead_id is None:
            raise LookupError(f"no lead with phone {phone} in company {company_id}")
        return lead_id

    @_rpc
    def RecordConsent(self, request: pb.RecordConsentRequest, context):
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
            return pb.RecordConsentResponse(
                consent=convert.consent_record(entry),
                lead=convert.lead(conversations.get_lead(session, lead_id)),
            )

    @_rpc
    def ListConsents(self, request: pb.ListConsentsRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id")
        with self._db.read() as session:
            conversations.get_lead(session, lead_id)
            rows = session.scalars(
                select(Consent).where(Consent.lead_id == lead_id).order_by(Consent.created_at, Consent.id)
            ).all()
            return pb.ListConsentsResponse(consents=[convert.consent_record(r) for r in rows])

    @_rpc
    def CheckSendPolicy(self, request: pb.CheckSendPolicyRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id")
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

    # -- templates --------------------------------------------------------------

    @_rpc
    def UpsertTemplate(self, request: pb.UpsertTemplateRequest, context):
        t = request.template
        channel = TO_CODE.get(t.channel)
        if channel is None:
            raise FieldErrors({"template.channel": "must be one of whatsapp_web, whatsapp_cloud, email"})
        with self._db.transaction() as session:
            row, created = templates.upsert(
                session,
                template_id=_uuid(t.id, "template.id", required=False),
                company_id=_uuid(t.company_id, "template.company_id"),
                name=t.name,
                channel=channel,
                language=t.language,
                subject=t.subject,
                body=t.body,
                variables=list(t.variables),
            )
            return pb.UpsertTemplateResponse(template=convert.template(row), created=created)

    @_rpc
    def ListTemplates(self, request: pb.ListTemplatesRequest, context):
        company_id = _uuid(request.company_id, "company_id")
        with self._db.read() as session:
            rows = templates.list_templates(session, company_id, TO_CODE.get(request.channel))
            return pb.ListTemplatesResponse(templates=[convert.template(r) for r in rows])

    @_rpc
    def DeleteTemplate(self, request: pb.DeleteTemplateRequest, context):
        template_id = _uuid(request.template_id, "template_id")
        with self._db.transaction() as session:
            templates.remove(session, template_id)
        return pb.DeleteTemplateResponse()

    # -- delivery truth ---------------------------------------------------------

    @_rpc
    def ApplyDeliveryStatus(self, request: pb.ApplyDeliveryStatusRequest, context):
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
            return pb.ApplyDeliveryStatusResponse(
                message=convert.message(result.message) if result.message is not None else None,
                applied=result.applied,
                duplicate=result.duplicate,
                pending=result.pending,
            )

    # -- issue 5: company settings -------------------------------------------------

    @_rpc
    def GetCompanySettings(self, request: pb.GetCompanySettingsRequest, context):
        company_id = _uuid(request.company_id, "company_id")
        with self._db.read() as session:
            return pb.GetCompanySettingsResponse(
                settings=convert.company_settings(company_settings.get(session, company_id))
            )

    @_rpc
    def UpdateCompanySettings(self, request: pb.UpdateCompanySettingsRequest, context):
        given = request.settings
        company_id = _uuid(given.company_id, "settings.company_id")
        fields = (
            "name",
            "timezone",
            "followup_delay_seconds",
            "max_bumps",
            "quiet_hours_enabled",
            "quiet_hours_start",
            "quiet_hours_end",
            "followup_template",
        )
        changes = {f: getattr(given, f) for f in fields if given.HasField(f)}
        with self._db.transaction() as session:
            value, created = company_settings.update(
                session, company_id, changes, self._default_name(company_id)
            )
            return pb.UpdateCompanySettingsResponse(
                settings=convert.company_settings(value), company_created=created
            )

    # -- issue 5: sequences and enrolments -------------------------------------------

    @_rpc
    def UpsertSequence(self, request: pb.UpsertSequenceRequest, context):
        given = request.sequence
        trigger = {
            "course": " ".join(given.trigger.course.split()),
            "keywords": [k.strip() for k in given.trigger.keywords],
            "channels": [TO_CODE.get(c) for c in given.trigger.channels],
            "all_new_leads": given.trigger.all_new_leads,
        }
        steps = [
            sequences.StepSpec(
                position=step.position,
                channel=TO_CODE.get(step.channel),
                template_id=_uuid(step.template_id, f"sequence.steps.{i}.template_id", required=False),
                delay_seconds=step.delay_seconds,
                stop_conditions=list(step.stop_conditions),
            )
            for i, step in enumerate(given.steps)
        ]
        with self._db.transaction() as session:
            view, created = sequences.upsert(
                session,
                sequence_id=_uuid(given.id, "sequence.id", required=False),
                company_id=_uuid(given.company_id, "sequence.company_id"),
                name=given.name,
                active=given.active,
                trigger=trigger,
                steps=steps,
            )
            return pb.UpsertSequenceResponse(sequence=convert.sequence(view), created=created)

    @_rpc
    def GetSequence(self, request: pb.GetSequenceRequest, context):
        sequence_id = _uuid(request.sequence_id, "sequence_id")
        with self._db.read() as session:
            return pb.GetSequenceResponse(sequence=convert.sequence(sequences.get(session, sequence_id)))

    @_rpc
    def ListSequences(self, request: pb.ListSequencesRequest, context):
        company_id = _uuid(request.company_id, "company_id")
        with self._db.read() as session:
            views = sequences.list_for(session, company_id)
            return pb.ListSequencesResponse(sequences=[convert.sequence(v) for v in views])

    @_rpc
    def DeleteSequence(self, request: pb.DeleteSequenceRequest, context):
        sequence_id = _uuid(request.sequence_id, "sequence_id")
        with self._db.transaction() as session:
            sequences.delete(session, sequence_id)
        return pb.DeleteSequenceResponse()

    @_rpc
    def EnrolLead(self, request: pb.EnrolLeadRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id")
        sequence_id = _uuid(request.sequence_id, "sequence_id")
        with self._db.transaction() as session:
            sequence = session.get(Sequence, sequence_id)
            if sequence is None:
                raise LookupError(f"sequence {sequence_id} not found")
            enrolment, created = sequences.enrol(session, sequence=sequence, lead_id=lead_id, source="api")
            return pb.EnrolLeadResponse(enrolment=convert.enrolment(enrolment), created=created)

    @_rpc
    def ListEnrolments(self, request: pb.ListEnrolmentsRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id", required=False)
        sequence_id = _uuid(request.sequence_id, "sequence_id", required=False)
        if (lead_id is None) == (sequence_id is None):
            raise FieldErrors({"lead_id": "set exactly one of lead_id and sequence_id"})
        with self._db.read() as session:
            rows = sequences.list_enrolments(session, lead_id=lead_id, sequence_id=sequence_id)
            return pb.ListEnrolmentsResponse(enrolments=[convert.enrolment(r) for r in rows])

    @_rpc
    def StopEnrolment(self, request: pb.StopEnrolmentRequest, context):
        enrolment_id = _uuid(request.enrolment_id, "enrolment_id")
        with self._db.transaction() as session:
            enrolment = session.get(SequenceEnrolment, enrolment_id, with_for_update=True)
            if enrolment is None:
                raise LookupError(f"enrolment {enrolment_id} not found")
            sequences.stop(session, enrolment, request.reason.strip() or "stopped through the API")
            return pb.StopEnrolmentResponse(enrolment=convert.enrolment(enrolment))

    # -- issue 5: follow-ups and sequence steps at run time ------------------------------

    @_rpc
    def PrepareOutreach(self, request: pb.PrepareOutreachRequest, context):
        job_id = _uuid(request.job_id, "job_id")
        with self._db.transaction() as session:
            value = outreach.prepare(session, job_id)
            view = conversations.get_lead(session, value.lead.id) if value.lead is not None else None
            return convert.prepared(value, view)

    # -- issue 5: webhooks -----------------------------------------------------------------

    @_rpc
    def UpsertWebhookSubscription(self, request: pb.UpsertWebhookSubscriptionRequest, context):
        given = request.subscription
        company_id = _uuid(given.company_id, "subscription.company_id")
        with self._db.transaction() as session:
            row, created = webhooks.upsert(
                session,
                subscription_id=_uuid(given.id, "subscription.id", required=False),
                company_id=company_id,
                url=given.url,
                names=[e.strip() for e in given.events],
                active=given.active,
            )
            return pb.UpsertWebhookSubscriptionResponse(
                subscription=convert.webhook_subscription(row),
                created=created,
                secret=webhooks.secret(session, company_id),
            )

    @_rpc
    def ListWebhookSubscriptions(self, request: pb.ListWebhookSubscriptionsRequest, context):
        company_id = _uuid(request.company_id, "company_id")
        with self._db.read() as session:
            rows = webhooks.list_for(session, company_id)
            return pb.ListWebhookSubscriptionsResponse(
                subscriptions=[convert.webhook_subscription(r) for r in rows]
            )

    @_rpc
    def DeleteWebhookSubscription(self, request: pb.DeleteWebhookSubscriptionRequest, context):
        subscription_id = _uuid(request.subscription_id, "subscription_id")
        with self._db.transaction() as session:
            webhooks.remove(session, subscription_id)
        return pb.DeleteWebhookSubscriptionResponse()

    @_rpc
    def RotateWebhookSecret(self, request: pb.RotateWebhookSecretRequest, context):
        company_id = _uuid(request.company_id, "company_id")
        with self._db.transaction() as session:
            return pb.RotateWebhookSecretResponse(secret=webhooks.rotate(session, company_id))

    @_rpc
    def PrepareWebhookDelivery(self, request: pb.PrepareWebhookDeliveryRequest, context):
        job_id = _uuid(request.job_id, "job_id")
        with self._db.transaction() as session:
            delivery = webhooks.prepare(session, job_id)
            return pb.PrepareWebhookDeliveryResponse(
                proceed=delivery.proceed,
                reason=delivery.reason,
                url=delivery.url,
                body=delivery.body,
                headers=delivery.headers,
            )

    # -- issue 5: one-click unsubscribe ------------------------------------------------------

    @_rpc
    def DescribeUnsubscribeToken(self, request: pb.DescribeUnsubscribeTokenRequest, context):
        with self._db.read() as session:
            view = unsubscribe.describe(session, request.token)
            return pb.DescribeUnsubscribeTokenResponse(
                company_name=view.company_name,
                masked_address=view.masked_address,
                unsubscribed=view.unsubscribed,
            )

    @_rpc
    def UnsubscribeByToken(self, request: pb.UnsubscribeByTokenRequest, context):
        with self._db.transaction() as session:
            name, changed = unsubscribe.unsubscribe(session, request.token, dict(request.evidence))
            return pb.UnsubscribeByTokenResponse(company_name=name, changed=changed)

    # -- AI turns ---------------------------------------------------------------

    @_rpc
    def GetReplyContext(self, request: pb.GetReplyContextRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id")
        message_id = _uuid(request.message_id, "message_id")
        policy_purpose = None
        if request.policy_purpose:
            policy_purpose = convert.PURPOSE_CODE.get(request.policy_purpose)
            if policy_purpose is None:
                raise FieldErrors({"policy_purpose": "is not a known purpose"})
        with self._db.read() as session:
            ctx = turns.reply_context(
                session,
                lead_id,
                message_id,
                history_limit=min(request.history_limit or 20, 200),
                knowledge_limit=min(request.knowledge_limit or 5, 20),
            )
            policy = None
            if policy_purpose is not None and ctx.pending:
                policy = convert.policy(
                    consent.policy(session, lead_id, ctx.pending[-1].channel, policy_purpose)
                )
            return pb.GetReplyContextResponse(
                lead=convert.lead(ctx.lead),
                company=convert.company(ctx.company),
                ai_model=convert.ai_model(ctx.ai),
                history=[convert.message(m) for m in ctx.history],
                pending=[convert.message(m) for m in ctx.pending],
                knowledge=[convert.match(m) for m in ctx.knowledge],
                answered_by_message_id=str(ctx.answered_by) if ctx.answered_by else "",
                replied_before=ctx.replied_before,
                now=convert.ts(ctx.now),
                policy=policy,
            )

    @_rpc
    def ReserveReply(self, request: pb.ReserveReplyRequest, context):
        o = request.outcome
        outcome = outcomes.Outcome(
            answered_message_ids=tuple(dict.fromkeys(o.answered_message_ids)),
            suggested_stage=o.suggested_stage,
            hand_off=o.hand_off,
            enrolled=o.enrolled,
            hot=o.hot,
            unanswered_question=o.unanswered_question,
            summarize_every_messages=o.summarize_every_messages,
        )
        violations: dict[str, str] = {}
        try:
            outcomes.validate(outcome)
        except FieldErrors as exc:
            violations.update(exc.violations)
        try:
            arguments = self._reservation(
                request.message,
                "message.",
                answered_message_ids=outcome.answered_message_ids,
                suggested_stage=outcome.suggested_stage,
                hand_off=outcome.hand_off,
                unanswered=bool(outcome.unanswered_question.strip()),
            )
        except FieldErrors as exc:
            violations.update(exc.violations)
        if violations:  # every bad field at once
            raise FieldErrors(violations)
        with self._db.transaction() as session:
            # The policy below is the send-time check, so it must see the lead as of now: locked
            # and read afresh (an opt-out committed while this waited wins), before the reservation.
            lead = conversations.lock_lead(session, arguments["lead_id"])
            message, created = outbound.reserve(session, **arguments)
            if created:
                lead = outcomes.apply(session, lead, message.id, outcome)
                if outcome.applied:
                    log.info("lead %s: turn outcome %s", arguments["lead_id"], ", ".join(outcome.applied))
            # For the purpose the message was reserved with: a repeated key returns the earlier
            # message, whatever this call asked.
            purpose = (message.meta or {}).get("purpose", arguments["purpose"])
            policy = consent.policy(session, arguments["lead_id"], message.channel, purpose)
            return pb.ReserveReplyResponse(
                message=convert.message(message),
                created=created,
                lead=convert.lead(lead),
                policy=convert.policy(policy),
            )

    @_rpc
    def ListAiTurns(self, request: pb.ListAiTurnsRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id")
        limit = request.limit or 100
        if not 1 <= limit <= 1000:
            raise FieldErrors({"limit": "must be between 1 and 1000"})
        with self._db.read() as session:
            rows = turns.list_turns(session, lead_id, limit)
            return pb.ListAiTurnsResponse(turns=[convert.ai_turn_record(r) for r in rows])

    @_rpc
    def ListUnansweredQuestions(self, request: pb.ListUnansweredQuestionsRequest, context):
        company_id = _uuid(request.company_id, "company_id")
        limit = request.limit or 100
        if not 1 <= limit <= 1000:
            raise FieldErrors({"limit": "must be between 1 and 1000"})
        with self._db.read() as session:
            rows = unanswered.list_questions(session, company_id, request.include_resolved, limit)
            return pb.ListUnansweredQuestionsResponse(
                questions=[convert.unanswered_question(r) for r in rows]
            )

    @_rpc
    def ResolveUnansweredQuestion(self, request: pb.ResolveUnansweredQuestionRequest, context):
        question_id = _uuid(request.question_id, "question_id")
        with self._db.transaction() as session:
            row = unanswered.resolve(session, question_id, request.resolution)
            return pb.ResolveUnansweredQuestionResponse(question=convert.unanswered_question(row))

    @_rpc
    def UpdateLeadSummary(self, request: pb.UpdateLeadSummaryRequest, context):
        lead_id = _uuid(request.lead_id, "lead_id")
        if not request.summary.strip():
            raise FieldErrors({"summary": "must not be empty"})
        usage = None
        if request.HasField("usage"):
            u = request.usage
            usage = turns.SummaryUsage(
                u.provider, u.model, u.prompt_tokens, u.completion_tokens, u.latency_ms
            )
        with self._db.transaction() as session:
            turns.update_summary(session, lead_id, request.summary, usage)
            return pb.UpdateLeadSummaryResponse(lead=convert.lead(conversations.get_lead(session, lead_id)))
