"""Counsellors as assignment sees them: availability, working hours, and who gets the next lead."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import AssignmentCursor, Company, User
from shvya_rpc.errors import FieldErrors

# The role that takes leads by round robin; a rule may name anyone of the company.
COUNSELLOR = "counsellor"
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class NotPossible(Exception):
    """The request conflicts with the stored state (for example taking over an opted-out lead)."""


@dataclass(frozen=True)
class Hours:
    days: tuple[int, ...] = ()
    start: str = ""
    end: str = ""
    timezone: str = ""

    def as_json(self) -> dict:
        return {"days": list(self.days), "start": self.start, "end": self.end, "timezone": self.timezone}


def hours_of(user: User) -> Hours:
    stored = user.working_hours or {}
    return Hours(
        days=tuple(stored.get("days") or ()),
        start=stored.get("start", ""),
        end=stored.get("end", ""),
        timezone=stored.get("timezone", ""),
    )


def validate_hours(hours: Hours, prefix: str = "working_hours.") -> None:
    errors = {}
    if any(not 1 <= d <= 7 for d in hours.days) or len(set(hours.days)) != len(hours.days):
        errors[prefix + "days"] = "must be distinct ISO weekdays, 1 (Monday) to 7 (Sunday)"
    if bool(hours.start) != bool(hours.end):
        errors[prefix + "start"] = "start and end are given together (neither means all day)"
    for name in ("start", "end"):
        value = getattr(hours, name)
        if value and not _HHMM.match(value):
            errors[prefix + name] = "must be HH:MM (24-hour)"
    if hours.start and hours.start == hours.end:
        errors[prefix + "end"] = "must differ from start"
    if hours.timezone:
        try:
            ZoneInfo(hours.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            errors[prefix + "timezone"] = "must be an IANA time zone such as Asia/Kolkata"
    if errors:
        raise FieldErrors(errors)


def _zone(name: str, fallback: str) -> ZoneInfo:
    for candidate in (name, fallback):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("Asia/Kolkata")


def on_duty(hours: Hours, now: datetime, company_timezone: str) -> bool:
    """Within the user's working hours at `now` (no hours set: always)."""
    local = now.astimezone(_zone(hours.timezone, company_timezone))
    start = time.fromisoformat(hours.start) if hours.start else None
    end = time.fromisoformat(hours.end) if hours.end else None
    day = local.isoweekday()
    if start is None or end is None:
        return not hours.days or day in hours.days
    clock = local.time()
    if start < end:
        return (not hours.days or day in hours.days) and start <= clock < end
    # Past midnight: the evening belongs to today's shift, the small hours to yesterday's.
    if clock >= start:
        return not hours.days or day in hours.days
    if clock < end:
        yesterday = 7 if day == 1 else day - 1
        return not hours.days or yesterday in hours.days
    return False


def company_user(session: Session, company_id: uuid.UUID, user_id: uuid.UUID, field: str) -> User:
    user = session.get(User, user_id)
    if user is None or user.company_id != company_id:
        raise FieldErrors({field: f"is not a user of company {company_id}"})
    return user


def set_availability(
    session: Session, user_id: uuid.UUID, available: bool, hours: Hours | None, actor: str
) -> User:
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise LookupError(f"user {user_id} not found")
    if hours is not None:
        validate_hours(hours)
        user.working_hours = hours.as_json()
    user.available = available
    events.record(
        session,
        "user.availability_changed",
        "user",
        user.id,
        company_id=user.company_id,
        data={"available": available, "working_hours": user.working_hours, "actor": actor},
    )
    session.flush()
    return user


def list_users(session: Session, company_id: uuid.UUID) -> list[User]:
    return list(
        session.scalars(select(User).where(User.company_id == company_id).order_by(User.created_at, User.id))
    )


def _ready(users: Iterable[User], now: datetime, company: Company, exclude: uuid.UUID | None) -> list[User]:
    return [
        u
        for u in users
        if u.is_active and u.available and u.id != exclude and on_duty(hours_of(u), now, company.timezone)
    ]


def pick(
    session: Session,
    company: Company,
    rule_user_ids: list[uuid.UUID],
    *,
    exclude: uuid.UUID | None = None,
    users: list[User] | None = None,
) -> User | None:
    """The next counsellor: round robin among the rule's users who can take a lead now, else among
    all the company's counsellors who can; None when nobody can. Moves the company's cursor.
    `users`: the company's users, when the caller has read them."""
    now = now_of(session)
    users = list_users(session, company.id) if users is None else users
    by_id = {u.id: u for u in users}
    ready = _ready((by_id[i] for i in rule_user_ids if i in by_id), now, company, exclude)
    if not ready:
        # A rule whose team is all away must not leave the student waiting for nobody.
        ready = _ready((u for u in users if u.role == COUNSELLOR), now, company, exclude)
    if not ready:
        return None
    # The cursor row, locked: two leads assigned at once go to two counsellors.
    session.execute(
        pg_insert(AssignmentCursor).values(company_id=company.id, updated_at=now).on_conflict_do_nothing()
    )
    cursor = session.execute(
        select(AssignmentCursor).where(AssignmentCursor.company_id == company.id).with_for_update()
    ).scalar_one()
    order = [u.id for u in users]  # every user, so a counsellor back from a break keeps their turn
    last = order.index(cursor.last_user_id) if cursor.last_user_id in by_id else -1
    chosen = min(ready, key=lambda u: (order.index(u.id) - last - 1) % len(order))
    cursor.last_user_id = chosen.id
    cursor.updated_at = now
    return chosen
