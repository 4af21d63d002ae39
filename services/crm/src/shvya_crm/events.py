"""The audit trail: every change the crm makes is recorded as an event row.

Some events call for more than a row (a company's webhook, stopping
follow-ups): those are handled by shvya_crm.reactions in the same
transaction, so any code path that records them gets the reaction too.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from shvya_crm.clock import now_of
from shvya_crm.models import Event


def _reactions():
    # Imported when used: reactions schedules jobs, and the jobs ledger records events.
    from shvya_crm import reactions

    return reactions


# One Core statement, built once: its cache key is memoised, and it skips the ORM's bulk
# insert machinery, which py-spy showed as a fifth of the crm's CPU on the intake path.
_INSERT = insert(Event.__table__)
# The same, handing back the ids (in the order of the rows) for the reactions. Core too: the ORM's
# bulk insert with RETURNING was a seventh of the crm's CPU at intake, where lead.created is
# reactive.
_INSERT_IDS = _INSERT.returning(Event.__table__.c.id, sort_by_parameter_order=True)


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
    row = {
        "created_at": now_of(session),
        "type": type_,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "company_id": company_id,
        "lead_id": lead_id,
        "data": data or {},
    }
    reactions = _reactions()
    if type_ not in reactions.REACTIVE:
        session.execute(_INSERT, row)
        return
    # What the ORM insert did before: pending changes reach the database first, so an event
    # never refers to a row that is not there yet, and the reaction's reads see them.
    session.flush()
    event_id = session.execute(_INSERT_IDS, row).scalar_one()
    reactions.react(session, event_id, row)


def record_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Several events in one statement (the intake hot path writes three or four); the ids
    come back, in order, only when one of them has a reaction."""
    if not rows:
        return
    at = now_of(session)
    values = [{"created_at": at, **row} for row in rows]
    reactions = _reactions()
    if not any(row["type"] in reactions.REACTIVE for row in rows):
        session.execute(_INSERT, values)
        return
    session.flush()  # as in record
    ids = session.execute(_INSERT_IDS, values).scalars().all()
    for event_id, row in zip(ids, values, strict=True):
        if row["type"] in reactions.REACTIVE:
            reactions.react(session, event_id, {"lead_id": None, "company_id": None, "data": {}, **row})
