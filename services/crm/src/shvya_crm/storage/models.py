"""The crm schema as SQLAlchemy 2 models: the sixteen tables Shvya has always had (companies to
reports_cache) and the ones added since (consents, delivery receipts, enrolments, webhooks ...).

Alembic migrations (shvya_crm/migrations) create and change these tables;
nothing here runs DDL at start-up.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Computed,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import (
    text as sql,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Stored channel codes, as in the original schema's SQL ('wa_web', not 'whatsapp_web').
CHANNEL_CODES = ("wa_web", "wa_cloud", "email")
MESSAGE_STATUSES = ("received", "queued", "sent", "delivered", "read", "failed")
JOB_STATUSES = ("queued", "processing", "completed", "failed", "dlq", "cancelled")
LEAD_STATUSES = ("active", "handed_off", "opted_out", "enrolled", "lost")
CONSENT_ACTIONS = ("opt_in", "opt_out")
USER_TOKEN_KINDS = ("session", "invitation", "reset")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)


def _created() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


def _updated() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), nullable=False, server_default=func.now())


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Mapped[Any]:
    return mapped_column(
        UUID(as_uuid=True), ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True
    )


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[uuid.UUID] = _uuid_pk()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, server_default="Asia/Kolkata")
    settings: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default=sql("'{}'"))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class User(Base):
    """A person at the company: counsellors who take hand-offs, admins."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("company_id", "email"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = _fk("companies.id")
    email: Mapped[str] = mapped_column(String(320), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False, server_default="")
    role: Mapped[str] = mapped_column(String(32), nullable=False, server_default="counsellor")
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=sql("true"))
    # Takes new leads: the switch a counsellor flips when away.
    available: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=sql("true"))
    # {"days": [1..7], "start": "HH:MM", "end": "HH:MM", "timezone": ...}; {} means always.
    working_hours: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default=sql("'{}'"))
    created_at: Mapped[datetime] = _created()
    # An argon2 hash; NULL until the invitation is accepted (nobody can sign in as the user).
    password_hash: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = _updated()
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserToken(Base):
    """A secret handed to one user: a session, an invitation or a password reset. Only its SHA-256
    is stored, so a copy of the database signs nobody in."""

    __tablename__ = "user_tokens"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        CheckConstraint(_in("kind", USER_TOKEN_KINDS), name="kind"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    user_id: Mapped[uuid.UUID] = _fk("users.id")
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    # Set when a session is logged out, or a one-time token is used.
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created()


class ApiKey(Base):
    """A company's key for an integration: shown once, stored as its SHA-256, limited to scopes."""

    __tablename__ = "api_keys"
    __table_args__ = (UniqueConstraint("key_hash"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = _fk("companies.id")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # The first characters of the key, so a person can tell keys apart in a list.
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    key_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(32)), nullable=False, server_default=sql("'{}'"))
    created_by: Mapped[str] = mapped_column(String(64), nullable=False, server_default="")
    created_at: Mapped[datetime] = _created()
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AssignmentCursor(Base):
    """Where each company's round robin stands: the counsellor who got the last lead."""

    __tablename__ = "assignment_cursors"

    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    last_user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    updated_at: Mapped[datetime] = _updated()


class Pipeline(Base):
    __tablename__ = "pipelines"

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = _fk("companies.id")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    is_default: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=sql("false"))
    created_at: Mapped[datetime] = _created()


class Stage(Base):
    __tablename__ = "stages"
    __table_args__ = (UniqueConstraint("pipeline_id", "key"), UniqueConstraint("pipeline_id", "position"))

    id: Mapped[uuid.UUID] = _uuid_pk()
    pipeline_id: Mapped[uuid.UUID] = _fk("pipelines.id")
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = _created()


