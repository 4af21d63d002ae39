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
from shvya_crm import aimodels, consent, conversations, convert, intake, jobs, knowledge, outbound, templates
from shvya_crm.channels import TO_CODE
from shvya_crm.clock import ClockLocked, now_of
from shvya_crm.db import Database
from shvya_crm.models import Consent, Job
from shvya_crm.settings import CrmSettings
from shvya_rpc.errors import FieldErrors, abort_invalid

log = logging.getLogger(__name__)


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
        )
        with self._db.transaction() as session:
            result = intake.ingest(
                session,
                inbound,
                default_company_name=self._default_name(inbound.company_id),
                dedupe_window_seconds=self._settings.dedupe_window_seconds,
            )
        return pb.IngestInboundMessageResponse(
            company_id=str(result.company_id),
            lead_id=str(result.lead_id),
            message_id=str(result.message_id),
            job_id=str(result.job_id) if result.job_id else "",
            duplicate=result.duplicate,
            lead_created=result.lead_created,
            task_name=intake.AI_ENGAGE if result.job_id else "",
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
            return pb.GetAiModelResponse(ai_model=convert.ai_model(aimodels.get(session, company_id)))

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
    def ClaimDueJobs(self, request: pb.ClaimDueJobsRequest, context):
        with self._db.transaction() as session:
            claimed = jobs.claim_due(session, request.limit or 100, request.lease_seconds or 30)
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

    @_rpc
    def ReserveOutboundMessage(self, request: pb.ReserveOutboundMessageRequest, context):
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
                inbound_message_id=_uuid(t.inbound_message_id, "ai_turn.inbound_message_id", required=False),
            )
        with self._db.transaction() as session:
            message, created = outbound.reserve(
                session,
                lead_id=lead_id,
                channel=channel,
                text=request.text,
                subject=request.subject,
                idempotency_key=request.idempotency_key,
                job_id=_uuid(request.job_id, "job_id", required=False),
                ai_turn=turn,
                purpose=convert.PURPOSE_CODE.get(request.purpose, "reply"),
            )
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
            message = outbound.mark_failed(session, message_id, request.error_message)
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
        if not request.company_id or not request.phone_number:
            raise FieldErrors({"lead_id": "is required (or company_id and phone_number)"})
        company_id = _uuid(request.company_id, "company_id")
        try:
            phone = intake.normalise_phone(request.phone_number, self._settings.default_phone_region)
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
