"""SQL text run on the session's own DBAPI cursor, in its transaction, for the hottest path.

SQLAlchemy spends about 200 µs of CPU on each statement it executes (the ORM's compile state,
the cache lookup, the execution context, the result), the driver about 30 µs; on the intake
path that machinery was over half of the crm's CPU, more than the database's answers cost.
Statements run here still reach the engine's `before_cursor_execute` listeners (the statement
budget counts them) and fail with SQLAlchemy's exceptions (the RPC layer maps those)."""

from __future__ import annotations

from typing import Any

import psycopg2
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session


class Cursor:
    """A DBAPI cursor of the session's connection; close it when done (or use `with`)."""

    def __init__(self, session: Session) -> None:
        self._connection: Connection = session.connection()
        self._cursor = self._connection.connection.cursor()

    def __enter__(self) -> Cursor:
        return self

    def __exit__(self, *_exc) -> None:
        self._cursor.close()

    def execute(self, sql: str, params: dict[str, Any] | list[Any]) -> Cursor:
        connection = self._connection
        listeners = connection.dispatch.before_cursor_execute
        if listeners:
            for listener in listeners:
                listener(connection, self._cursor, sql, params, None, False)
        try:
            self._cursor.execute(sql, params)
        except psycopg2.Error as exc:
            # As SQLAlchemy would: a lost connection leaves the pool, and the error is its own.
            if connection.dialect.is_disconnect(exc, connection.connection.dbapi_connection, self._cursor):
                connection.invalidate(exc)
            raise sa_exc.DBAPIError.instance(sql, params, exc, psycopg2.Error) from exc
        return self

    def one(self) -> tuple:
        return self._cursor.fetchone()

    def all(self) -> list[tuple]:
        return self._cursor.fetchall()
