"""The audit trail: every change the crm makes is recorded as an event row.

Recording is all this module does. Whatever must happen when an event is
recorded (a company's webhook, stopping follow-ups) subscribes to its type
when the crm is wired up (shvya_crm.reactions), and runs in the same
transaction, so any code path that records the event gets the reaction too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from shvya_crm.storage import actor
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Event

# A reaction: the session, the new event's id and the event row as recorded.
Subscriber = Callable[[Session, int, dict[str, Any]], None]


class Subscriptions:
    """Which reactions run for which event types; sessions carry theirs in `info`."""

    def __init__(self, *, frozen: bool = False) -> None:
        self._by_type: dict[str, list[Subscriber]] = {}
        self._frozen = frozen

    def subscribe(self, type_: str, subscriber: Subscriber) -> None:
        if self._frozen:
            raise TypeError("these subscriptions take no reaction")
        self._by_type.setdefault(type_, []).append(subscriber)

    def __contains__(self, type_: str) -> bool:
        return type_ in self._by_type

    def notify(self, session: Session, event_id: int, event: dict[str, Any]) -> None:
        for subscriber in self._by_type.get(event["type"], ()):
            subscriber(session, event_id, event)


# What a session opened outside the crm's Database (a seed, a migration) reacts to: nothing.
_NONE = Subscriptions(frozen=True)


def subscriptions_of(session: Session) -> Subscriptions:
    return session.info.get("subscriptions", _NONE)


# One Core statement, built once: its cache key is memoised, and it skips the ORM's bulk
# insert machinery, which py-spy showed as a fifth of the crm's CPU on the intake path.
_INSERT = insert(Event.__table__)
# The same, handing back the ids (in the order of the rows) for the subscribers. Core too: the
# ORM's bulk insert with RETURNING was a seventh of the crm's CPU at intake, where lead.created
# has subscribers.
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
        "actor": actor.current(),
    }
    subscriptions = subscriptions_of(session)
    if type_ not in subscriptions:
        session.execute(_INSERT, row)
        return
    # What the ORM insert did before: pending changes reach the database first, so an event
    # never refers to a row that is not there yet, and the subscribers' reads see them.
    session.flush()
    event_id = session.execute(_INSERT_IDS, row).scalar_one()
    subscriptions.notify(session, event_id, row)


def record_many(session: Session, rows: list[dict[str, Any]]) -> None:
    """Several events in one statement (the intake hot path writes three or four); the ids
    come back, in order, only when one of them has subscribers."""
    if not rows:
        return
    values = stamped(session, rows)
    subscriptions = subscriptions_of(session)
    if not any(row["type"] in subscriptions for row in rows):
        session.execute(_INSERT, values)
        return
    session.flush()  # as in record
    ids = session.execute(_INSERT_IDS, values).scalars().all()
    notify(session, list(zip(ids, values, strict=True)))


def stamped(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as recorded: with the transaction's time and the current actor."""
    at = now_of(session)
    by = actor.current()
    return [{"created_at": at, "actor": by, **row} for row in rows]


def notify(session: Session, recorded: list[tuple[int, dict[str, Any]]]) -> None:
    """Runs the reactions to events already inserted (by id), in order, for a caller that
    inserted them itself (intake does, within its own statement)."""
    subscriptions = subscriptions_of(session)
    for event_id, row in recorded:
        if row["type"] in subscriptions:
            subscriptions.notify(session, event_id, {"lead_id": None, "company_id": None, "data": {}, **row})
