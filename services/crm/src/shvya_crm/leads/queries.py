"""Reading leads and their conversations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shvya_crm.storage.models import Lead, Message, Stage


@dataclass(frozen=True)
class LeadView:
    lead: Lead
    stage_key: str
    # Read only where a reader asks for it (leads/whatsapp_window.py); None otherwise.
    whatsapp_window_ends_at: datetime | None = None


def get_lead(session: Session, lead_id: uuid.UUID) -> LeadView:
    row = session.execute(
        select(Lead, Stage.key).outerjoin(Stage, Stage.id == Lead.stage_id).where(Lead.id == lead_id)
    ).one_or_none()
    if row is None:
        raise LookupError(f"lead {lead_id} not found")
    return LeadView(lead=row[0], stage_key=row[1] or "")


def lock_lead(session: Session, lead_id: uuid.UUID) -> LeadView:
    """The lead, locked and read afresh, with its stage's key.

    populate_existing: the session may have loaded the lead before this lock; a status another
    transaction committed meanwhile (an opt-out) must be what this one sees and keeps."""
    row = session.execute(
        select(Lead, stage_key_of_lead())
        .where(Lead.id == lead_id)
        .with_for_update(of=Lead)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if row is None:
        raise LookupError(f"lead {lead_id} not found")
    return LeadView(lead=row[0], stage_key=row[1] or "")


def stage_key_of_lead():
    """The key of the lead's stage, for a statement that locks the lead (FOR UPDATE OF leads).

    A subquery, not a join: when the lock waits for a transaction that moves the lead,
    PostgreSQL re-reads the locked lead row but not a joined stage row, and the join would
    then drop the stage (read as ""); the subquery runs again for the new row."""
    return select(Stage.key).where(Stage.id == Lead.stage_id).scalar_subquery()


def find_lead_id(session: Session, company_id: uuid.UUID, phone: str) -> uuid.UUID | None:
    return session.execute(
        select(Lead.id).where(Lead.company_id == company_id, Lead.phone == phone)
    ).scalar_one_or_none()


def list_messages(session: Session, lead_id: uuid.UUID, limit: int) -> list[Message]:
    """The newest `limit` messages of the lead, oldest first."""
    rows = session.scalars(
        select(Message)
        .where(Message.lead_id == lead_id)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit)
    ).all()
    return list(reversed(rows))


def get_message(session: Session, message_id: uuid.UUID) -> Message:
    message = session.get(Message, message_id)
    if message is None:
        raise LookupError(f"message {message_id} not found")
    return message
