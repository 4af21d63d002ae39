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


def deliver(
    ctx: TaskContext,
    job: crm_pb.Job,
    lead: crm_pb.Lead,
    message: crm_pb.Message,
    sender_name: str,
) -> None:
    """Sends a reserved outbound message once; completes the job with the send record."""
    settings = ctx.settings
    crm = ctx.clients.crm
    stub = ctx.clients.channels.get(message.channel)
    name = _CHANNEL_NAME.get(message.channel, str(message.channel))
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
        log.info("job %s: %s reply %s sent (%s)", job.id, name, message.id, result.external_id)
        return
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
    try:
        reply = ctx.clients.ai.ComposeReply(compose_request(turn), timeout=settings.ai_timeout_seconds)
    except grpc.RpcError as exc:
        raise RetryLater(describe(exc, "ai")) from exc

    reserved = crm.ReserveOutboundMessage(
        crm_pb.ReserveOutboundMessageRequest(
            lead_id=lead_id,
            channel=turn.message.channel,
            text=reply.text,
            subject=reply.subject,
            idempotency_key=f"{job.idempotency_key}:reply",
            job_id=job.id,
            ai_turn=crm_pb.AiTurn(
                provider=reply.usage.provider,
                model=reply.usage.model,
                prompt_tokens=reply.usage.prompt_tokens,
                completion_tokens=reply.usage.completion_tokens,
                latency_ms=reply.usage.latency_ms,
                intent=ai_pb.Intent.Name(reply.intent).removeprefix("INTENT_").lower(),
                knowledge_document_ids=list(reply.knowledge_document_ids),
                inbound_message_id=message_id,
            ),
        ),
        timeout=settings.crm_timeout_seconds,
    )
    message = reserved.message
    if message.status in _DELIVERED:
        log.info("job %s: reply %s was already sent; nothing to do", job.id, message.id)
        return False
    deliver(ctx, job, turn.lead, message, turn.company.name)
    return True