# Expressions of the functional indexes that find leads (migration 0007); queries use the same.
LEAD_LAST_MESSAGE_SQL = "coalesce(greatest(last_inbound_at, last_outbound_at), created_at)"
LEAD_TEXT_SQL = "(contact_name || ' ' || phone || ' ' || coalesce(email, ''))"
MESSAGE_WORDS_SQL = "to_tsvector('simple'::regconfig, text)"


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = (
        UniqueConstraint("company_id", "phone"),
        CheckConstraint(_in("status", LEAD_STATUSES), name="status"),
        # Keyset pages in each sort: the company, the sort key, the id that breaks ties.
        Index("ix_leads_company_id_created_at_id", "company_id", "created_at", "id"),
        # A stage's or a status's newest leads (the board's columns, the leads table filtered by
        # either), and their counts up to a limit, without walking the others.
        Index("ix_leads_company_id_stage_id_created_at_id", "company_id", "stage_id", "created_at", "id"),
        Index("ix_leads_company_id_status_created_at_id", "company_id", "status", "created_at", "id"),
        Index("ix_leads_company_id_contact_name_id", "company_id", "contact_name", "id"),
        Index("ix_leads_company_id_last_message_at_id", "company_id", sql(LEAD_LAST_MESSAGE_SQL), "id"),
        Index("ix_leads_tags", "tags", postgresql_using="gin"),
        Index("ix_leads_search_trgm", sql(f"{LEAD_TEXT_SQL} gin_trgm_ops"), postgresql_using="gin"),
        Index("ix_leads_company_id_lower_email", "company_id", sql("lower(email)")),
        # The inbox: leads waiting for a person (migration 0009).
        Index(
            "ix_leads_company_id_assigned_user_id_handed_off",
            "company_id",
            "assigned_user_id",
            postgresql_where=sql("status = 'handed_off'"),
        ),
        # A user's inbox: their leads, newest activity first, read in order until a page is full
        # (migration 0011).
        Index(
            "ix_leads_company_id_assigned_user_id_last_message_at_id",
            "company_id",
            "assigned_user_id",
            sql(LEAD_LAST_MESSAGE_SQL),
            "id",
        ),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), nullable=False
    )
    pipeline_id: Mapped[uuid.UUID | None] = _fk("pipelines.id", nullable=True, ondelete="SET NULL")
    stage_id: Mapped[uuid.UUID | None] = _fk("stages.id", nullable=True, ondelete="SET NULL")
    contact_name: Mapped[str] = mapped_column(String(200), nullable=False, server_default="")
    # E.164.
    phone: Mapped[str] = mapped_column(String(20), nullable=False)
    email: Mapped[str | None] = mapped_column(String(320))
    # Channel of first contact.
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="active")
    source: Mapped[str] = mapped_column(String(64), nullable=False, server_default="form")
    summary: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    profile: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default=sql("'{}'"))
    last_inbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_outbound_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The counsellor who has the lead (None: nobody), and since when.
    assigned_user_id: Mapped[uuid.UUID | None] = _fk("users.id", nullable=True, ondelete="SET NULL")
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()
    # Lower-case labels people give the lead (leads/work.py normalises them).
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(64)), nullable=False, server_default=sql("'{}'"))
    # When the lead last went from the AI to a person (a hand-off or a take-over); read only while
    # the status is handed_off.
    taken_over_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Seconds from the lead's first inbound message (its creation when it has none) to the first
    # message a channel accepted for it after that; written once, when that message is marked sent,
    # so the dashboard's percentiles read one column instead of two probes of messages per lead.
    first_reply_seconds: Mapped[float | None] = mapped_column(Float)


class LeadNote(Base):
    """A note a person wrote about a lead. A table rather than a list in the lead's row: notes
    only grow, and appending to a JSONB list rewrites the whole list and takes the lead's row
    lock that intake and the AI's turns take too; a row per note is one small insert."""

    __tablename__ = "lead_notes"
    __table_args__ = (Index("ix_lead_notes_lead_id_created_at", "lead_id", "created_at"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), nullable=False
    )
    lead_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("leads.id", ondelete="CASCADE"), nullable=False
    )
    author: Mapped[str] = mapped_column(String(320), nullable=False, server_default="")
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = _created()


