"""ai_engage: one whole conversational turn, from the lead's messages to a sent reply; and ai_summary."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import grpc

import shvya_language as language
from shvya.channels.v1 import channels_service_pb2 as ch_pb
from shvya.crm.v1 import assignment_service_pb2 as assignment_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_conductor import reply_metrics, whatsapp_templates
from shvya_conductor.conversation import compose_request, intent_name, summary_request, turn_outcome
from shvya_conductor.runner import BackendDown, Deferred, Permanent, RetryLater, TaskContext, describe

log = logging.getLogger(__name__)

_CHANNEL_NAME = {
    channel_pb2.CHANNEL_EMAIL: "email",
    channel_pb2.CHANNEL_WHATSAPP_CLOUD: "whatsapp_cloud",
    channel_pb2.CHANNEL_WHATSAPP_WEB: "whatsapp_web",
}
_DELIVERED = (crm_pb.MESSAGE_STATUS_SENT, crm_pb.MESSAGE_STATUS_DELIVERED, crm_pb.MESSAGE_STATUS_READ)


@dataclass(frozen=True)
class SendExtras:
    """What a proactive send adds to a plain reply."""

    # Email threading.
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    # Email headers, for example List-Unsubscribe.
    headers: dict[str, str] = field(default_factory=dict)
    # Appended to an email's text (the visible unsubscribe link).
    footer: str = ""
    # Sent instead of the text on the WhatsApp Cloud API outside the 24-hour window.
    template: ch_pb.TemplateMessage | None = None


def opt_out_confirmation(company_name: str, wrong_number: bool = False) -> str:
    """The one message sent after an opt-out: short, fixed, and no selling; to a wrong number, an apology."""
    sender = company_name or "us"
    if wrong_number:
        return (
            f"Sorry for the trouble: {sender} was given this contact by mistake. "
            "It has been removed, and you will not receive any more messages from us."
        )
    return f"You will not receive any more messages from {sender}. If you change your mind, reply START."


def answers_wrong_number(context: conversations_pb.GetReplyContextResponse) -> bool:
    return any(language.is_wrong_number(m.text) for m in context.pending)


def check_policy(
    ctx: TaskContext, lead_id: str, channel: int, purpose: int
) -> crm_pb.CheckSendPolicyResponse:
    return ctx.clients.crm.leads.CheckSendPolicy(
        leads_pb.CheckSendPolicyRequest(lead_id=lead_id, channel=channel, purpose=purpose),
    )


def whatsapp_template(
    ctx: TaskContext, lead: crm_pb.Lead, purpose: int, company_name: str, course: str
) -> whatsapp_templates.Filled | None:
    """The company's approved Cloud API template for this purpose, filled for the lead (None: none)."""
    listed = ctx.clients.crm.outreach.ListTemplates(
        outreach_pb.ListTemplatesRequest(
            company_id=lead.company_id, channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD
        ),
    )
    template = whatsapp_templates.choose(list(listed.templates), purpose)
    if template is None:
        return None
    values = whatsapp_templates.values_for(lead, company_name, course)
    try:
        return whatsapp_templates.fill(template, values)
    except whatsapp_templates.UnfillableTemplate as exc:
        raise Permanent(f"whatsapp_cloud: {exc}") from None


def no_template_reason(purpose: int) -> str:
    kind = crm_pb.SendPurpose.Name(purpose).removeprefix("SEND_PURPOSE_").lower()
    return (
        "whatsapp_cloud: outside the 24-hour customer-service window only an approved template may be "
        f"sent, and the company has none for a {kind} (add it to the templates, channel whatsapp_cloud, "
        "then replay this job)"
    )


