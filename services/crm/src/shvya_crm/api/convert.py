"""Conversion of stored rows into contract messages."""

from __future__ import annotations

from datetime import datetime

from google.protobuf import timestamp_pb2

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya_crm.api.channels import FROM_CODE
from shvya_crm.conversations import aimodels, knowledge
from shvya_crm.leads import consent
from shvya_crm.leads.queries import LeadView
from shvya_crm.outreach import company_settings as company_settings_
from shvya_crm.outreach import preparation, sequence_admin
from shvya_crm.storage import models

MESSAGE_STATUS = {
    "received": crm_pb.MESSAGE_STATUS_RECEIVED,
    "queued": crm_pb.MESSAGE_STATUS_QUEUED,
    "sent": crm_pb.MESSAGE_STATUS_SENT,
    "delivered": crm_pb.MESSAGE_STATUS_DELIVERED,
    "read": crm_pb.MESSAGE_STATUS_READ,
    "failed": crm_pb.MESSAGE_STATUS_FAILED,
}
# The statuses a channel reports about an outbound message.
DELIVERY_STATUS_CODE = {
    crm_pb.MESSAGE_STATUS_SENT: "sent",
    crm_pb.MESSAGE_STATUS_DELIVERED: "delivered",
    crm_pb.MESSAGE_STATUS_READ: "read",
    crm_pb.MESSAGE_STATUS_FAILED: "failed",
}
DIRECTION = {"inbound": crm_pb.MESSAGE_DIRECTION_INBOUND, "outbound": crm_pb.MESSAGE_DIRECTION_OUTBOUND}
JOB_STATUS = {
    "queued": jobs_pb.JOB_STATUS_QUEUED,
    "processing": jobs_pb.JOB_STATUS_PROCESSING,
    "completed": jobs_pb.JOB_STATUS_COMPLETED,
    "failed": jobs_pb.JOB_STATUS_FAILED,
    "dlq": jobs_pb.JOB_STATUS_DLQ,
    "cancelled": jobs_pb.JOB_STATUS_CANCELLED,
}


PURPOSE = {
    "reply": crm_pb.SEND_PURPOSE_REPLY,
    "opt_out_confirmation": crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION,
    "followup": crm_pb.SEND_PURPOSE_FOLLOWUP,
    "sequence": crm_pb.SEND_PURPOSE_SEQUENCE,
    "handoff": crm_pb.SEND_PURPOSE_HANDOFF,
    "counsellor": crm_pb.SEND_PURPOSE_COUNSELLOR,
}
PURPOSE_CODE = {v: k for k, v in PURPOSE.items()}
CONSENT_ACTION = {"opt_in": leads_pb.CONSENT_ACTION_OPT_IN, "opt_out": leads_pb.CONSENT_ACTION_OPT_OUT}
CONSENT_ACTION_CODE = {v: k for k, v in CONSENT_ACTION.items()}
DECISION = {
    "allow": crm_pb.SEND_DECISION_ALLOW,
    "suppress": crm_pb.SEND_DECISION_SUPPRESS,
    "defer": crm_pb.SEND_DECISION_DEFER,
}


def ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    out = timestamp_pb2.Timestamp()
    out.FromDatetime(value)
    return out


def lead(view: LeadView) -> crm_pb.Lead:
    row = view.lead
    handed_off = row.status == "handed_off"
    return crm_pb.Lead(
        id=str(row.id),
        company_id=str(row.company_id),
        contact_name=row.contact_name,
        phone_number=row.phone,
        email=row.email or "",
        stage=view.stage_key,
        status=row.status,
        summary=row.summary,
        created_at=ts(row.created_at),
        updated_at=ts(row.updated_at),
        last_inbound_at=ts(row.last_inbound_at),
        last_outbound_at=ts(row.last_outbound_at),
        channel=FROM_CODE.get(row.channel, 0),
        tags=list(row.tags or ()),
        course=str((row.profile or {}).get("course") or ""),
        source=row.source,
        last_message_at=ts(_last_message_at(row)),
        assigned_user_id=str(row.assigned_user_id) if row.assigned_user_id else "",
        assigned_at=ts(row.assigned_at),
        human_user_id=str(row.assigned_user_id) if handed_off and row.assigned_user_id else "",
        taken_over_at=ts(row.taken_over_at) if handed_off else None,
        whatsapp_window_ends_at=ts(view.whatsapp_window_ends_at),
    )


def _last_message_at(row: models.Lead) -> datetime | None:
    # As leads/search.py sorts: the later of the last messages either way, else the creation.
    times = [t for t in (row.last_inbound_at, row.last_outbound_at) if t is not None]
    return max(times) if times else row.created_at