class LeadContact(Base):
    """An address at which a lead can be reached on one channel."""

    __tablename__ = "lead_contacts"
    __table_args__ = (
        UniqueConstraint("lead_id", "channel", "value"),
        CheckConstraint(_in("channel", CHANNEL_CODES), name="channel"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    lead_id: Mapped[uuid.UUID] = _fk("leads.id")
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    value: Mapped[str] = mapped_column(String(320), nullable=False)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=sql("false"))
    created_at: Mapped[datetime] = _created()


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("company_id", "idempotency_key"),
        CheckConstraint(_in("channel", CHANNEL_CODES), name="channel"),
        CheckConstraint(_in("direction", ("inbound", "outbound")), name="direction"),
        CheckConstraint(_in("status", MESSAGE_STATUSES), name="status"),
        Index("ix_messages_lead_id_created_at", "lead_id", "created_at"),
        Index(
            "uq_messages_channel_external_id",
            "channel",
            "external_id",
            unique=True,
            postgresql_where=sql("external_id IS NOT NULL"),
        ),
        Index("ix_messages_lead_id_dedupe_hash", "lead_id", "dedupe_hash"),
        Index("ix_messages_text_words", sql(MESSAGE_WORDS_SQL), postgresql_using="gin"),
        # The inbox: failed sends (migration 0009).
        Index(
            "ix_messages_company_id_lead_id_failed",
            "company_id",
            "lead_id",
            postgresql_where=sql("direction = 'outbound' AND status = 'failed'"),
        ),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), nullable=False
    )
    lead_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("leads.id", ondelete="CASCADE"), nullable=False
    )
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    direction: Mapped[str] = mapped_column(String(8), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False, server_default="")
    html: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    external_id: Mapped[str | None] = mapped_column(String(255))
    idempotency_key: Mapped[str | None] = mapped_column(String(255))
    # Fingerprint of an inbound body, to recognise an identical re-post.
    dedupe_hash: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64), nullable=False, server_default="")
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    error_message: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    meta: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default=sql("'{}'"))
    # The user who wrote an outbound message a person sent (None: the AI, the system, the operator).
    author_user_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = _created()
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Event(Base):
    """The audit trail: one row for every change, never updated."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_entity_type_entity_id", "entity_type", "entity_id"),
        Index("ix_events_lead_id_id", "lead_id", "id"),
        # The inbox's hot leads and the activity watermark (migration 0009).
        Index(
            "ix_events_company_id_lead_id_hot",
            "company_id",
            "lead_id",
            postgresql_where=sql("type = 'lead.hot'"),
        ),
        Index(
            "ix_events_company_id_id_activity",
            "company_id",
            "id",
            postgresql_where=sql("entity_type <> 'job'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    company_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    lead_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    type: Mapped[str] = mapped_column(String(64), nullable=False)
    entity_type: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default=sql("'{}'"))
    created_at: Mapped[datetime] = _created()
    # Who acted: "user:<id>", "api_key:<id>", "platform" (the operator's ADMIN_TOKEN) or "system".
    actor: Mapped[str] = mapped_column(String(64), nullable=False, server_default="system")


class Job(Base):
    """The jobs ledger and transactional outbox: a job is written in the same
    transaction as the change that calls for it, then dispatched to a lane."""

    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("idempotency_key"),
        CheckConstraint(_in("status", JOB_STATUSES), name="status"),
        Index(
            "ix_jobs_due",
            "run_at",
            postgresql_where=sql("status IN ('queued', 'failed', 'processing')"),
        ),
        Index("ix_jobs_status_updated_at", "status", "updated_at"),
        Index("ix_jobs_lead_id", "lead_id"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    lead_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    task_name: Mapped[str] = mapped_column(String(64), nullable=False)
    priority: Mapped[int] = mapped_column(Integer, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="queued")
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    idempotency_key: Mapped[str] = mapped_column(String(255), nullable=False)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default=sql("'{}'"))
    error_message: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    run_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
    # Set while a dispatcher has handed the job to a lane; expires so that a
    # message lost in Redis is dispatched again.
    dispatch_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set while a worker runs the job; expires so that a killed worker's job
    # runs again.
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class Sequence(Base):
    """A multi-step cadence (for example three emails over a week)."""

    __tablename__ = "sequences"

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = _fk("companies.id")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # Enrolment rule, for example {"course": "digital marketing"}.
    trigger: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default=sql("'{}'"))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=sql("true"))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class SequenceStep(Base):
    __tablename__ = "sequence_steps"
    __table_args__ = (
        UniqueConstraint("sequence_id", "position"),
        CheckConstraint(_in("channel", CHANNEL_CODES), name="channel"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    sequence_id: Mapped[uuid.UUID] = _fk("sequences.id")
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    template_id: Mapped[uuid.UUID | None] = _fk("templates.id", nullable=True, ondelete="SET NULL")
    delay_seconds: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    stop_conditions: Mapped[list[str]] = mapped_column(
        ARRAY(String(64)), nullable=False, server_default=sql("'{}'")
    )
    created_at: Mapped[datetime] = _created()


class Template(Base):
    """A message template with {variables}; for WhatsApp Cloud, the approved
    template's name and language."""

    __tablename__ = "templates"
    __table_args__ = (UniqueConstraint("company_id", "name", "language"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = _fk("companies.id")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    language: Mapped[str] = mapped_column(String(16), nullable=False, server_default="en")
    subject: Mapped[str] = mapped_column(String(300), nullable=False, server_default="")
    body: Mapped[str] = mapped_column(Text, nullable=False)
    # Ordered variable names, e.g. ["first_name", "course"].
    variables: Mapped[list[str]] = mapped_column(
        ARRAY(String(64)), nullable=False, server_default=sql("'{}'")
    )
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class AiModel(Base):
    """A company's AI configuration and system prompt."""

    __tablename__ = "ai_models"

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    provider: Mapped[str] = mapped_column(String(32), nullable=False, server_default="")
    model: Mapped[str] = mapped_column(String(128), nullable=False, server_default="gpt-4o-mini")
    temperature: Mapped[float] = mapped_column(Float, nullable=False, server_default="0.7")
    max_tokens: Mapped[int] = mapped_column(Integer, nullable=False, server_default="500")
    system_prompt: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    base_url: Mapped[str] = mapped_column(String(500), nullable=False, server_default="")
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class AiKbSynonym(Base):
    """A word a company's students write and the catalogue words its knowledge-base search adds for it."""

    __tablename__ = "ai_kb_synonyms"

    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    word: Mapped[str] = mapped_column(String(64), primary_key=True)
    expands_to: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = _created()


class AiKbDoc(Base):
    """A knowledge-base document, searched with PostgreSQL full-text search."""

    __tablename__ = "ai_kb_docs"
    __table_args__ = (Index("ix_ai_kb_docs_search", "search", postgresql_using="gin"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = _fk("companies.id")
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    tags: Mapped[list[str]] = mapped_column(ARRAY(String(64)), nullable=False, server_default=sql("'{}'"))
    search: Mapped[Any] = mapped_column(
        TSVECTOR,
        Computed(
            "setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('english'::regconfig, coalesce(content, '')), 'B')",
            persisted=True,
        ),
    )
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class AiSession(Base):
    """One AI turn: model, tokens, latency and what it decided."""

    __tablename__ = "ai_sessions"

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    lead_id: Mapped[uuid.UUID] = _fk("leads.id")
    inbound_message_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    reply_message_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    provider: Mapped[str] = mapped_column(String(32), nullable=False)
    model: Mapped[str] = mapped_column(String(128), nullable=False)
    prompt_tokens: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    completion_tokens: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    latency_ms: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    intent: Mapped[str] = mapped_column(String(32), nullable=False, server_default="")
    kb_doc_ids: Mapped[list[str]] = mapped_column(
        ARRAY(String(64)), nullable=False, server_default=sql("'{}'")
    )
    created_at: Mapped[datetime] = _created()
    # reply (a turn that produced a message) or summary.
    kind: Mapped[str] = mapped_column(String(16), nullable=False, server_default="reply")
    # Every inbound message the reply answered: a burst gets one reply, and
    # the jobs of the messages it covered find it and do nothing.
    answered_message_ids: Mapped[list[str]] = mapped_column(
        ARRAY(String(64)), nullable=False, server_default=sql("'{}'")
    )
    suggested_stage: Mapped[str] = mapped_column(String(32), nullable=False, server_default="")
    hand_off: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=sql("false"))
    unanswered: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=sql("false"))


class ReportsCache(Base):
    """Pre-computed report data (funnel counts, response times) per company."""

    __tablename__ = "reports_cache"
    __table_args__ = (UniqueConstraint("company_id", "key"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = _fk("companies.id")
    key: Mapped[str] = mapped_column(String(128), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default=sql("'{}'"))
    computed_at: Mapped[datetime] = _created()
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Consent(Base):
    """The consent ledger: every opt-in and opt-out, with its source, time and the
    text the person saw. Never updated; the lead's status holds the current state."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint(_in("action", CONSENT_ACTIONS), name="action"),
        Index("ix_consents_lead_id_created_at", "lead_id", "created_at"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), nullable=False
    )
    lead_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("leads.id", ondelete="CASCADE"), nullable=False
    )
    # The channel the consent was given or withdrawn on; NULL means all.
    channel: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(8), nullable=False)
    # form, keyword, whatsapp_user_preferences, email_unsubscribe, api, ai, ...
    source: Mapped[str] = mapped_column(String(64), nullable=False)
    text_shown: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, server_default=sql("'{}'"))
    created_at: Mapped[datetime] = _created()


DELIVERY_STATUSES = ("sent", "delivered", "read", "failed")


class DeliveryReceipt(Base):
    """A channel's delivery report (sent, delivered, read or failed) as it arrived: applied to
    the outbound message with the same external id, or kept until that send is recorded
    (a status webhook can overtake the answer to the send). One row per report, so a
    re-delivered webhook changes nothing."""

    __tablename__ = "delivery_receipts"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", "status"),
        CheckConstraint(_in("status", DELIVERY_STATUSES), name="status"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    external_id: Mapped[str] = mapped_column(String(255), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    # NULL until a message with this external id exists.
    message_id: Mapped[uuid.UUID | None] = _fk("messages.id", nullable=True)
    error_code: Mapped[str] = mapped_column(String(64), nullable=False, server_default="")
    error_message: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    recipient: Mapped[str] = mapped_column(String(64), nullable=False, server_default="")
    # When the channel says it happened; received_at is the crm's clock.
    occurred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = _created()
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


ENROLMENT_STATUSES = ("active", "completed", "stopped")


class SequenceEnrolment(Base):
    """A lead's passage through a sequence: which step comes next, or why it stopped."""

    __tablename__ = "sequence_enrolments"
    __table_args__ = (
        UniqueConstraint("sequence_id", "lead_id"),
        CheckConstraint(_in("status", ENROLMENT_STATUSES), name="status"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), nullable=False
    )
    sequence_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("sequences.id", ondelete="CASCADE"), nullable=False
    )
    lead_id: Mapped[uuid.UUID] = _fk("leads.id")
    status: Mapped[str] = mapped_column(String(16), nullable=False, server_default="active")
    # Position of the step to send next.
    next_position: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    # rule (enrolled at intake) or api.
    source: Mapped[str] = mapped_column(String(32), nullable=False, server_default="api")
    stop_reason: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebhookSubscription(Base):
    """A company's URL for events (lead.created, lead.hot, hand_off, enrolled, opted_out)."""

    __tablename__ = "webhook_subscriptions"
    __table_args__ = (UniqueConstraint("company_id", "url"),)

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), nullable=False
    )
    url: Mapped[str] = mapped_column(String(2000), nullable=False)
    events: Mapped[list[str]] = mapped_column(ARRAY(String(32)), nullable=False, server_default=sql("'{}'"))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, server_default=sql("true"))
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _updated()


