"""From the crm's reply context to the ai's request, and from the ai's answer to the turn's outcome."""

from __future__ import annotations

from shvya.ai.v1 import ai_service_pb2 as ai_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import resources_pb2 as crm_pb

STAGES = ("new", "contacted", "qualified", "enrolled", "lost")


def compose_request(
    context: conversations_pb.GetReplyContextResponse, purpose: int = ai_pb.PURPOSE_REPLY
) -> ai_pb.ComposeReplyRequest:
    """The conversation so far as history, and every unanswered message as the one to answer."""
    model = context.ai_model
    latest = context.pending[-1] if context.pending else None
    return ai_pb.ComposeReplyRequest(
        company_name=context.company.name,
        system_prompt=model.system_prompt,
        model=ai_pb.ModelConfig(
            provider=model.provider,
            model=model.model,
            temperature=model.temperature,
            max_tokens=model.max_tokens,
            base_url=model.base_url,
        ),
        lead_name=context.lead.contact_name,
        lead_stage=context.lead.stage,
        channel=latest.channel if latest else context.lead.channel,
        history=[
            ai_pb.ConversationMessage(
                from_lead=m.direction == crm_pb.MESSAGE_DIRECTION_INBOUND,
                text=m.text,
                created_at=m.created_at,
            )
            for m in context.history
            if m.status != crm_pb.MESSAGE_STATUS_FAILED
        ],
        inbound_text="\n".join(m.text for m in context.pending),
        knowledge=[
            ai_pb.KnowledgeSnippet(
                document_id=k.document.id, title=k.document.title, content=k.document.content, rank=k.rank
            )
            for k in context.knowledge
        ],
        purpose=purpose,
    )


def intent_name(intent: int) -> str:
    if intent == ai_pb.INTENT_UNSPECIFIED:
        return ""
    return ai_pb.Intent.Name(intent).removeprefix("INTENT_").lower()


def turn_outcome(
    reply: ai_pb.ComposeReplyResponse,
    context: conversations_pb.GetReplyContextResponse,
    summarize_every_messages: int,
) -> conversations_pb.TurnOutcome:
    """What the conductor makes of the ai's reading of the turn.

    A lead is hot when it asks for a call (here) or first moves to qualified
    (the crm sees that move); an enrolment is the ai's enrolled intent or
    stage; the stage is passed on only if it is one of the pipeline's.
    """
    stage = reply.suggested_stage if reply.suggested_stage in STAGES else ""
    # A claimed enrolment handed to a counsellor ("I've paid") waits for the counsellor to confirm it.
    enrolled = (reply.intent == ai_pb.INTENT_ENROLLED and not reply.hand_off) or stage == "enrolled"
    return conversations_pb.TurnOutcome(
        answered_message_ids=[m.id for m in context.pending],
        suggested_stage="" if enrolled else stage,
        hand_off=reply.hand_off,
        enrolled=enrolled,
        hot=reply.intent == ai_pb.INTENT_WANTS_CALL,
        unanswered_question="\n".join(m.text for m in context.pending)[:2000] if reply.unanswered else "",
        summarize_every_messages=summarize_every_messages,
    )


def summary_request(
    lead: crm_pb.Lead, model: conversations_pb.AiModel, messages: list[crm_pb.Message], reason: str
) -> ai_pb.SummarizeConversationRequest:
    return ai_pb.SummarizeConversationRequest(
        company_name="",
        model=ai_pb.ModelConfig(
            provider=model.provider,
            model=model.model,
            temperature=model.temperature,
            max_tokens=model.max_tokens,
            base_url=model.base_url,
        ),
        lead_name=lead.contact_name,
        lead_stage=lead.stage,
        lead_status=lead.status,
        messages=[
            ai_pb.ConversationMessage(
                from_lead=m.direction == crm_pb.MESSAGE_DIRECTION_INBOUND,
                text=m.text,
                created_at=m.created_at,
            )
            for m in messages
        ],
        reason=reason,
    )