def deliver(
    ctx: TaskContext,
    job: jobs_pb.Job,
    lead: crm_pb.Lead,
    message: crm_pb.Message,
    sender_name: str,
    extras: SendExtras | None = None,
    *,
    course: str = "",
    policy: crm_pb.CheckSendPolicyResponse | None = None,
) -> bool:
    """Sends a reserved outbound message once, if the send policy allows it now.

    On the WhatsApp Cloud API outside the 24-hour window, the company's approved
    template goes instead of free text (`course` fills a {course} parameter).
    `policy`, when given, is the crm's send-time decision made with the reservation.
    Returns True when the job was completed with the send record (False when
    the message was suppressed, and the job simply completes)."""
    crm = ctx.clients.crm
    name = _CHANNEL_NAME.get(message.channel, str(message.channel))
    purpose = message.purpose or crm_pb.SEND_PURPOSE_REPLY
    # At send time: an opt-out or hand-off that arrived after scheduling wins.
    if policy is None:
        policy = check_policy(ctx, lead.id, message.channel, purpose)
    if policy.decision == crm_pb.SEND_DECISION_SUPPRESS:
        crm.conversations.MarkMessageFailed(
            conversations_pb.MarkMessageFailedRequest(
                message_id=message.id, error_message=f"not sent: {policy.reason}"
            ),
        )
        log.info("job %s: %s message %s suppressed: %s", job.id, name, message.id, policy.reason)
        return False
    if policy.decision == crm_pb.SEND_DECISION_DEFER:
        raise Deferred(policy.reason, policy.defer_seconds)
    stub = ctx.clients.channels.get(message.channel)
    if stub is None:
        raise Permanent(f"no channels service is configured for {name}")
    extras = extras or SendExtras()
    email = message.channel == channel_pb2.CHANNEL_EMAIL
    request = ch_pb.SendMessageRequest(
        channel=message.channel,
        idempotency_key=f"message:{message.id}",
        message_id=message.id,
        recipient=ch_pb.Recipient(name=lead.contact_name, phone_number=lead.phone_number, email=lead.email),
        text=message.text + (extras.footer if email else ""),
        subject=message.subject,
        company_id=lead.company_id,
        lead_id=lead.id,
        sender_name=sender_name,
        recipient_wrote_first=policy.lead_wrote_first,
        recipient_opted_in=policy.opted_in,
        window_open=policy.window_open,
    )
    if email:
        request.in_reply_to = extras.in_reply_to
        request.references.extend(extras.references)
        request.headers.update(extras.headers)
    # Free text only inside the customer-service window; outside it, an approved
    # template: the one prepared with the message, else the company's for the purpose.
    if message.channel == channel_pb2.CHANNEL_WHATSAPP_CLOUD and not policy.window_open:
        if extras.template is not None:
            request.template.CopyFrom(extras.template)
        else:
            filled = whatsapp_template(ctx, lead, purpose, sender_name, course)
            if filled is None:
                reason = no_template_reason(purpose)
                crm.conversations.MarkMessageFailed(
                    conversations_pb.MarkMessageFailedRequest(
                        message_id=message.id, error_message=f"not sent: {reason}"
                    ),
                )
                if purpose == crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION:
                    return False  # the opt-out itself is recorded; only the courtesy note cannot go
                raise Permanent(reason)
            request.template.CopyFrom(filled.template)
    try:
        result = stub.SendMessage(request)
    except grpc.RpcError as exc:
        where = ctx.clients.channel_addresses.get(message.channel, "?")
        if exc.code() in _DOWN:
            raise BackendDown(
                f"channels-{name}", f"channels service for {name} unreachable at {where}"
            ) from exc
        raise
    if result.outcome == ch_pb.SEND_OUTCOME_SENT:
        crm.conversations.MarkMessageSent(
            conversations_pb.MarkMessageSentRequest(
                message_id=message.id, external_id=result.external_id, complete_job_id=job.id
            ),
        )
        log.info("job %s: %s message %s sent (%s)", job.id, name, message.id, result.external_id)
        return True
    reason = f"{name}: {result.reason or ch_pb.SendOutcome.Name(result.outcome)}"
    if result.outcome == ch_pb.SEND_OUTCOME_RETRY_LATER:
        if result.error_code in _CHANNEL_BACKEND_DOWN:
            raise BackendDown(_CHANNEL_BACKEND.get(message.channel, name), reason)
        raise RetryLater(reason, result.retry_after_seconds)
    if result.outcome == ch_pb.SEND_OUTCOME_DEFERRED:
        raise Deferred(reason, max(result.retry_after_seconds, 1.0))
    if result.outcome == ch_pb.SEND_OUTCOME_REJECTED:
        crm.conversations.MarkMessageFailed(
            conversations_pb.MarkMessageFailedRequest(
                message_id=message.id, error_message=reason, address_invalid=result.address_invalid
            ),
        )
        raise Permanent(reason)
    if result.outcome == ch_pb.SEND_OUTCOME_ACCOUNT_BLOCKED:
        log.critical("ALERT %s sending account blocked: %s", name, result.reason)
        raise Permanent(f"sending account blocked: {reason}")
    raise RetryLater(f"{name}: unexpected send outcome {result.outcome}")


