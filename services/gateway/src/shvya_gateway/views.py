"""Contract messages as REST bodies, shared by the admin routers."""

from __future__ import annotations

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya_gateway.schemas import AiModelView, KnowledgeDocumentView, UnansweredQuestionView


def iso(owner: Message, field: str) -> str | None:
    """An ISO 8601 UTC time for a timestamp field, or None when it is unset."""
    if not owner.HasField(field):
        return None
    value: Timestamp = getattr(owner, field)
    return value.ToDatetime().isoformat() + "Z"


def document(d: conversations_pb.KnowledgeDocument) -> KnowledgeDocumentView:
    return KnowledgeDocumentView(
        id=d.id,
        company_id=d.company_id,
        title=d.title,
        content=d.content,
        tags=list(d.tags),
        updated_at=iso(d, "updated_at"),
    )


def ai_model(m: conversations_pb.AiModel) -> AiModelView:
    return AiModelView(
        company_id=m.company_id,
        provider=m.provider,
        model=m.model,
        temperature=m.temperature,
        max_tokens=m.max_tokens,
        system_prompt=m.system_prompt,
        base_url=m.base_url,
        answered_by_provider=m.answered_by_provider,
        answered_by_model=m.answered_by_model,
    )


def question(q: conversations_pb.UnansweredQuestion) -> UnansweredQuestionView:
    return UnansweredQuestionView(
        id=q.id,
        company_id=q.company_id,
        lead_id=q.lead_id,
        message_id=q.message_id or None,
        question=q.question,
        created_at=iso(q, "created_at"),
        resolved_at=iso(q, "resolved_at"),
        resolution=q.resolution,
    )
