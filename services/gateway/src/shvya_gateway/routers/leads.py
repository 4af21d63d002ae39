"""GET /leads/{id}: a lead and its conversation, with each message's delivery status and, for each
AI reply, what the AI read (intent, stage, hand-off) and the documents it relied on."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query
from google.protobuf.timestamp_pb2 import Timestamp

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya_gateway.channel_names import FROM_PB
from shvya_gateway.deps import AdminDep, BackendsDep
from shvya_gateway.schemas import AiTurnView, ConversationView, DocumentRef, LeadView, MessageView

router = APIRouter(tags=["leads"], dependencies=[AdminDep])


def _iso(value: Timestamp, present: bool) -> str | None:
    return value.ToDatetime().isoformat() + "Z" if present else None


def ai_view(turn: conversations_pb.AiTurnRecord) -> AiTurnView:
    return AiTurnView(
        intent=turn.intent,
        provider=turn.provider,
        model=turn.model,
        knowledge_documents=[DocumentRef(id=d.id, title=d.title) for d in turn.knowledge_documents],
        answered_message_ids=list(turn.answered_message_ids),
        suggested_stage=turn.suggested_stage,
        hand_off=turn.hand_off,
        unanswered=turn.unanswered,
        prompt_tokens=turn.prompt_tokens,
        completion_tokens=turn.completion_tokens,
        latency_ms=turn.latency_ms,
    )


def message_view(m: crm_pb.Message, turn: conversations_pb.AiTurnRecord | None = None) -> MessageView:
    return MessageView(
        id=m.id,
        direction=crm_pb.MessageDirection.Name(m.direction).removeprefix("MESSAGE_DIRECTION_").lower(),
        channel=FROM_PB[m.channel],
        status=crm_pb.MessageStatus.Name(m.status).removeprefix("MESSAGE_STATUS_").lower(),
        text=m.text,
        subject=m.subject,
        external_id=m.external_id or None,
        error=m.error_message or None,
        created_at=_iso(m.created_at, m.HasField("created_at")),
        sent_at=_iso(m.sent_at, m.HasField("sent_at")),
        delivered_at=_iso(m.delivered_at, m.HasField("delivered_at")),
        read_at=_iso(m.read_at, m.HasField("read_at")),
        failed_at=_iso(m.failed_at, m.HasField("failed_at")),
        purpose=crm_pb.SendPurpose.Name(m.purpose).removeprefix("SEND_PURPOSE_").lower()
        if m.purpose != crm_pb.SEND_PURPOSE_UNSPECIFIED
        else None,
        author=m.author or None,
        ai=ai_view(turn) if turn is not None else None,
        intent=turn.intent if turn is not None else None,
        knowledge_document_ids=[d.id for d in turn.knowledge_documents] if turn is not None else [],
    )


def lead_view(lead: crm_pb.Lead) -> LeadView:
    return LeadView(
        id=lead.id,
        company_id=lead.company_id,
        contact_name=lead.contact_name,
        phone_number=lead.phone_number,
        email=lead.email or None,
        stage=lead.stage,
        status=lead.status,
        summary=lead.summary,
        created_at=_iso(lead.created_at, lead.HasField("created_at")),
        last_inbound_at=_iso(lead.last_inbound_at, lead.HasField("last_inbound_at")),
        last_outbound_at=_iso(lead.last_outbound_at, lead.HasField("last_outbound_at")),
        assigned_user_id=lead.assigned_user_id or None,
        assigned_at=_iso(lead.assigned_at, lead.HasField("assigned_at")),
    )


@router.get("/leads/{lead_id}", response_model=ConversationView, summary="A lead and its conversation")
async def get_lead(
    lead_id: Annotated[uuid.UUID, Path()],
    backends: BackendsDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ConversationView:
    lead, messages, turns = await asyncio.gather(
        backends.crm.leads.GetLead(leads_pb.GetLeadRequest(lead_id=str(lead_id))),
        backends.crm.leads.ListLeadMessages(
            leads_pb.ListLeadMessagesRequest(lead_id=str(lead_id), limit=limit)
        ),
        backends.crm.conversations.ListAiTurns(
            conversations_pb.ListAiTurnsRequest(lead_id=str(lead_id), limit=limit)
        ),
    )
    by_reply = {t.reply_message_id: t for t in turns.turns}
    return ConversationView(
        lead=lead_view(lead.lead), messages=[message_view(m, by_reply.get(m.id)) for m in messages.messages]
    )


@router.get(
    "/messages/{message_id}", response_model=MessageView, summary="One message and its delivery status"
)
async def get_message(message_id: Annotated[uuid.UUID, Path()], backends: BackendsDep) -> MessageView:
    result = await backends.crm.leads.GetMessage(leads_pb.GetMessageRequest(message_id=str(message_id)))
    return message_view(result.message)