# An ai error that retrying cannot fix: a refused model key, a bad request, a
# token mismatch. The job goes to the dead-letter queue for an admin.
_AI_PERMANENT = {
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.UNIMPLEMENTED,
}


# The service, or what it calls, is down or did not answer in time: waited out (BackendDown).
_DOWN = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED}
# The error codes a channel gives a send that failed because what it sends through was
# unreachable (SMTP connection, TLS or 421 "service not available"; the Graph API's
# connection or timeout; the send ledger's Redis), not because of this message.
_CHANNEL_BACKEND_DOWN = {"connection", "timeout", "tls", "ledger", "421"}
_CHANNEL_BACKEND = {
    channel_pb2.CHANNEL_EMAIL: "SMTP",
    channel_pb2.CHANNEL_WHATSAPP_CLOUD: "the Graph API",
}


def ai_failure(exc: grpc.RpcError) -> Exception:
    if exc.code() in _AI_PERMANENT:
        return Permanent(describe(exc, "ai"))
    if exc.code() in _DOWN:
        # The ai service, or the model endpoint behind it (ai answers UNAVAILABLE then).
        return BackendDown("ai", describe(exc, "ai"))
    return RetryLater(describe(exc, "ai"))


def _seconds(ts) -> float:
    return ts.seconds + ts.nanos / 1e9


def _compose(ctx: TaskContext, context: conversations_pb.GetReplyContextResponse):
    try:
        return ctx.clients.ai.ComposeReply(compose_request(context))
    except grpc.RpcError as exc:
        raise ai_failure(exc) from exc


def _reads_as_opt_out(
    ctx: TaskContext, context: conversations_pb.GetReplyContextResponse, job: jobs_pb.Job
) -> bool:
    """Does the AI read the handed-off lead's new messages as an opt-out? (Its reply is not sent.)"""
    reply = _compose(ctx, context)
    if reply.opt_out:
        log.info("job %s: the handed-off lead %s opted out", job.id, context.lead.id)
    return reply.opt_out


def _record_ai_opt_out(ctx: TaskContext, lead_id: str, channel, message_id: str) -> None:
    ctx.clients.crm.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            lead_id=lead_id,
            action=leads_pb.CONSENT_ACTION_OPT_OUT,
            channel=channel,
            source="ai",
            evidence={"message_id": message_id},
        ),
    )


