"""The Alembic migration: upgrade, downgrade to nothing, upgrade again; and the models match it."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg2
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from shvya_crm.migrate import downgrade, upgrade
from shvya_crm.settings import psycopg2_url
from shvya_crm.storage.models import Base
from shvya_testkit.postgres import query, temporary_database

SIXTEEN_TABLES = {
    "companies",
    "users",
    "pipelines",
    "stages",
    "leads",
    "lead_contacts",
    "messages",
    "events",
    "jobs",
    "sequences",
    "sequence_steps",
    "templates",
    "ai_models",
    "ai_kb_docs",
    "ai_sessions",
    "reports_cache",
}


def _head() -> str:
    from alembic.script import ScriptDirectory

    from shvya_crm.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config("postgresql://unused/x")).get_current_head()


def _tables(url: str) -> set[str]:
    return {t for (t,) in query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}


@pytest.fixture
def empty_database(empty_database_url) -> Iterator[str]:
    """A database of its own: these tests change the schema, which the shared one must keep.

    (Asking for `empty_database_url` makes the test skip, or fail in CI, without PostgreSQL.)
    """
    with temporary_database(prefix="shvya_migration") as url:
        yield url


def test_the_first_revision_creates_exactly_the_sixteen_reference_tables(empty_database):
    upgrade(empty_database, "0001")

    assert _tables(empty_database) == SIXTEEN_TABLES | {"alembic_version"}
    assert query(empty_database, "SELECT version_num FROM alembic_version") == [("0001",)]


def test_upgrade_to_head_keeps_the_sixteen_tables_and_the_models_tables(empty_database):
    upgrade(empty_database)

    assert _tables(empty_database) == set(Base.metadata.tables) | {"alembic_version"}
    assert _tables(empty_database) >= SIXTEEN_TABLES
    assert query(empty_database, "SELECT version_num FROM alembic_version") == [(_head(),)]


def test_downgrade_to_base_leaves_no_tables_and_upgrade_works_again(empty_database):
    # Given a database at the latest schema
    upgrade(empty_database)

    # When it is downgraded to base
    downgrade(empty_database, "base")

    # Then none of the crm's tables remain (alembic keeps only its empty version table)
    assert _tables(empty_database) - {"alembic_version"} == set()
    assert query(empty_database, "SELECT count(*) FROM alembic_version") == [(0,)]
    leftover_indexes = query(
        empty_database,
        "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'alembic_version'",
    )
    assert leftover_indexes == [(0,)]

    # And upgrading again rebuilds the schema
    upgrade(empty_database)
    assert _tables(empty_database) == set(Base.metadata.tables) | {"alembic_version"}


def test_upgrade_is_a_no_op_on_an_up_to_date_database(migrated_database_url):
    upgrade(migrated_database_url)

    assert query(migrated_database_url, "SELECT version_num FROM alembic_version") == [(_head(),)]


def test_the_models_match_the_migrated_schema(migrated_database_url):
    engine = create_engine(psycopg2_url(migrated_database_url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()

    assert differences == []


def test_the_models_include_the_sixteen_reference_tables():
    assert set(Base.metadata.tables) >= SIXTEEN_TABLES


def test_the_jobs_ledger_indexes_exist_after_upgrade(migrated_database_url):
    engine = create_engine(psycopg2_url(migrated_database_url))
    try:
        names = {i["name"] for i in inspect(engine).get_indexes("jobs")}
    finally:
        engine.dispose()

    assert {"ix_jobs_due", "ix_jobs_status_updated_at", "ix_jobs_lead_id"} <= names


def _write(url: str, statement: str, params: tuple = ()) -> list[tuple]:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        rows = cur.fetchall() if cur.description else []
    conn.close()
    return rows


def test_upgrading_gives_each_answered_lead_its_time_to_first_reply(empty_database):
    # Given leads written before the crm kept the time to first reply on the lead
    upgrade(empty_database, "0011")
    company = _write(
        empty_database,
        "INSERT INTO companies (id, name) VALUES (gen_random_uuid(), 'Acme') RETURNING id::text",
    )[0][0]
    answered, waiting, prepared = (
        _write(
            empty_database,
            "INSERT INTO leads (id, company_id, phone, channel, created_at) "
            "VALUES (gen_random_uuid(), %s, %s, 'email', '2026-12-01 10:00+00') RETURNING id::text",
            (company, phone),
        )[0][0]
        for phone in ("+919800000001", "+919800000002", "+919800000003")
    )
    messages = [
        # answered: wrote at 10:01, a failed reply at 10:02, the first reply sent at 10:03:30, another later
        (answered, "inbound", "received", "10:01", None),
        (answered, "outbound", "failed", "10:02", "10:02"),
        (answered, "outbound", "sent", "10:03", "10:03:30"),
        (answered, "outbound", "sent", "10:30", "10:30"),
        # waiting: wrote, no reply yet
        (waiting, "inbound", "received", "10:01", None),
        # prepared: a message prepared before the lead wrote, and none after
        (prepared, "outbound", "sent", "10:00", "10:00"),
        (prepared, "inbound", "received", "10:05", None),
    ]
    for lead, direction, status, created, sent in messages:
        _write(
            empty_database,
            "INSERT INTO messages (id, company_id, lead_id, channel, direction, status, text, created_at, sent_at)"
            " VALUES (gen_random_uuid(), %s, %s, 'email', %s, %s, 'x', %s, %s)",
            (
                company,
                lead,
                direction,
                status,
                f"2026-12-01 {created}+00",
                f"2026-12-01 {sent}+00" if sent else None,
            ),
        )

    # When the database is upgraded
    upgrade(empty_database)

    # Then the answered lead's wait runs from its first inbound message to its first reply sent
    waits = dict(query(empty_database, "SELECT id::text, first_reply_seconds FROM leads"))
    assert waits == {answered: 150.0, waiting: None, prepared: None}
