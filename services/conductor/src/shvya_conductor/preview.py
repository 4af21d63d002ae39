"""A reply tried out: a new student's first turn composed as a real one is, and nothing kept."""

from __future__ import annotations

from shvya.ai.v1 import ai_service_pb2 as ai_pb
from shvya.conductor.v1 import conductor_service_pb2 as pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya_conductor.conversation import intent_name, turn_outcome
from shvya_conductor.settings import ConductorSettings
from shvya_rpc.crm_client import CrmClient

# As the crm bounds it (GetPreviewContext): a long message, not a document.
MAX_QUESTION_CHARS = 4000


def problems(request: pb.PreviewReplyRequest) -> dict[str, str]:
    """What is wrong with the request before anything is asked of the crm."""
    found = {}
    if not request.question.strip():
        found["question"] = "is required"
    elif len(request.question) > MAX_QUESTION_CHARS:
        found["question"] = f"must be at most {MAX_QUESTION_CHARS} characters"
    return found


def context(
    crm: CrmClient, request: pb.PreviewReplyRequest, settings: ConductorSettings
) -> conversations_pb.GetReplyContextResponse:
    """Raises grpc.RpcError."""
    return crm.conversations.GetPreviewContext(
        conversations_pb.GetPreviewContextRequest(
            company_id=request.company_id,
            question=request.question,
            course=request.course,
            channel=request.channel,
            knowledge_limit=settings.knowledge_matches,
        ),
    ).context


def response(
    reply: ai_pb.ComposeReplyResponse, reply_context: conversations_pb.GetReplyContextResponse
) -> pb.PreviewReplyResponse:
    """The ai's answer as a real turn reads it (turn_outcome), with the documents by title."""
    outcome = turn_outcome(reply, reply_context, 0)
    titles = {m.document.id: m.document.title for m in reply_context.knowledge}
    return pb.PreviewReplyResponse(
        text=reply.text,
        subject=reply.subject,
        intent=intent_name(reply.intent),
        # A real turn moves an enrolling lead by marking it enrolled, not by a stage of its own.
        suggested_stage="enrolled" if outcome.enrolled else outcome.suggested_stage,
        hand_off=reply.hand_off,
        documents=[
            pb.PreviewDocument(id=document_id, title=titles.get(document_id, ""))
            for document_id in reply.knowledge_document_ids
        ],
        provider=reply.usage.provider,
        model=reply.usage.model,
        unanswered=reply.unanswered,
        opt_out=reply.opt_out,
        latency_ms=reply.usage.latency_ms,
    )
