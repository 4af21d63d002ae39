"""Outbound messages: reserved before they leave, then marked sent or failed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.leads import bounces, delivery
from shvya_crm.leads.companies import stage_id
from shvya_crm.leads.queries import stage_key_of_lead
from shvya_crm.ledger import jobs
from shvya_crm.outreach import followups, sequences
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import AiSession, Company, Lead, Message
from shvya_rpc.errors import FieldErrors


@dataclass(frozen=True)
class AiTurnRecord:
    provider: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: int
    intent: str
    knowledge_document_ids: list[str]
    inbound_message_id: uuid.UUID | None
    # What the turn decided (stored with it, so the conversation view can show it).
    answered_message_ids: tuple[str, ...] = ()
    suggested_stage: str = ""
    hand_off: bool = False
    unanswered: bool = False


def reserve(
    session: Session,
    *,
    lead_id: uuid.UUID,
    channel: str,
    text: str,
    subject: str,
    idempotency_key: str,
    job_id: uuid.UUID | None,
    ai_turn: AiTurnRecord | None,
    purpose: str = "reply",
    meta: dict | None = None,
    source: str = "",
    author_user_id: uuid.UUID | None = None,
) -> tuple[Message, bool]:
    """Records the outbound message under its key; a repeat returns the earlier record.

    `meta` keeps what a later run of the job needs to send it the same way
    (threading headers, the WhatsApp template, the sequence step). `source` and
    `author_user_id` say who wrote it when a person did."""
    errors = {}
    if not text.strip():
        errors["text"] = "must not be empty"
    if not idempotency_key.strip():
        errors["idempotency_key"] = "is required"
    if errors:
        raise FieldErrors(errors)
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise LookupError(f"lead {lead_id} not found")
    message_id = uuid.uuid4()
    # The new row comes back whole: no read after the insert.
    inserted = session.scalars(
        pg_insert(Message)
        .values(
            id=message_id,
            company_id=lead.company_id,
            lead_id=lead_id,
            channel=channel,
            direction="outbound",
            status="queued",
            text=text,
            subject=subject[:300],
            idempotency_key=idempotency_key,
            job_id=job_id,
            source=source or ("ai" if ai_turn else "system"),
            author_user_id=author_user_id,
            meta={**(meta or {}), "purpose": purpose},
            created_at=now_of(session),
        )
        .on_conflict_do_nothing(index_elements=["company_id", "idempotency_key"])
        .returning(Message)
    ).one_or_none()
    if inserted is None:
        existing = session.execute(
            select(Message).where(
                Message.company_id == lead.company_id, Message.idempotency_key == idempotency_key
            )
        ).scalar_one()
        return existing, False
    if ai_turn is not None:
        session.add(
            AiSession(
                company_id=lead.company_id,
                lead_id=lead_id,
                inbound_message_id=ai_turn.inbound_message_id,
                reply_message_id=message_id,
                provider=ai_turn.provider,
                model=ai_turn.model,
                prompt_tokens=ai_turn.prompt_tokens,
                completion_tokens=ai_turn.completion_tokens,
                latency_ms=ai_turn.latency_ms,
                intent=ai_turn.intent,
                kb_doc_ids=ai_turn.knowledge_document_ids,
                created_at=now_of(session),
                kind="reply",
                answered_message_ids=list(ai_turn.answered_message_ids)
                or ([str(ai_turn.inbound_message_id)] if ai_turn.inbound_message_id else []),
                suggested_stage=ai_turn.suggested_stage,
                hand_off=ai_turn.hand_off,
                unanswered=ai_turn.unanswered,
            )
        )
    events.record(
        session,
        "message.queued",
        "message",
        message_id,
        company_id=lead.company_id,
        lead_id=lead_id,
        data={"channel": channel, "job_id": str(job_id) if job_id else None},
    )
    session.flush()
    return inserted, True


def mark_sent(
    session: Session, message_id: uuid.UUID, external_id: str, complete_job_id: uuid.UUID | None
) -> Message:
    if external_id:
        # Before the row lock, in the same order as delivery.apply: a status
        # report about this id waits for this transaction, or is applied below.
        delivery.lock_external_id(session, external_id)
    message = session.execute(
        select(Message).where(Message.id == message_id).with_for_update()
    ).scalar_one_or_none()
    if message is None or message.direction != "outbound":
        raise LookupError(f"outbound message {message_id} not found")
    if message.status in ("queued", "failed"):
        message.status = "sent"
        message.external_id = external_id or None
        message.sent_at = now_of(session)
        message.error_message = ""
        # With its stage's key, its company for the follow-up settings (read from the session's
        # identity map below) and, until the lead has been answered once, when its conversation
        # started: one statement.
        lead, stage_key, _company, started = session.execute(
            select(Lead, stage_key_of_lead(), Company, _conversation_start())
            .join(Company, Company.id == Lead.company_id)
            .where(Lead.id == message.lead_id)
            .with_for_update(of=Lead)
        ).one()
        lead.last_outbound_at = now_of(session)
        lead.updated_at = now_of(session)
        if started is not None and message.created_at >= started:
            lead.first_reply_seconds = (message.sent_at - started).total_seconds()
        events.record(
            session,
            "message.sent",
            "message",
            message.id,
            company_id=message.company_id,
            lead_id=message.lead_id,
            data={"channel": message.channel, "external_id": external_id},
        )
        _advance_new_lead(session, lead, stage_key)
        # What comes next is written with the send record, so it is never lost or doubled.
        followups.schedule_after_send(session, lead, message)
        if (message.meta or {}).get("purpose") == "sequence":
            sequences.after_step_sent(session, message)
    delivery.apply_pending(session, message)
    if complete_job_id is not None:
        jobs.complete(session, complete_job_id)
    # Every change above went through the ORM objects: what is in memory is what was written.
    session.flush()
    return message


def _conversation_start():
    """The lead's first inbound message (its creation when it has none), read only while it has no
    first reply: CASE evaluates the probe of its messages for that lead alone."""
    first_inbound = (
        select(func.min(Message.created_at))
        .where(Message.lead_id == Lead.id, Message.direction == "inbound")
        .correlate(Lead)
        .scalar_subquery()
    )
    return case(
        (Lead.first_reply_seconds.is_(None), func.coalesce(first_inbound, Lead.created_at)),
        else_=None,
    )


def _advance_new_lead(session: Session, lead: Lead, current: str | None) -> None:
    """A lead we have answered is no longer a new enquiry."""
    if lead.pipeline_id is None or lead.stage_id is None:
        return
    if current != "new":
        return
    contacted = stage_id(session, lead.pipeline_id, "contacted")
    if contacted is None:
        return
    lead.stage_id = contacted
    events.record(
        session,
        "lead.stage_changed",
        "lead",
        lead.id,
        company_id=lead.company_id,
        lead_id=lead.id,
        data={"from": "new", "to": "contacted", "reason": "first reply sent"},
    )


def mark_failed(
    session: Session, message_id: uuid.UUID, error_message: str, *, address_invalid: bool = False
) -> Message:
    message = session.execute(
        update(Message)
        .where(Message.id == message_id, Message.direction == "outbound", Message.status == "queued")
        .values(status="failed", error_message=error_message[:4000], failed_at=now_of(session))
        .returning(Message)
    ).scalar_one_or_none()
    if message is None:
        message = session.get(Message, message_id)
        if message is None:
            raise LookupError(f"outbound message {message_id} not found")
        return message
    events.record(
        session,
        "message.failed",
        "message",
        message.id,
        company_id=message.company_id,
        lead_id=message.lead_id,
        data={"error": error_message[:500]},
    )
    if address_invalid:
        lead = session.get(Lead, message.lead_id, with_for_update=True)
        if lead is not None:
            bounces.mark(session, lead, message.channel, error_message)
    return message
