"""A student's requests about their own data: erase what the crm holds about a lead, or export it.

Erasure keeps the lead's id as a tombstone, so that counts, stages and the audit trail still add
up, and removes or blanks every field that says who the student was or what they wrote. What
happened stays (event types, times, the acting staff); who it happened to does not.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from shvya_crm.outreach import sequences
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import (
    Consent,
    DeliveryReceipt,
    Event,
    Job,
    Lead,
    LeadContact,
    LeadNote,
    Message,
    SequenceEnrolment,
    UnansweredQuestion,
    UnsubscribeToken,
)

# The tombstone's phone: unique per lead (the column is unique per company) and never a
# number, so that the student's number, if it writes again, makes a new lead.
ERASED_PREFIX = "erased:"
_ERASED = {"erased": True}


@dataclass
class Erasure:
    lead_id: uuid.UUID
    erased: bool
    rows: dict[str, int] = field(default_factory=dict)
    send_ledger_keys: list[str] = field(default_factory=list)
    phone_numbers: list[str] = field(default_factory=list)
    email_addresses: list[str] = field(default_factory=list)


def is_erased(lead: Lead) -> bool:
    return lead.phone.startswith(ERASED_PREFIX)


def erase(session: Session, lead_id: uuid.UUID, reason: str) -> Erasure:
    """Erases the lead's personal data in every table; the caller commits."""
    lead = session.execute(select(Lead).where(Lead.id == lead_id).with_for_update()).scalar_one_or_none()
    if lead is None:
        raise LookupError(f"lead {lead_id} not found")
    if is_erased(lead):
        return Erasure(lead_id, erased=False)
    now = now_of(session)
    contacts = session.execute(
        select(LeadContact.channel, LeadContact.value).where(LeadContact.lead_id == lead_id)
    )
    phones = {lead.phone}
    emails = {lead.email} if lead.email else set()
    for channel, value in contacts:
        (emails if channel == "email" else phones).add(value)
    message_ids = select(Message.id).where(Message.lead_id == lead_id)
    # The channels claim and remember each send under "message:<id>" (the conductor's key).
    send_keys = [
        f"message:{m}"
        for m in session.scalars(
            select(Message.id).where(Message.lead_id == lead_id, Message.direction == "outbound")
        )
    ]
    rows: dict[str, int] = {}
    sequences.stop_for_lead(session, lead_id, "the lead's data was erased")

    def count(table: str, result) -> None:
        rows[table] = rows.get(table, 0) + (result.rowcount or 0)

    # Rows that hold nothing but the student's data go.
    count("lead_contacts", session.execute(delete(LeadContact).where(LeadContact.lead_id == lead_id)))
    count("lead_notes", session.execute(delete(LeadNote).where(LeadNote.lead_id == lead_id)))
    count(
        "unsubscribe_tokens",
        session.execute(delete(UnsubscribeToken).where(UnsubscribeToken.lead_id == lead_id)),
    )
    count(
        "unanswered_questions",
        session.execute(delete(UnansweredQuestion).where(UnansweredQuestion.lead_id == lead_id)),
    )
    recipients = {p.lstrip("+") for p in phones} | phones | emails
    count(
        "delivery_receipts",
        session.execute(
            delete(DeliveryReceipt).where(
                or_(DeliveryReceipt.message_id.in_(message_ids), DeliveryReceipt.recipient.in_(recipients))
            )
        ),
    )
    # Rows that count for the company (messages sent, consents given, jobs run) stay, blank.
    count(
        "messages",
        session.execute(
            update(Message)
            .where(Message.lead_id == lead_id)
            .values(
                text="",
                subject="",
                html="",
                error_message="",
                external_id=None,
                idempotency_key=None,
                dedupe_hash=None,
                # The purpose (reply, follow-up, confirmation) says nothing about the student.
                meta=func.jsonb_strip_nulls(func.jsonb_build_object("purpose", Message.meta["purpose"])),
            )
        ),
    )
    count(
        "consents",
        session.execute(update(Consent).where(Consent.lead_id == lead_id).values(text_shown="", evidence={})),
    )
    count(
        "jobs",
        session.execute(
            update(Job)
            .where(Job.lead_id == lead_id, Job.status.in_(("queued", "failed")))
            .values(status="cancelled", dispatch_until=None, updated_at=now)
        ),
    )
    session.execute(update(Job).where(Job.lead_id == lead_id).values(payload=_ERASED, error_message=""))
    count(
        "events",
        session.execute(
            update(Event)
            .where(or_(Event.lead_id == lead_id, Event.data["lead_id"].astext == str(lead_id)))
            .values(data=_ERASED)
        ),
    )
    lead.contact_name = ""
    lead.phone = f"{ERASED_PREFIX}{lead_id.hex[:12]}"
    lead.email = None
    lead.summary = ""
    lead.profile = {}
    lead.tags = []
    # No send can reach a tombstone, and should a stale job try, the policy refuses it.
    lead.status = "opted_out"
    lead.updated_at = now
    rows["leads"] = 1
    session.flush()
    events.record(
        session,
        "lead.erased",
        "lead",
        lead_id,
        company_id=lead.company_id,
        lead_id=lead_id,
        data={"reason": reason[:500], "rows": rows},
    )
    return Erasure(
        lead_id,
        erased=True,
        rows=rows,
        send_ledger_keys=sorted(send_keys),
        phone_numbers=sorted(phones),
        email_addresses=sorted(emails),
    )


def _row(obj: Any, *columns: str) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in columns}


def export(session: Session, lead_id: uuid.UUID) -> str:
    """Everything held about the lead, as a JSON document; records that it was exported."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise LookupError(f"lead {lead_id} not found")

    def rows(model, *columns: str, order=None) -> list[dict[str, Any]]:
        query = select(model).where(model.lead_id == lead_id).order_by(order or model.created_at)
        return [_row(r, *columns) for r in session.scalars(query)]

    document = {
        "exported_at": now_of(session),
        "lead": _row(
            lead,
            "id",
            "company_id",
            "contact_name",
            "phone",
            "email",
            "channel",
            "status",
            "source",
            "summary",
            "profile",
            "tags",
            "created_at",
            "updated_at",
            "last_inbound_at",
            "last_outbound_at",
        ),
        "contacts": rows(LeadContact, "channel", "value", "is_primary", "created_at"),
        "messages": rows(
            Message,
            "id",
            "channel",
            "direction",
            "status",
            "subject",
            "text",
            "source",
            "created_at",
            "sent_at",
            "delivered_at",
            "read_at",
            "failed_at",
            "error_message",
        ),
        "notes": rows(LeadNote, "id", "text", "author", "created_at"),
        "consents": rows(Consent, "action", "channel", "source", "text_shown", "evidence", "created_at"),
        "enrolments": rows(
            SequenceEnrolment, "sequence_id", "status", "source", "created_at", "completed_at"
        ),
        "events": [
            {"type": e.type, "at": e.created_at, "actor": e.actor, "data": e.data}
            for e in session.scalars(select(Event).where(Event.lead_id == lead_id).order_by(Event.id))
        ],
    }
    events.record(
        session, "lead.exported", "lead", lead_id, company_id=lead.company_id, lead_id=lead_id, data={}
    )
    return json.dumps(document, default=_json_value, ensure_ascii=False, indent=2)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"cannot export {type(value).__name__}")
