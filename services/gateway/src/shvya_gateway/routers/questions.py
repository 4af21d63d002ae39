"""Questions the knowledge base could not answer: what to add to it next."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya_gateway import views
from shvya_gateway.deps import AdminDep, BackendsDep
from shvya_gateway.forms import openapi_body, read_body, validate
from shvya_gateway.schemas import ResolveQuestionIn, UnansweredQuestionView

router = APIRouter(tags=["unanswered questions"], dependencies=[AdminDep])


@router.get(
    "/admin/companies/{company_id}/unanswered-questions",
    response_model=list[UnansweredQuestionView],
    summary="Questions the knowledge base could not answer, newest first",
)
async def list_questions(
    company_id: Annotated[uuid.UUID, Path()],
    backends: BackendsDep,
    include_resolved: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
):
    reply = await backends.crm.conversations.ListUnansweredQuestions(
        conversations_pb.ListUnansweredQuestionsRequest(
            company_id=str(company_id), include_resolved=include_resolved, limit=limit
        ),
    )
    return [views.question(q) for q in reply.questions]


@router.post(
    "/admin/unanswered-questions/{question_id}/resolve",
    response_model=UnansweredQuestionView,
    summary="Mark a question dealt with (for example after adding a document that answers it)",
    openapi_extra=openapi_body(ResolveQuestionIn),
)
async def resolve_question(
    question_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep
) -> UnansweredQuestionView:
    data = await read_body(request) if (await request.body()).strip() else {}
    body = validate(ResolveQuestionIn, data)
    reply = await backends.crm.conversations.ResolveUnansweredQuestion(
        conversations_pb.ResolveUnansweredQuestionRequest(
            question_id=str(question_id), resolution=body.resolution
        ),
    )
    return views.question(reply.question)
