"""Keeps the test clock's offset in the database, so that a restarted crm (CRM_TEST_CLOCK=true)
resumes at the time the test moved it to instead of travelling back to the system time, which
would leave every timer scheduled under the moved clock far in the future."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import ClockOffset

_ROW = 1


def load(session: Session) -> float:
    offset = session.execute(select(ClockOffset.offset_seconds).where(ClockOffset.id == _ROW)).scalar()
    return float(offset or 0.0)


def save(session: Session, offset_seconds: float) -> None:
    """Stores the offset; never lowers it, so two crm processes cannot pull each other back."""
    values = {"id": _ROW, "offset_seconds": offset_seconds, "updated_at": now_of(session)}
    statement = pg_insert(ClockOffset).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[ClockOffset.id],
            set_={
                "offset_seconds": statement.excluded.offset_seconds,
                "updated_at": statement.excluded.updated_at,
            },
            where=ClockOffset.offset_seconds < statement.excluded.offset_seconds,
        )
    )
