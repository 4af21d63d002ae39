"""AI turns: what one reply answers (every unanswered message of the lead), and the record of each turn."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from shvya_crm.conversations import aimodels, knowledge
from shvya_crm.leads.queries import LeadView, get_lead, get_message
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import AiKbDoc, AiSession, Company, Event, Lead, Message

# At most this many unanswered messages are answered in one reply (the newest).
MAX_PENDING = 10
# Earlier messages of the lead searched for context ("and the fee?" after
# naming a course), and how much their matches count against the new ones.
CONTEXT_MESSAGES = 3
CONTEXT_WEIGHT = 0.5
MAX_SUMMARY_CHARS = 4000


@dataclass(frozen=True)
class ReplyContext:
    lead: LeadView
    company: Company
    ai: aimodels.AiConfig
    history: list[Message]
    pending: list[Message]
    knowledge: list[knowledge.Match]
    answered_by: uuid.UUID | None
    replied_before: bool
    now: datetime


@dataclass(frozen=True)
class TurnView:
    turn: AiSession
    documents: list[tuple[str, str]]  # (id, title); title empty when since deleted


def _answered(session: Session, lead_id: uuid.UUID) -> dict[str, uuid.UUID | None]:
    """Each inbound message id some reply answered, with the reply's message id."""
    out: dict[str, uuid.UUID | None] = {}
    rows = session.execute(
        select(
            AiSession.reply_message_id, AiSession.answered_message_ids, AiSession.inbound_message_id
        ).where(AiSession.lead_id == lead_id, AiSession.kind == "reply")
    )
    for reply_id, answered_ids, inbound_id in rows:
        for message_id in answered_ids or ([str(inbound_id)] if inbound_id else []):
            out[message_id] = reply_id
    return out


def reply_context(
    session: Session, lead_id: uuid.UUID, message_id: uuid.UUID, history_limit: int, knowledge_limit: int
) -> ReplyContext:
    """The context of the reply to `message_id`: it answers every message no reply answered yet.

    A burst ("hi" / "i want to know" / "data science fees?") thus gets one
    reply, and the jobs of the messages it covered find `answered_by` set.
    """
    lead = get_lead(session, lead_id)
    message = get_message(session, message_id)
    if message.lead_id != lead_id:
        raise LookupError(f"message {message_id} does not belong to lead {lead_id}")
    company = session.get(Company, lead.lead.company_id)
    config = aimodels.get(session, company.id, company.name)
    now = now_of(session)
    answered = _answered(session, lead_id)
    # With it, in the same statement: when a counsellor last handed the lead back. What the
    # student wrote while a counsellor had the lead was theirs to answer, not the AI's.
    handed_back = (
        select(func.max(Event.created_at))
        .where(Event.entity_type == "lead", Event.entity_id == lead_id, Event.type == "lead.handed_back")
        .scalar_subquery()
    )
    replied_before, handed_back_at = session.execute(
        select(
            exists().where(
                Message.lead_id == lead_id, Message.direction == "outbound", Message.status != "failed"
            ),
            handed_back,
        )
    ).one()
    if str(message_id) in answered:
        return ReplyContext(lead, company, config, [], [], [], answered[str(message_id)], replied_before, now)

    inbound = select(Message).where(Message.lead_id == lead_id, Message.direction == "inbound")
    last_answered = None
    if answered:
        last_answered = session.execute(
            select(Message.created_at)
            .where(Message.id.in_([uuid.UUID(i) for i in answered]))
            .order_by(Message.created_at.desc())
            .limit(1)
        ).scalar_one_or_none()
    recent = inbound.order_by(Message.created_at.desc(), Message.id.desc()).limit(MAX_PENDING)
    since = max((t for t in (last_answered, handed_back_at) if t is not None), default=None)
    if since is not None:
        recent = recent.where(Message.created_at > since)
    pending = [m for m in reversed(session.scalars(recent).all()) if str(m.id) not in answered]
    if all(m.id != message.id for m in pending):
        pending = sorted([*pending, message], key=lambda m: (m.created_at, str(m.id)))[-MAX_PENDING:]
    # Everything else said so far, in order; a reply that went out while
    # these messages arrived is part of it.
    history = list(
        reversed(
            session.scalars(
                select(Message)
                .where(
                    Message.lead_id == lead_id,
                    Message.id.notin_([m.id for m in pending]),
                    Message.status != "failed",
                )
                .order_by(Message.created_at.desc(), Message.id.desc())
                .limit(history_limit)
            ).all()
        )
    )
    earlier = [m.text for m in history if m.direction == "inbound"][-CONTEXT_MESSAGES:]
    return ReplyContext(
        lead=lead,
        company=company,
        ai=config,
        history=history,
        pending=pending,
        knowledge=_matches(session, company.id, pending, earlier, knowledge_limit),
        answered_by=None,
        replied_before=replied_before,
        now=now,
    )


