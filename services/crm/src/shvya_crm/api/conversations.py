"""The ConversationsService: reply context, reservations and marks, AI turns, the knowledge base and AI settings."""

from __future__ import annotations

import logging

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import conversations_service_pb2_grpc
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.api import convert
from shvya_crm.api.channels import TO_CODE
from shvya_crm.api.rpc import parse_uuid, rpc
from shvya_crm.conversations import aimodels, knowledge, outbound, outcomes, turns, unanswered
from shvya_crm.leads import consent, inbound, queries
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.db import Database
from shvya_rpc.errors import FieldErrors

log = logging.getLogger(__name__)

# A tried-out question: a long message, not a document.
MAX_PREVIEW_CHARS = 4000


class ConversationsServicer(conversations_service_pb2_grpc.ConversationsServiceServicer):
    def __init__(self, settings: CrmSettings, db: Database) -> None:
        self._settings = settings
        self._db = db

    @rpc
    def SearchKnowledgeBase(self, request: conversations_pb.SearchKnowledgeBaseRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        limit = request.limit or 5
        if not 1 <= limit <= 50:
            raise FieldErrors({"limit": "must be between 1 and 50"})
        with self._db.read() as session:
            hits = knowledge.search(session, company_id, request.query, limit)
            return conversations_pb.SearchKnowledgeBaseResponse(matches=[convert.match(h) for h in hits])

    @rpc
    def UpsertKnowledgeDocument(self, request: conversations_pb.UpsertKnowledgeDocumentRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        document_id = parse_uuid(request.document_id, "document_id", required=False)
        with self._db.transaction() as session:
            document, created = knowledge.upsert(
                session,
                company_id=company_id,
                document_id=document_id,
                title=request.title,
                content=request.content,
                tags=list(request.tags),
            )
            return conversations_pb.UpsertKnowledgeDocumentResponse(
                document=convert.document(document), created=created
            )

    @rpc
    def DeleteKnowledgeDocument(self, request: conversations_pb.DeleteKnowledgeDocumentRequest, context):
        document_id = parse_uuid(request.document_id, "document_id")
        with self._db.transaction() as session:
            knowledge.remove(session, document_id)
        return conversations_pb.DeleteKnowledgeDocumentResponse()

    @rpc
    def ListKnowledgeDocuments(self, request: conversations_pb.ListKnowledgeDocumentsRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.read() as session:
            rows = knowledge.list_documents(session, company_id)
            return conversations_pb.ListKnowledgeDocumentsResponse(
                documents=[convert.document(d) for d in rows]
            )

    @rpc
    def GetAiModel(self, request: conversations_pb.GetAiModelRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.read() as session:
            return conversations_pb.GetAiModelResponse(
                ai_model=convert.ai_model(
                    aimodels.get(session, company_id), aimodels.answered_by(session, company_id)
                )
            )

    @rpc
    def UpdateAiModel(self, request: conversations_pb.UpdateAiModelRequest, context):
        m = request.ai_model
        config = aimodels.AiConfig(
            company_id=parse_uuid(m.company_id, "ai_model.company_id"),
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
            return conversations_pb.UpdateAiModelResponse(ai_model=convert.ai_model(updated))

    @staticmethod
    def _reservation(
        request: conversations_pb.ReserveOutboundMessageRequest, prefix: str = "", **turn_fields
    ) -> dict:
        """The arguments of outbound.reserve; field errors name `prefix` + the field."""
        try:
            lead_id = parse_uuid(request.lead_id, "lead_id")
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
                    inbound_message_id=parse_uuid(
                        t.inbound_message_id, "ai_turn.inbound_message_id", required=False
                    ),
                    **turn_fields,
                )
            job_id = parse_uuid(request.job_id, "job_id", required=False)
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

    @rpc
    def ReserveOutboundMessage(self, request: conversations_pb.ReserveOutboundMessageRequest, context):
        arguments = self._reservation(request)
        with self._db.transaction() as session:
            message, created = outbound.reserve(session, **arguments)
            return conversations_pb.ReserveOutboundMessageResponse(
                message=convert.message(message), created=created
            )

    @rpc
    def MarkMessageSent(self, request: conversations_pb.MarkMessageSentRequest, context):
        message_id = parse_uuid(request.message_id, "message_id")
        job_id = parse_uuid(request.complete_job_id, "complete_job_id", required=False)
        with self._db.transaction() as session:
            message = outbound.mark_sent(session, message_id, request.external_id, job_id)
            return conversations_pb.MarkMessageSentResponse(message=convert.message(message))

    @rpc
    def MarkMessageFailed(self, request: conversations_pb.MarkMessageFailedRequest, context):
        message_id = parse_uuid(request.message_id, "message_id")
        with self._db.transaction() as session:
            message = outbound.mark_failed(
                session, message_id, request.error_message, address_invalid=request.address_invalid
            )
            return conversations_pb.MarkMessageFailedResponse(message=convert.message(message))

    @rpc
    def GetReplyContext(self, request: conversations_pb.GetReplyContextRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        message_id = parse_uuid(request.message_id, "message_id")
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
            return conversations_pb.GetReplyContextResponse(
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

    @rpc
    def GetPreviewContext(self, request: conversations_pb.GetPreviewContextRequest, context):
        company_id = parse_uuid(request.company_id, "company_id", required=False)
        company_id = company_id or self._settings.default_company_id
        problems = {}
        question = request.question.strip()
        if not question:
            problems["question"] = "is required"
        elif len(question) > MAX_PREVIEW_CHARS:
            problems["question"] = f"must be at most {MAX_PREVIEW_CHARS} characters"
        if len(request.course) > inbound.MAX_COURSE_CHARS:
            problems["course"] = f"must be at most {inbound.MAX_COURSE_CHARS} characters"
        channel = request.channel or channel_pb2.CHANNEL_WHATSAPP_WEB
        if channel not in TO_CODE:
            problems["channel"] = "is not a known channel"
        if problems:
            raise FieldErrors(problems)
        with self._db.read() as session:
            ctx = turns.preview_context(
                session, company_id, question, knowledge_limit=min(request.knowledge_limit or 5, 20)
            )
            now = convert.ts(ctx.now)
            # Shaped as a real first turn's context, so that the conductor composes from it exactly
            # as it does for a lead; nothing here has an id because nothing was stored.
            reply_context = conversations_pb.GetReplyContextResponse(
                lead=crm_pb.Lead(
                    company_id=str(company_id),
                    stage="new",
                    status="active",
                    channel=channel,
                    course=" ".join(request.course.split()),
                    source="preview",
                    created_at=now,
                ),
                company=convert.company(ctx.company),
                ai_model=convert.ai_model(ctx.ai),
                pending=[
                    crm_pb.Message(
                        company_id=str(company_id),
                        channel=channel,
                        direction=crm_pb.MESSAGE_DIRECTION_INBOUND,
                        status=crm_pb.MESSAGE_STATUS_RECEIVED,
                        text=question,
                        created_at=now,
                    )
                ],
                knowledge=[convert.match(m) for m in ctx.knowledge],
                now=now,
            )
            return conversations_pb.GetPreviewContextResponse(context=reply_context)

    @rpc
    def ReserveReply(self, request: conversations_pb.ReserveReplyRequest, context):
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
            lead = queries.lock_lead(session, arguments["lead_id"])
            message, created = outbound.reserve(session, **arguments)
            if created:
                lead = outcomes.apply(session, lead, message.id, outcome)
                if outcome.applied:
                    log.info("lead %s: turn outcome %s", arguments["lead_id"], ", ".join(outcome.applied))
            # For the purpose the message was reserved with: a repeated key returns the earlier
            # message, whatever this call asked.
            purpose = (message.meta or {}).get("purpose", arguments["purpose"])
            policy = consent.policy(session, arguments["lead_id"], message.channel, purpose)
            return conversations_pb.ReserveReplyResponse(
                message=convert.message(message),
                created=created,
                lead=convert.lead(lead),
                policy=convert.policy(policy),
            )

    @rpc
    def ListAiTurns(self, request: conversations_pb.ListAiTurnsRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        limit = request.limit or 100
        if not 1 <= limit <= 1000:
            raise FieldErrors({"limit": "must be between 1 and 1000"})
        with self._db.read() as session:
            rows = turns.list_turns(session, lead_id, limit)
            return conversations_pb.ListAiTurnsResponse(turns=[convert.ai_turn_record(r) for r in rows])

    @rpc
    def ListUnansweredQuestions(self, request: conversations_pb.ListUnansweredQuestionsRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        limit = request.limit or 100
        if not 1 <= limit <= 1000:
            raise FieldErrors({"limit": "must be between 1 and 1000"})
        with self._db.read() as session:
            rows = unanswered.list_questions(session, company_id, request.include_resolved, limit)
            return conversations_pb.ListUnansweredQuestionsResponse(
                questions=[convert.unanswered_question(r) for r in rows]
            )

    @rpc
    def ResolveUnansweredQuestion(self, request: conversations_pb.ResolveUnansweredQuestionRequest, context):
        question_id = parse_uuid(request.question_id, "question_id")
        with self._db.transaction() as session:
            row = unanswered.resolve(session, question_id, request.resolution)
            return conversations_pb.ResolveUnansweredQuestionResponse(
                question=convert.unanswered_question(row)
            )

    @rpc
    def UpdateLeadSummary(self, request: conversations_pb.UpdateLeadSummaryRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
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
            return conversations_pb.UpdateLeadSummaryResponse(
                lead=convert.lead(queries.get_lead(session, lead_id))
            )