def message(row: models.Message) -> crm_pb.Message:
    return crm_pb.Message(
        id=str(row.id),
        company_id=str(row.company_id),
        lead_id=str(row.lead_id),
        channel=FROM_CODE.get(row.channel, 0),
        direction=DIRECTION[row.direction],
        status=MESSAGE_STATUS[row.status],
        text=row.text,
        subject=row.subject,
        external_id=row.external_id or "",
        error_message=row.error_message,
        created_at=ts(row.created_at),
        sent_at=ts(row.sent_at),
        delivered_at=ts(row.delivered_at),
        read_at=ts(row.read_at),
        failed_at=ts(row.failed_at),
        job_id=str(row.job_id) if row.job_id else "",
        purpose=PURPOSE.get((row.meta or {}).get("purpose", ""), crm_pb.SEND_PURPOSE_UNSPECIFIED),
        author_user_id=str(row.author_user_id) if row.author_user_id else "",
        author=((row.meta or {}).get("author") or row.source) if row.direction == "outbound" else "",
    )


def job(row: models.Job) -> jobs_pb.Job:
    return jobs_pb.Job(
        id=str(row.id),
        company_id=str(row.company_id) if row.company_id else "",
        lead_id=str(row.lead_id) if row.lead_id else "",
        task_name=row.task_name,
        priority=row.priority,
        status=JOB_STATUS[row.status],
        attempts=row.attempts,
        idempotency_key=row.idempotency_key,
        payload={k: str(v) for k, v in (row.payload or {}).items()},
        error_message=row.error_message,
        run_at=ts(row.run_at),
        created_at=ts(row.created_at),
        updated_at=ts(row.updated_at),
        completed_at=ts(row.completed_at),
    )


def document(row: models.AiKbDoc) -> conversations_pb.KnowledgeDocument:
    return conversations_pb.KnowledgeDocument(
        id=str(row.id),
        company_id=str(row.company_id),
        title=row.title,
        content=row.content,
        tags=list(row.tags or ()),
        updated_at=ts(row.updated_at),
    )


def synonyms(words: dict[str, str]) -> list[conversations_pb.KnowledgeSynonym]:
    return [conversations_pb.KnowledgeSynonym(word=w, expands_to=e) for w, e in words.items()]


def match(hit: knowledge.Match) -> conversations_pb.KnowledgeMatch:
    return conversations_pb.KnowledgeMatch(document=document(hit.document), rank=hit.rank)


def ai_model(config: aimodels.AiConfig, answered_by: tuple[str, str] = ("", "")) -> conversations_pb.AiModel:
    return conversations_pb.AiModel(
        answered_by_provider=answered_by[0],
        answered_by_model=answered_by[1],
        company_id=str(config.company_id),
        provider=config.provider,
        model=config.model,
        temperature=config.temperature,
        max_tokens=config.max_tokens,
        system_prompt=config.system_prompt,
        base_url=config.base_url,
    )


def company(row: models.Company) -> conversations_pb.Company:
    return conversations_pb.Company(id=str(row.id), name=row.name, timezone=row.timezone)


def template(row: models.Template) -> outreach_pb.Template:
    return outreach_pb.Template(
        id=str(row.id),
        company_id=str(row.company_id),
        name=row.name,
        channel=FROM_CODE.get(row.channel, 0),
        language=row.language,
        subject=row.subject,
        body=row.body,
        variables=list(row.variables or ()),
        updated_at=ts(row.updated_at),
    )


def consent_record(row: models.Consent) -> leads_pb.ConsentRecord:
    return leads_pb.ConsentRecord(
        id=str(row.id),
        lead_id=str(row.lead_id),
        channel=FROM_CODE.get(row.channel, 0) if row.channel else 0,
        action=CONSENT_ACTION[row.action],
        source=row.source,
        text_shown=row.text_shown,
        created_at=ts(row.created_at),
        evidence={k: str(v) for k, v in (row.evidence or {}).items()},
    )


def policy(result: consent.Policy) -> crm_pb.CheckSendPolicyResponse:
    return crm_pb.CheckSendPolicyResponse(
        decision=DECISION[result.decision],
        reason=result.reason,
        defer_seconds=result.defer_seconds,
        lead_status=result.lead_status,
        lead_wrote_first=result.lead_wrote_first,
        opted_in=result.opted_in,
        window_open=result.window_open,
        last_inbound_at=ts(result.last_inbound_at),
    )