@dataclass(frozen=True)
class PreviewContext:
    """What a new student's first turn reads that is not the student's: no lead, nothing stored."""

    company: Company
    ai: aimodels.AiConfig
    knowledge: list[knowledge.Match]
    now: datetime


def preview_context(
    session: Session, company_id: uuid.UUID, question: str, knowledge_limit: int
) -> PreviewContext:
    """The context a first message `question` would get (see reply_context): a new lead has no
    history and no earlier messages, so the matches are the question's alone."""
    company = session.get(Company, company_id)
    if company is None:
        raise LookupError(f"company {company_id} not found")
    return PreviewContext(
        company=company,
        ai=aimodels.get(session, company.id, company.name),
        knowledge=knowledge.search(session, company.id, question, knowledge_limit),
        now=now_of(session),
    )


def _matches(
    session: Session, company_id: uuid.UUID, pending: list[Message], earlier: list[str], limit: int
) -> list[knowledge.Match]:
    """Matches for the new messages first, then (ranked lower) for the lead's earlier ones."""
    found = knowledge.search(session, company_id, "\n".join(m.text for m in pending), limit)
    if earlier:
        seen = {m.document.id for m in found}
        context = knowledge.search(session, company_id, "\n".join(earlier), limit)
        found += [
            knowledge.Match(m.document, m.rank * CONTEXT_WEIGHT) for m in context if m.document.id not in seen
        ]
    return found[: limit + 2]


def list_turns(session: Session, lead_id: uuid.UUID, limit: int) -> list[TurnView]:
    """The lead's newest `limit` reply turns, oldest first, with their documents' titles."""
    get_lead(session, lead_id)
    rows = session.scalars(
        select(AiSession)
        .where(AiSession.lead_id == lead_id, AiSession.kind == "reply")
        .order_by(AiSession.created_at.desc(), AiSession.id.desc())
        .limit(limit)
    ).all()
    ids = set()
    for row in rows:
        for value in row.kb_doc_ids or ():
            try:
                ids.add(uuid.UUID(value))
            except ValueError:
                continue
    titles = (
        {str(i): t for i, t in session.execute(select(AiKbDoc.id, AiKbDoc.title).where(AiKbDoc.id.in_(ids)))}
        if ids
        else {}
    )
    return [TurnView(row, [(d, titles.get(d, "")) for d in row.kb_doc_ids or ()]) for row in reversed(rows)]


@dataclass(frozen=True)
class SummaryUsage:
    provider: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: int


def update_summary(session: Session, lead_id: uuid.UUID, summary: str, usage: SummaryUsage | None) -> None:
    """Stores the conversation summary on the lead, and the model call that wrote it."""
    lead = session.execute(select(Lead).where(Lead.id == lead_id).with_for_update()).scalar_one_or_none()
    if lead is None:
        raise LookupError(f"lead {lead_id} not found")
    now = now_of(session)
    lead.summary = summary.strip()[:MAX_SUMMARY_CHARS]
    lead.updated_at = now
    if usage is not None:
        session.add(
            AiSession(
                company_id=lead.company_id,
                lead_id=lead_id,
                kind="summary",
                provider=usage.provider[:32],
                model=usage.model[:128],
                prompt_tokens=usage.prompt_tokens,
                completion_tokens=usage.completion_tokens,
                latency_ms=usage.latency_ms,
                created_at=now,
            )
        )
    events.record(
        session,
        "lead.summary_updated",
        "lead",
        lead_id,
        company_id=lead.company_id,
        lead_id=lead_id,
        data={"chars": len(lead.summary), "provider": usage.provider if usage else ""},
    )
    session.flush()