def ai_engage(ctx: TaskContext, job: jobs_pb.Job) -> bool:
    """Answers every unanswered message of the lead in one reply, then applies what the turn decided."""
    settings = ctx.settings
    crm = ctx.clients.crm
    lead_id = job.payload.get("lead_id", "")
    message_id = job.payload.get("message_id", "")
    if not lead_id or not message_id:
        raise Permanent("job payload needs lead_id and message_id")
    # The crm already suppressed a STOP-style message at intake: confirm it, no AI.
    opted_out = job.payload.get("opt_out") == "true"
    purpose = crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION if opted_out else crm_pb.SEND_PURPOSE_REPLY
    context = crm.conversations.GetReplyContext(
        conversations_pb.GetReplyContextRequest(
            lead_id=lead_id,
            message_id=message_id,
            history_limit=settings.history_messages,
            knowledge_limit=settings.knowledge_matches,
            policy_purpose=purpose,
        ),
    )
    asked = time.monotonic()
    if context.answered_by_message_id:
        reply = crm.leads.GetMessage(
            leads_pb.GetMessageRequest(message_id=context.answered_by_message_id),
        ).message
        if reply.job_id == job.id and reply.status not in _DELIVERED:
            # This job's own reply, reserved by an earlier attempt that did not send it
            # (or a replay after a failure): send it now, if the policy still allows.
            course = whatsapp_templates.course_of(list(context.knowledge))
            return deliver(ctx, job, context.lead, reply, context.company.name, course=course)
        log.info("job %s: message %s was answered by %s", job.id, message_id, reply.id)
        return False
    channel = context.pending[-1].channel
    # Before spending an AI call: is there anyone to answer? (Asked with the context.)
    policy = context.policy if context.HasField("policy") else check_policy(ctx, lead_id, channel, purpose)
    if (
        policy.decision == crm_pb.SEND_DECISION_SUPPRESS
        and not opted_out
        and policy.lead_status == "opted_out"
    ):
        # Opted out (by a channel signal, or this job's earlier attempt read an opt-out):
        # the one confirmation is still owed if it never went out.
        opted_out, purpose = True, crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION
        policy = check_policy(ctx, lead_id, channel, purpose)
    elif (
        policy.decision == crm_pb.SEND_DECISION_SUPPRESS
        and not opted_out
        and policy.lead_status == "handed_off"
        and _reads_as_opt_out(ctx, context, job)
    ):
        # A counsellor has the lead, so the AI writes nothing; but an opt-out the
        # intake keywords missed must still be heard, suppressed and confirmed.
        _record_ai_opt_out(ctx, lead_id, channel, message_id)
        opted_out, purpose = True, crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION
        policy = check_policy(ctx, lead_id, channel, purpose)
    if policy.decision == crm_pb.SEND_DECISION_SUPPRESS:
        if not opted_out and policy.lead_status == "handed_off":
            # The one place that decides who answers a lead a counsellor has: they are told
            # of the student's message, and the AI stays silent.
            ctx.clients.crm.assignment.NotifyAssignee(
                assignment_pb.NotifyAssigneeRequest(lead_id=lead_id, message_id=message_id),
                timeout=settings.crm_timeout_seconds,
            )
        log.info("job %s: no reply to lead %s: %s", job.id, lead_id, policy.reason)
        return False
    if policy.decision == crm_pb.SEND_DECISION_DEFER:
        raise Deferred(policy.reason, policy.defer_seconds)
    if not opted_out and context.replied_before and settings.coalesce_seconds > 0:
        # Mid-conversation, wait until the lead has been quiet a moment, so that
        # "hi" / "i wanted to ask" / "the fee?" gets one answer, not three.
        quiet = _seconds(context.now) - max(_seconds(m.created_at) for m in context.pending)
        if quiet < settings.coalesce_seconds:
            raise Deferred("waiting for the lead to finish writing", settings.coalesce_seconds - quiet)

    answered = [m.id for m in context.pending]
    course = whatsapp_templates.course_of(list(context.knowledge))
    if opted_out:
        text, subject = (
            opt_out_confirmation(context.company.name, answers_wrong_number(context)),
            "You are unsubscribed",
        )
        ai_turn = conversations_pb.AiTurn(provider="rules", model="opt-out keyword", intent="opt_out")
        outcome = conversations_pb.TurnOutcome(answered_message_ids=answered, suggested_stage="lost")
    elif channel == channel_pb2.CHANNEL_WHATSAPP_CLOUD and not policy.window_open:
        # First contact (a website form) or a lead silent for a day: only an approved
        # template may go, so there is nothing for the AI to write.
        filled = whatsapp_template(ctx, context.lead, purpose, context.company.name, course)
        if filled is None:
            raise Permanent(no_template_reason(purpose))
        text, subject = filled.text, ""
        ai_turn = conversations_pb.AiTurn(provider="template", model=filled.template.name)
        outcome = conversations_pb.TurnOutcome(answered_message_ids=answered)
    else:
        reply = _compose(ctx, context)
        text, subject = reply.text, reply.subject
        ai_turn = conversations_pb.AiTurn(
            provider=reply.usage.provider,
            model=reply.usage.model,
            prompt_tokens=reply.usage.prompt_tokens,
            completion_tokens=reply.usage.completion_tokens,
            latency_ms=reply.usage.latency_ms,
            intent=intent_name(reply.intent),
            knowledge_document_ids=list(reply.knowledge_document_ids),
        )
        outcome = turn_outcome(reply, context, settings.summary_every_messages)
        if reply.opt_out:
            # The AI read an opt-out the keywords missed: suppress, then confirm.
            _record_ai_opt_out(ctx, lead_id, channel, message_id)
            purpose = crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION
            text = opt_out_confirmation(context.company.name, answers_wrong_number(context))
            subject = "You are unsubscribed"
            outcome.hand_off = outcome.hot = False
        elif outcome.hand_off:
            # The one reply a handed-off lead still gets: a counsellor takes over.
            purpose = crm_pb.SEND_PURPOSE_HANDOFF
    ai_turn.inbound_message_id = message_id

    reserved = crm.conversations.ReserveReply(
        conversations_pb.ReserveReplyRequest(
            message=conversations_pb.ReserveOutboundMessageRequest(
                lead_id=lead_id,
                channel=channel,
                text=text,
                subject=subject,
                idempotency_key=f"{job.idempotency_key}:reply",
                job_id=job.id,
                ai_turn=ai_turn,
                purpose=purpose,
            ),
            outcome=outcome,
        ),
    )
    message = reserved.message
    if message.status in _DELIVERED:
        log.info("job %s: reply %s was already sent; nothing to do", job.id, message.id)
        return False
    send_policy = reserved.policy if reserved.HasField("policy") else None
    sent = deliver(ctx, job, reserved.lead, message, context.company.name, course=course, policy=send_policy)
    if sent and not context.replied_before and not opted_out:
        # On the crm's clock (a test clock may have moved it), plus the time this job took since.
        waited = _seconds(context.now) - min(_seconds(m.created_at) for m in context.pending)
        channel_name = channel_pb2.Channel.Name(channel).removeprefix("CHANNEL_").lower()
        reply_metrics.first_reply_seconds().labels(channel_name).observe(
            max(waited + time.monotonic() - asked, 0.0)
        )
    return sent


