"""ai_engage: one whole conversational turn, from the lead's message to a sent reply."""

from __future__ import annotations

import logging

import grpc

from shvya.ai.v1 import ai_service_pb2 as ai_pb
from shvya.channels.v1 import channels_service_pb2 as ch_pb
from shvya.crm.v1 import crm_service_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_conductor.runner import Deferred, Permanent, RetryLater, TaskContext, describe

log = logging.getLogger(__name__)

_CHANNEL_NAME = {
    channel_pb2.CHANNEL_EMAIL: "email",
    channel_pb2.CHANNEL_WHATSAPP_CLOUD: "whatsapp_cloud",
    channel_pb2.CHANNEL_WHATSAPP_WEB: "whatsapp_web",
}
_DELIVERED = (crm_pb.MESSAGE_STATUS_SENT, crm_pb.MESSAGE_STATUS_DELIVERED, crm_pb.MESSAGE_STATUS_READ)


def compose_request(turn: crm_pb.GetTurnContextResponse) -> ai_pb.ComposeReplyRequest:
    model = turn.ai_model
    history = [
        ai_pb.ConversationMessage(
            from_lead=m.direction == crm_pb.MESSAGE_DIRECTION_INBOUND, text=m.text, created_at=m.created_at
        )
        for m in turn.history
        if m.id != turn.message.id and m.status != crm_pb.MESSAGE_STATUS_FAILED
    ]
    return ai_pb.ComposeReplyRequest(
        company_name=turn.company.name,
        system_prompt=model.system_prompt,
        model=ai_pb.ModelConfig(
            provider=model.provider,
            model=model.model,
            temperature=model.temperature,
            max_tokens=model.max_tokens,
            base_url=model.base_url,
        ),
        lead_name=turn.lead.contact_name,
        lead_stage=turn.lead.stage,
        channel=turn.message.channel,
        history=history,
        inbound_text=turn.message.text,
        knowledge=[
            ai_pb.KnowledgeSnippet(
                document_id=k.document.id, title=k.document.title, content=k.document.content, rank=k.rank
            )
            for k in turn.knowledge
        ],
        purpose=ai_pb.PURPOSE_REPLY,
    )


def opt_out_confirmation(company_name: str) -> str:
    """The one message sent after an opt-out: short, fixed, and no selling."""
    sender = company_name or "us"
    return f"You will not receive any more messages from {sender}. If you change your mind, reply START."


def check_policy(
    ctx: TaskContext, lead_id: str, channel: int, purpose: int
) -> crm_pb.CheckSendPolicyResponse:
    return ctx.clients.crm.CheckSendPolicy(
        crm_pb.CheckSendPolicyRequest(lead_id=lead_id, channel=channel, purpose=purpose),
        timeout=ctx.settings.crm_timeout_seconds,
    )


def deliver(
    ctx: TaskContext,
    job: crm_pb.Job,
    lead: crm_pb.Lead,
    message: crm_pb.Message,
    sender_name: str,
) -> bool:
    """Sends a reserved outbound message once, if the send policy allows it now.

    Returns True when the job was completed with the send record (False when
    the message was suppressed, and the job simply completes)."""
    settings = ctx.settings
    crm = ctx.clients.crm
    name = _CHANNEL_NAME.get(message.channel, str(message.channel))
    # At send time: an opt-out or hand-off that arrived after scheduling wins.
    policy = check_policy(ctx, lead.id, message.channel, message.purpose or crm_pb.SEND_PURPOSE_REPLY)
    if policy.decision == crm_pb.SEND_DECISION_SUPPRESS:
        crm.MarkMessageFailed(
            crm_pb.MarkMessageFailedRequest(
                message_id=message.id, error_message=f"not sent: {policy.reason}"
            ),
            timeout=settings.crm_timeout_seconds,
        )
        log.info("job %s: %s message %s suppressed: %s", job.id, name, message.id, policy.reason)
        return False
    if policy.decision == crm_pb.SEND_DECISION_DEFER:
        raise Deferred(policy.reason, policy.defer_seconds)
    stub = ctx.clients.channels.get(message.channel)
    if stub is None:
        raise Permanent(f"no channels service is configured for {name}")
    try:
        result = stub.SendMessage(
            ch_pb.SendMessageRequest(
                channel=message.channel,
                idempotency_key=f"message:{message.id}",
                message_id=message.id,
                recipient=ch_pb.Recipient(
                    name=lead.contact_name, phone_number=lead.phone_number, email=lead.email
                ),
                text=message.text,
                subject=message.subject,
                company_id=lead.company_id,
                lead_id=lead.id,
                sender_name=sender_name,
            ),
            timeout=settings.channels_timeout_seconds,
        )
    except grpc.RpcError as exc:
        where = ctx.clients.channel_addresses.get(message.channel, "?")
        if exc.code() == grpc.StatusCode.UNAVAILABLE:
            raise RetryLater(f"channels service for {name} unreachable at {where}") from exc
        raise
    if result.outcome == ch_pb.SEND_OUTCOME_SENT:
        crm.MarkMessageSent(
            crm_pb.MarkMessageSentRequest(
                message_id=message.id, external_id=result.external_id, complete_job_id=job.id
            ),
            timeout=settings.crm_timeout_seconds,
        )
        log.info("job %s: %s message %s sent (%s)", job.id, name, message.id, result.external_id)
        return True
    reason = f"{name}: {result.reason or ch_pb.SendOutcome.Name(result.outcome)}"
    if result.outcome == ch_pb.SEND_OUTCOME_RETRY_LATER:
        raise RetryLater(reason, result.retry_after_seconds)
    if result.outcome == ch_pb.SEND_OUTCOME_DEFERRED:
        raise Deferred(reason, max(result.retry_after_seconds, 1.0))
    if result.outcome == ch_pb.SEND_OUTCOME_REJECTED:
        crm.MarkMessageFailed(
            crm_pb.MarkMessageFailedRequest(message_id=message.id, error_message=reason),
            timeout=settings.crm_timeout_seconds,
        )
        raise Permanent(reason)
    if result.outcome == ch_pb.SEND_OUTCOME_ACCOUNT_BLOCKED:
        log.critical("ALERT %s sending account blocked: %s", name, result.reason)
        raise Permanent(f"sending account blocked: {reason}")
    raise RetryLater(f"{name}: unexpected send outcome {result.outcome}")


