"""A lead's conversation: the thread with its delivery ticks and what the AI read, the composer,
take over and hand back, and the lead's stage, notes, tags and assignee beside it."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from google.protobuf.timestamp_pb2 import Timestamp

from shvya.crm.v1 import assignment_service_pb2 as assignment_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2
from shvya_console import formats, lead_filters, views
from shvya_console.i18n import _
from shvya_console.session import Me, MeDep

router = APIRouter()

_WHATSAPP = (channel_pb2.CHANNEL_WHATSAPP_CLOUD, channel_pb2.CHANNEL_WHATSAPP_WEB)


def _window_open(lead) -> bool:
    """Free text is allowed on the WhatsApp Cloud API only within 24 hours of the student's last
    message; outside it only an approved template may be sent."""
    if lead.channel != channel_pb2.CHANNEL_WHATSAPP_CLOUD:
        return True
    ends = formats.ts_datetime(lead.whatsapp_window_ends_at)
    return ends is not None and ends > datetime.now(UTC)


async def _thread_context(request: Request, lead_id: str) -> dict:
    crm = request.app.state.backends.crm
    lead_reply, messages, turns = await asyncio.gather(
        crm.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id)),
        crm.leads.ListLeadMessages(leads_pb.ListLeadMessagesRequest(lead_id=lead_id, limit=200)),
        crm.conversations.ListAiTurns(conversations_pb.ListAiTurnsRequest(lead_id=lead_id, limit=200)),
    )
    by_reply = {turn.reply_message_id: turn for turn in turns.turns if turn.reply_message_id}
    lead = lead_reply.lead
    return {
        "lead": lead,
        "messages": messages.messages,
        "turns": by_reply,
        "window_open": _window_open(lead),
        "idempotency_key": str(uuid.uuid4()),
    }


async def pipeline_stages(crm, company_id: str) -> list:
    """The company's stages in pipeline order. CountLeads lists every stage, zero counts too;
    asked about leads created before 1970 it counts nothing, so it costs one index probe."""
    reply = await crm.leads.CountLeads(
        leads_pb.CountLeadsRequest(
            filter=leads_pb.LeadFilter(company_id=company_id, created_before=Timestamp(seconds=1))
        )
    )
    return list(reply.by_stage)


async def _templates(request: Request, me: Me, lead) -> list:
    if lead.channel not in _WHATSAPP:
        return []
    reply = await request.app.state.backends.crm.outreach.ListTemplates(
        outreach_pb.ListTemplatesRequest(company_id=me.company_id, channel=lead.channel)
    )
    return list(reply.templates)


async def _page_context(request: Request, me: Me, lead_id: str) -> dict:
    """The thread and, beside it, the lead's notes, the stages it can move to and the people it
    can be given to, asked for at once; then the templates, when only a template may be sent."""
    crm = request.app.state.backends.crm
    thread, notes, stages, people = await asyncio.gather(
        _thread_context(request, lead_id),
        crm.leads.ListLeadNotes(leads_pb.ListLeadNotesRequest(lead_id=lead_id)),
        pipeline_stages(crm, me.company_id),
        lead_filters.assignees(request, me),
    )
    templates = [] if thread["window_open"] else await _templates(request, me, thread["lead"])
    return {**thread, "notes": notes.notes, "stages": stages, "people": people, "templates": templates}


@router.get("/leads/{lead_id}")
async def conversation(request: Request, me: MeDep, lead_id: str):
    context = await _page_context(request, me, _lead_id(lead_id))
    return views.render(request, "conversation.html", context)


@router.get("/leads/{lead_id}/thread")
async def thread(request: Request, me: MeDep, lead_id: str):
    context = await _thread_context(request, _lead_id(lead_id))
    return views.render(request, "partials/thread.html", context)


def _lead_id(value: str) -> str:
    """A lead id is a UUID; anything else is a page that does not exist (not a backend error)."""
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise HTTPException(404) from None


async def _after(request: Request, me: Me, lead_id: str, flash: str):
    """After an action: htmx gets the refreshed lead panel and thread; a plain form goes back to
    the page (post, redirect, get)."""
    if not views.is_htmx(request):
        return RedirectResponse(f"/leads/{lead_id}", status_code=303)
    context = await _page_context(request, me, lead_id)
    return views.render(request, "partials/conversation_body.html", {**context, "flash": flash})


@router.post("/leads/{lead_id}/reply")
async def reply(
    request: Request,
    me: MeDep,
    lead_id: str,
    idempotency_key: Annotated[str, Form(max_length=100)],
    text: Annotated[str, Form(max_length=4096)] = "",
    template: Annotated[str, Form(max_length=300)] = "",
    subject: Annotated[str, Form(max_length=300)] = "",
):
    lead_id = _lead_id(lead_id)
    name, _sep, language = template.partition("|")
    crm = request.app.state.backends.crm
    # The crm gives the conversation to the person who answers, in the reply's transaction.
    await crm.assignment.SendHumanReply(
        assignment_pb.SendHumanReplyRequest(
            lead_id=lead_id,
            text=text.strip(),
            template_name=name,
            template_language=language,
            idempotency_key=idempotency_key,
            author_user_id=me.user_id,
            subject=subject.strip(),
        )
    )
    return await _after(request, me, lead_id, _("Reply queued for sending."))


@router.post("/leads/{lead_id}/take-over")
async def take_over(request: Request, me: MeDep, lead_id: str):
    lead_id = _lead_id(lead_id)
    await request.app.state.backends.crm.assignment.TakeOverLead(
        assignment_pb.TakeOverLeadRequest(lead_id=lead_id, user_id=me.user_id)
    )
    return await _after(request, me, lead_id, _("You have the conversation; the AI stays silent."))


@router.post("/leads/{lead_id}/hand-back")
async def hand_back(request: Request, me: MeDep, lead_id: str):
    lead_id = _lead_id(lead_id)
    await request.app.state.backends.crm.assignment.HandBackLead(
        assignment_pb.HandBackLeadRequest(lead_id=lead_id)
    )
    return await _after(request, me, lead_id, _("Handed back: the AI answers the next message."))


@router.post("/leads/{lead_id}/stage")
async def move_stage(
    request: Request,
    me: MeDep,
    lead_id: str,
    stage: Annotated[str, Form(max_length=64)],
    reason: Annotated[str, Form(max_length=500)] = "",
):
    lead_id = _lead_id(lead_id)
    leads = request.app.state.backends.crm.leads
    if stage == "enrolled":
        await leads.MarkLeadEnrolled(leads_pb.MarkLeadEnrolledRequest(lead_id=lead_id, reason=reason.strip()))
    elif stage == "lost":
        await leads.MarkLeadLost(leads_pb.MarkLeadLostRequest(lead_id=lead_id, reason=reason.strip()))
    else:
        await leads.MoveLeadStage(
            leads_pb.MoveLeadStageRequest(lead_id=lead_id, stage=stage, reason=reason.strip())
        )
    return await _after(request, me, lead_id, _("Stage changed."))


@router.post("/leads/{lead_id}/notes")
async def add_note(request: Request, me: MeDep, lead_id: str, text: Annotated[str, Form(max_length=4000)]):
    lead_id = _lead_id(lead_id)
    await request.app.state.backends.crm.leads.AddLeadNote(
        leads_pb.AddLeadNoteRequest(lead_id=lead_id, text=text.strip(), author=me.email)
    )
    return await _after(request, me, lead_id, _("Note added."))


@router.post("/leads/{lead_id}/tags")
async def tags(
    request: Request,
    me: MeDep,
    lead_id: str,
    add: Annotated[str, Form(max_length=500)] = "",
    remove: Annotated[str, Form(max_length=64)] = "",
):
    lead_id = _lead_id(lead_id)
    added = [t.strip() for t in add.split(",") if t.strip()]
    await request.app.state.backends.crm.leads.UpdateLeadTags(
        leads_pb.UpdateLeadTagsRequest(lead_id=lead_id, add=added, remove=[remove] if remove else [])
    )
    return await _after(request, me, lead_id, _("Tags saved."))


@router.post("/leads/{lead_id}/assign")
async def assign(
    request: Request, me: MeDep, lead_id: str, user_id: Annotated[str, Form(max_length=64)] = ""
):
    lead_id = _lead_id(lead_id)
    await request.app.state.backends.crm.assignment.AssignLead(
        assignment_pb.AssignLeadRequest(lead_id=lead_id, user_id=user_id or me.user_id, reason="console")
    )
    return await _after(request, me, lead_id, _("Assignee changed."))
