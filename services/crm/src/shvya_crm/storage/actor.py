"""Who is acting in the current call: set once per RPC, read by the audit log for every event."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SYSTEM = "system"
PLATFORM = "platform"

# A contextvar, not an argument threaded through every domain function: each RPC runs in its own
# thread (grpc's pool), and whatever the call records, however deep, is done on its behalf.
_current: ContextVar[str] = ContextVar("shvya_crm_actor", default=SYSTEM)


def current() -> str:
    return _current.get()


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    token = _current.set(actor)
    try:
        yield
    finally:
        _current.reset(token)