def company_settings(value: company_settings_.Settings) -> outreach_pb.CompanySettings:
    return outreach_pb.CompanySettings(
        company_id=str(value.company_id),
        name=value.name,
        timezone=value.timezone,
        followup_delay_seconds=value.followup_delay_seconds,
        max_bumps=value.max_bumps,
        quiet_hours_enabled=value.quiet_hours_enabled,
        quiet_hours_start=value.quiet_hours_start,
        quiet_hours_end=value.quiet_hours_end,
        followup_template=value.followup_template,
        max_attempts=value.max_attempts,
        retry_max_seconds=value.retry_max_seconds,
    )


def sequence(view: sequence_admin.SequenceView) -> outreach_pb.Sequence:
    row = view.sequence
    trigger = row.trigger or {}
    return outreach_pb.Sequence(
        id=str(row.id),
        company_id=str(row.company_id),
        name=row.name,
        active=row.is_active,
        trigger=outreach_pb.SequenceTrigger(
            course=trigger.get("course", ""),
            keywords=list(trigger.get("keywords", [])),
            channels=[FROM_CODE[c] for c in trigger.get("channels", []) if c in FROM_CODE],
            all_new_leads=bool(trigger.get("all_new_leads", False)),
        ),
        steps=[
            outreach_pb.SequenceStep(
                id=str(step.id),
                position=step.position,
                channel=FROM_CODE.get(step.channel, 0),
                template_id=str(step.template_id) if step.template_id else "",
                delay_seconds=step.delay_seconds,
                stop_conditions=list(step.stop_conditions or ()),
            )
            for step in view.steps
        ],
        created_at=ts(row.created_at),
        updated_at=ts(row.updated_at),
    )


def enrolment(row: models.SequenceEnrolment) -> outreach_pb.Enrolment:
    return outreach_pb.Enrolment(
        id=str(row.id),
        company_id=str(row.company_id),
        sequence_id=str(row.sequence_id),
        lead_id=str(row.lead_id),
        status=row.status,
        next_position=row.next_position,
        source=row.source,
        stop_reason=row.stop_reason,
        created_at=ts(row.created_at),
        updated_at=ts(row.updated_at),
        completed_at=ts(row.completed_at),
    )


def webhook_subscription(row: models.WebhookSubscription) -> outreach_pb.WebhookSubscription:
    return outreach_pb.WebhookSubscription(
        id=str(row.id),
        company_id=str(row.company_id),
        url=row.url,
        events=list(row.events or ()),
        active=row.is_active,
        created_at=ts(row.created_at),
        updated_at=ts(row.updated_at),
    )


def prepared(value: preparation.Prepared, view: LeadView | None) -> outreach_pb.PrepareOutreachResponse:
    out = outreach_pb.PrepareOutreachResponse(
        proceed=value.proceed,
        reason=value.reason,
        defer_seconds=value.defer_seconds,
        sender_name=value.sender_name,
        in_reply_to=value.in_reply_to,
        references=value.references,
        unsubscribe_token=value.unsubscribe_token,
        marketing=value.marketing,
    )
    if view is not None:
        out.lead.CopyFrom(lead(view))
    if value.message is not None:
        out.message.CopyFrom(message(value.message))
    if value.template is not None:
        out.template.CopyFrom(
            outreach_pb.OutreachTemplate(
                name=value.template.name,
                language=value.template.language,
                parameters=value.template.parameters,
            )
        )
    return out


def ai_turn_record(view) -> conversations_pb.AiTurnRecord:
    row = view.turn
    return conversations_pb.AiTurnRecord(
        id=str(row.id),
        reply_message_id=str(row.reply_message_id) if row.reply_message_id else "",
        answered_message_ids=list(row.answered_message_ids or ()),
        provider=row.provider,
        model=row.model,
        prompt_tokens=row.prompt_tokens,
        completion_tokens=row.completion_tokens,
        latency_ms=row.latency_ms,
        intent=row.intent,
        suggested_stage=row.suggested_stage,
        hand_off=row.hand_off,
        unanswered=row.unanswered,
        knowledge_documents=[conversations_pb.KnowledgeDocumentRef(id=i, title=t) for i, t in view.documents],
        created_at=ts(row.created_at),
    )


def unanswered_question(row: models.UnansweredQuestion) -> conversations_pb.UnansweredQuestion:
    return conversations_pb.UnansweredQuestion(
        id=str(row.id),
        company_id=str(row.company_id),
        lead_id=str(row.lead_id),
        message_id=str(row.message_id) if row.message_id else "",
        question=row.question,
        created_at=ts(row.created_at),
        resolved_at=ts(row.resolved_at),
        resolution=row.resolution,
    )
