"""The knowledge base: the documents the AI counsellor answers from, the questions it could not
answer, and a box to try a question and see what the counsellor would reply and from what."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

import grpc
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from grpc import aio

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.type.v1 import channel_pb2
from shvya_console import refusals, views
from shvya_console.i18n import _
from shvya_console.session import Me, MeDep

router = APIRouter()


def _done_messages() -> dict[str, str]:
    return {
        "saved": _("Document saved. The AI counsellor answers from it from the next message on."),
        "deleted": _("Document deleted."),
        "resolved": _("Question marked as dealt with."),
    }


def _channels() -> list[tuple[int, str]]:
    return [
        (channel_pb2.CHANNEL_WHATSAPP_WEB, _("WhatsApp")),
        (channel_pb2.CHANNEL_EMAIL, _("Email")),
    ]


def _id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise HTTPException(404) from None


def _tags(value: str) -> list[str]:
    return [tag.strip() for tag in value.split(",") if tag.strip()]


async def _documents(request: Request, me: Me) -> list:
    reply = await request.app.state.backends.crm.conversations.ListKnowledgeDocuments(
        conversations_pb.ListKnowledgeDocumentsRequest(company_id=me.company_id)
    )
    return sorted(reply.documents, key=lambda d: d.title.lower())


async def _page_context(request: Request, me: Me) -> dict:
    crm = request.app.state.backends.crm
    documents, questions = await asyncio.gather(
        _documents(request, me),
        crm.conversations.ListUnansweredQuestions(
            conversations_pb.ListUnansweredQuestionsRequest(company_id=me.company_id, limit=50)
        ),
    )
    return {
        "section": "knowledge",
        "documents": documents,
        "questions": questions.questions,
        "channels": _channels(),
        "editable": me.can("knowledge:write"),
    }


@router.get("/knowledge")
async def knowledge(request: Request, me: MeDep, done: str = ""):
    context = await _page_context(request, me)
    context["flash"] = _done_messages().get(done, "")
    return views.render(request, "knowledge.html", context)


def _form_context(document=None, **values) -> dict:
    return {"section": "knowledge", "document": document, **values}


@router.get("/knowledge/new")
async def new_document(request: Request, me: MeDep, question: str = ""):
    # From an unanswered question: the new document starts with it, for the answer to go under.
    return views.render(request, "knowledge_form.html", _form_context(title="", content=question, tags=""))


@router.get("/knowledge/{document_id}")
async def edit_document(request: Request, me: MeDep, document_id: str):
    document_id = _id(document_id)
    found = [d for d in await _documents(request, me) if d.id == document_id]
    if not found:
        raise HTTPException(404)
    document = found[0]
    return views.render(
        request,
        "knowledge_form.html",
        _form_context(
            document, title=document.title, content=document.content, tags=", ".join(document.tags)
        ),
    )


@router.post("/knowledge")
async def save_document(
    request: Request,
    me: MeDep,
    title: Annotated[str, Form(max_length=500)] = "",
    content: Annotated[str, Form(max_length=100_000)] = "",
    tags: Annotated[str, Form(max_length=1000)] = "",
    document_id: Annotated[str, Form(max_length=64)] = "",
):
    document_id = _id(document_id) if document_id else ""
    try:
        await request.app.state.backends.crm.conversations.UpsertKnowledgeDocument(
            conversations_pb.UpsertKnowledgeDocumentRequest(
                document_id=document_id,
                company_id=me.company_id,
                title=title.strip(),
                content=content.strip(),
                tags=_tags(tags),
            )
        )
    except aio.AioRpcError as error:
        context = _form_context(
            {"id": document_id} if document_id else None,
            title=title,
            content=content,
            tags=tags,
            error=refusals.refusal(error),
        )
        return views.render(request, "knowledge_form.html", context, status_code=refusals.status(request))
    return RedirectResponse("/knowledge?done=saved", status_code=303)


@router.post("/knowledge/{document_id}/delete")
async def delete_document(request: Request, me: MeDep, document_id: str):
    await request.app.state.backends.crm.conversations.DeleteKnowledgeDocument(
        conversations_pb.DeleteKnowledgeDocumentRequest(document_id=_id(document_id))
    )
    return RedirectResponse("/knowledge?done=deleted", status_code=303)


@router.post("/knowledge/questions/{question_id}/resolve")
async def resolve_question(
    request: Request, me: MeDep, question_id: str, resolution: Annotated[str, Form(max_length=1000)] = ""
):
    await request.app.state.backends.crm.conversations.ResolveUnansweredQuestion(
        conversations_pb.ResolveUnansweredQuestionRequest(
            question_id=_id(question_id), resolution=resolution.strip()
        )
    )
    return RedirectResponse("/knowledge?done=resolved", status_code=303)


@router.post("/knowledge/try")
async def try_question(
    request: Request,
    me: MeDep,
    question: Annotated[str, Form(max_length=4000)] = "",
    course: Annotated[str, Form(max_length=200)] = "",
    channel: Annotated[int, Form()] = channel_pb2.CHANNEL_WHATSAPP_WEB,
):
    """What the AI counsellor would answer a new student who writes `question`: nothing is stored
    and nothing is sent. htmx gets the answer alone; without JavaScript the whole page shows it."""
    if channel not in dict(_channels()):
        channel = channel_pb2.CHANNEL_WHATSAPP_WEB
    tried: dict = {"question": question, "course": course, "channel": channel}
    if not question.strip():
        tried["error"] = _("Write the question a student would ask.")
    else:
        try:
            tried["reply"] = await request.app.state.backends.conductor.PreviewReply(
                conductor_pb.PreviewReplyRequest(
                    company_id=me.company_id,
                    question=question.strip(),
                    course=course.strip(),
                    channel=channel,
                )
            )
        except aio.AioRpcError as error:
            if error.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                # The box says so where the answer would be; the page stays as it was.
                tried["error"] = _("The AI service is not answering right now. Try again in a minute.")
            else:
                tried["error"] = refusals.refusal(error)
    if views.is_htmx(request):
        return views.render(request, "partials/knowledge_try.html", {"tried": tried})
    context = await _page_context(request, me)
    context["tried"] = tried
    return views.render(request, "knowledge.html", context)
