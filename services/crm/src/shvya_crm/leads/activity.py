"""A company's activity watermark: a value that changes with every change to its leads, cheap enough to
poll every second."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shvya_crm.storage.models import Event

# How many of the newest events the watermark covers. Every change writes an event (the audit
# trail), so the newest event id moves with every change, except when a transaction that took
# a lower id commits after a higher one was seen: the sum of the newest ids still moves then, as
# long as the late transaction's event is among these.
WINDOW = 256


@dataclass(frozen=True)
class Activity:
    watermark: str
    changed_at: datetime | None


def activity(session: Session, company_id: uuid.UUID) -> Activity:
    """One backward scan of at most WINDOW entries of the company's events index (migration 0009);
    the jobs ledger's own events are left out: they change nothing a person sees."""
    newest = (
        select(Event.id, Event.created_at)
        .where(Event.company_id == company_id, Event.entity_type != "job")
        .order_by(Event.id.desc())
        .limit(WINDOW)
        .subquery()
    )
    last_id, total, changed_at = session.execute(
        select(func.max(newest.c.id), func.sum(newest.c.id), func.max(newest.c.created_at))
    ).one()
    if last_id is None:
        return Activity(watermark="", changed_at=None)
    return Activity(watermark=f"{last_id}.{total}", changed_at=changed_at)