def ai_engage(ctx: TaskContext, job: crm_pb.Job) -> bool:
    settings = ctx.settings
    crm = ctx.clients.crm
    lead_id = job.payload.get("lead_id", "")
    message_id = job.payload.get("message_id", "")
    if not lead_id or not message_id:
        raise Permanent("job payload needs lead_id and message_id")
    turn = crm.GetTurnContext(
        crm_pb.GetTurnContextRequest(lead_id=lead_id, message_id=message_id),
        timeout=settings.crm_timeout_seconds,
    )
    channel = turn.message.channel
    # The crm already suppressed a STOP-style message at intake: confirm it, no AI.
    opted_out = job.payload.get("opt_out") == "true"
    purpose = crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION if opted_out else crm_pb.SEND_PURPOSE_REPLY
    # Before spending an AI call: is there anyone to answer?
    policy = check_policy(ctx, lead_id, channel, purpose)
    if policy.decision == crm_pb.SEND_DECISION_SUPPRESS:
        log.info("job %s: no reply to lead %s: %s", job.id, lead_id, policy.reason)
        return False
    if policy.decision == crm_pb.SEND_DECISION_DEFER:
        raise Deferred(policy.reason, policy.defer_seconds)

    ai_turn = None
    if opted_out:
        text, subject = opt_out_confirmation(turn.company.name), "You are unsubscribed"
    else:
        try:
            reply = ctx.clients.ai.ComposeReply(compose_request(turn), timeout=settings.ai_timeout_seconds)
        except grpc.RpcError as exc:
            raise RetryLater(describe(exc, "ai")) from exc
        text, subject = reply.text, reply.subject
        ai_turn = crm_pb.AiTurn(
            provider=reply.usage.provider,
            model=reply.usage.model,
            prompt_tokens=reply.usage.prompt_tokens,
            completion_tokens=reply.usage.completion_tokens,
            latency_ms=reply.usage.latency_ms,
            intent=ai_pb.Intent.Name(reply.intent).removeprefix("INTENT_").lower(),
            knowledge_document_ids=list(reply.knowledge_document_ids),
            inbound_message_id=message_id,
        )
        if reply.opt_out:
            # The AI read an opt-out the keywords missed: suppress, then confirm.
            crm.RecordConsent(
                crm_pb.RecordConsentRequest(
                    lead_id=lead_id,
                    action=crm_pb.CONSENT_ACTION_OPT_OUT,
                    channel=channel,
                    source="ai",
                    evidence={"message_id": message_id},
                ),
                timeout=settings.crm_timeout_seconds,
            )
            purpose = crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION
            text, subject = opt_out_confirmation(turn.company.name), "You are unsubscribed"

    reserved = crm.ReserveOutboundMessage(
        crm_pb.ReserveOutboundMessageRequest(
            lead_id=lead_id,
            channel=channel,
            text=text,
            subject=subject,
            idempotency_key=f"{job.idempotency_key}:reply",
            job_id=job.id,
            ai_turn=ai_turn,
            purpose=purpose,
        ),
        timeout=settings.crm_timeout_seconds,
    )
    message = reserved.message
    if message.status in _DELIVERED:
        log.info("job %s: reply %s was already sent; nothing to do", job.id, message.id)
        return False
    return deliver(ctx, job, turn.lead, message, turn.company.name)
