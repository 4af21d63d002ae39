"""Engine and session factory for the crm database."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from shvya_crm.settings import psycopg2_url


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
