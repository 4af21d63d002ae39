"""The crm's clock: the one notion of "now" for every timestamp the crm writes and
every due time it judges (jobs, leases, windows, quiet hours).

Time is read in Python, never from SQL now(), so that a test can control it:
either with a test clock (CRM_TEST_CLOCK=true enables SetClock, which moves
this process's time by an offset) or by running the crm under a faked system
time. Each transaction reads the clock once, so all its writes agree.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

# How far ahead of the real time a test may move the clock. Far enough for any
# test; near enough that every due time the crm computes from it (a follow-up in
# 30 days, a retry, a lease) stays a date Python and PostgreSQL can hold.
MAX_AHEAD = timedelta(days=100 * 366)


class ClockLocked(Exception):
    """The clock was asked to move but this crm does not allow a test clock."""


class Clock:
    def __init__(self, controllable: bool = False, offset_seconds: float = 0.0) -> None:
        self.controllable = controllable
        self._offset = timedelta(seconds=offset_seconds if controllable else 0.0)
        self._lock = threading.Lock()

    @property
    def offset_seconds(self) -> float:
        """How far the test clock runs ahead of the system clock."""
        with self._lock:
            return self._offset.total_seconds()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    def advance(self, seconds: float) -> datetime:
        if not self.controllable:
            raise ClockLocked("the test clock is disabled (set CRM_TEST_CLOCK=true to enable it)")
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        if not seconds <= MAX_AHEAD.total_seconds():
            raise ValueError(_TOO_FAR)
        with self._lock:
            offset = self._offset + timedelta(seconds=seconds)
            if offset > MAX_AHEAD:
                raise ValueError(_TOO_FAR)
            self._offset = offset
        return self.now()

    def set(self, at: datetime) -> datetime:
        if not self.controllable:
            raise ClockLocked("the test clock is disabled (set CRM_TEST_CLOCK=true to enable it)")
        with self._lock:
            offset = at - datetime.now(UTC)
            if offset < self._offset:
                raise ValueError("the clock only moves forward")
            if offset > MAX_AHEAD:
                raise ValueError(_TOO_FAR)
            self._offset = offset
        return self.now()


_TOO_FAR = "must not move the clock more than 100 years ahead of the real time"


def now_of(session: Session) -> datetime:
    """The instant of the session's transaction (the real time if none was stamped)."""
    at = session.info.get("now")
    if at is None:
        at = datetime.now(UTC)
        session.info["now"] = at
    return at