class UnsubscribeToken(Base):
    """The opaque per-recipient token of an email's one-click unsubscribe URL (RFC 8058)."""

    __tablename__ = "unsubscribe_tokens"
    __table_args__ = (UniqueConstraint("lead_id", "channel", "address"),)

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), nullable=False
    )
    lead_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("leads.id", ondelete="CASCADE"), nullable=False
    )
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    address: Mapped[str] = mapped_column(String(320), nullable=False)
    created_at: Mapped[datetime] = _created()
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ClockOffset(Base):
    """How far the test clock (CRM_TEST_CLOCK) has been moved, so that a restarted
    crm does not travel back in time. One row; empty in production."""

    __tablename__ = "clock_offset"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offset_seconds: Mapped[float] = mapped_column(Float, nullable=False)
    updated_at: Mapped[datetime] = _updated()


class UnansweredQuestion(Base):
    """A lead's question the knowledge base could not answer: what admins should add to it."""

    __tablename__ = "unanswered_questions"
    __table_args__ = (
        Index("ix_unanswered_questions_company_id_created_at", "company_id", "created_at"),
        # The inbox: open questions (migration 0009).
        Index(
            "ix_unanswered_questions_company_id_lead_id_open",
            "company_id",
            "lead_id",
            postgresql_where=sql("resolved_at IS NULL"),
        ),
        UniqueConstraint("message_id"),
    )

    id: Mapped[uuid.UUID] = _uuid_pk()
    company_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("companies.id", ondelete="CASCADE"), nullable=False
    )
    lead_id: Mapped[uuid.UUID] = _fk("leads.id")
    # The (last) inbound message that asked it.
    message_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    question: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = _created()
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution: Mapped[str] = mapped_column(Text, nullable=False, server_default="")
