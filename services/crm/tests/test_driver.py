"""Statements on the session's DBAPI cursor (storage.driver) behave as SQLAlchemy's own do."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine

from shvya_crm.storage import driver
from shvya_crm.storage.db import make_engine, make_sessionmaker


@pytest.fixture
def session(database_url: str):
    engine = make_engine(database_url, pool_size=1)
    try:
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


def test_a_statement_reaches_the_engines_cursor_listeners(session):
    seen: list[str] = []

    def listen(_connection, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", listen)
    try:
        with driver.Cursor(session) as cursor:
            assert cursor.execute("SELECT %(n)s + 1", {"n": 41}).one() == (42,)
    finally:
        event.remove(Engine, "before_cursor_execute", listen)
    assert seen == ["SELECT %(n)s + 1"]


def test_a_constraint_violation_raises_sqlalchemys_integrity_error(session):
    # The RPC layer answers that one with ABORTED ("retry the request").
    with driver.Cursor(session) as cursor, pytest.raises(sa_exc.IntegrityError):
        cursor.execute("INSERT INTO events (type, entity_type) VALUES (NULL, 'lead')", [])


def test_the_statement_runs_in_the_sessions_transaction(session):
    with driver.Cursor(session) as cursor:
        cursor.execute("INSERT INTO events (type, entity_type) VALUES ('test.driver', 'lead')", [])
    session.rollback()
    with driver.Cursor(session) as cursor:
        assert cursor.execute("SELECT count(*) FROM events WHERE type = 'test.driver'", []).one() == (0,)