def ai_summary(ctx: TaskContext, job: jobs_pb.Job) -> bool:
    """Writes a short summary of the lead's conversation onto the lead."""
    settings = ctx.settings
    crm = ctx.clients.crm
    lead_id = job.payload.get("lead_id", "") or job.lead_id
    if not lead_id:
        raise Permanent("job payload needs lead_id")
    lead = crm.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id)).lead
    messages = [
        m
        for m in crm.leads.ListLeadMessages(
            leads_pb.ListLeadMessagesRequest(lead_id=lead_id, limit=settings.summary_messages),
        ).messages
        if m.status != crm_pb.MESSAGE_STATUS_FAILED
    ]
    if not messages:
        log.info("job %s: lead %s has no conversation to summarise", job.id, lead_id)
        return False
    model = crm.conversations.GetAiModel(
        conversations_pb.GetAiModelRequest(company_id=lead.company_id)
    ).ai_model
    try:
        result = ctx.clients.ai.SummarizeConversation(
            summary_request(lead, model, messages, job.payload.get("reason", "")),
        )
    except grpc.RpcError as exc:
        raise ai_failure(exc) from exc
    crm.conversations.UpdateLeadSummary(
        conversations_pb.UpdateLeadSummaryRequest(
            lead_id=lead_id,
            summary=result.summary,
            usage=conversations_pb.AiTurn(
                provider=result.usage.provider,
                model=result.usage.model,
                prompt_tokens=result.usage.prompt_tokens,
                completion_tokens=result.usage.completion_tokens,
                latency_ms=result.usage.latency_ms,
            ),
        ),
    )
    log.info("job %s: summary of lead %s updated", job.id, lead_id)
    return False
