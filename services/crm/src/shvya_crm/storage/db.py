"""Engine, sessions and transactions of the crm database, stamped with the clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from shvya_crm.settings import psycopg2_url
from shvya_crm.storage.clock import Clock
from shvya_crm.storage.events import Subscriptions


def make_engine(database_url: str, pool_size: int = 16) -> Engine:
    return create_engine(
        psycopg2_url(database_url),
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
        connect_args={"application_name": "shvya-crm"},
    )


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


class Database:
    """Opens sessions whose `now` is read once from the clock (see clock.now_of), carrying the
    reactions to audit events that the crm was wired with (see events.Subscriptions)."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock, subscriptions: Subscriptions) -> None:
        self._sessions = sessions
        self.clock = clock
        self._subscriptions = subscriptions

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in a transaction that commits on success and rolls back on error."""
        with self._sessions.begin() as session:
            session.info["now"] = self.clock.now()
            session.info["subscriptions"] = self._subscriptions
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            session.info["now"] = self.clock.now()
            session.info["subscriptions"] = self._subscriptions
            yield session
