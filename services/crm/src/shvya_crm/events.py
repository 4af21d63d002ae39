"""The audit trail: every change the crm makes is recorded as an event row."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from shvya_crm.clock import now_of
from shvya_crm.models import Event


def record(
    session: Session,
    type_: str,
    entity_type: str,
    entity_id: uuid.UUID | None,
    *,
    company_id: uuid.UUID | None = None,
    lead_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    session.execute(
        insert(Event).values(
            created_at=now_of(session),
            type=type_,
            entity_type=entity_type,
            entity_id=entity_id,
            company_id=company_id,
            lead_id=lead_id,
            data=data or {},
        )
    )


def record_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Several events in one statement (the intake hot path writes three or four)."""
    if rows:
        at = now_of(session)
        session.execute(insert(Event), [{"created_at": at, **row} for row in rows])
