"""Loads a realistic volume of leads and conversations with COPY (never row by row).

Lead i has the phone number +91 97 <i, 8 digits> (the intake load uses +91 98, so the two never
meet), one email contact, and a conversation alternating the student's messages and replies.
"""

from __future__ import annotations

import io
import logging
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg2
import psycopg2.errors

CHUNK_LEADS = 10_000

PHRASES = (
    "What is the fee for the Digital Marketing course?",
    "When does the next batch start?",
    "Thanks for asking! The next batch starts on the 5th and classes are on weekends.",
    "Is there an EMI option?",
    "Yes, you can pay in three instalments. Shall I send you the details?",
    "Can I get a certificate at the end?",
    "Every student who completes the projects receives a certificate.",
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Company:
    id: uuid.UUID
    pipeline_id: uuid.UUID
    stage_id: uuid.UUID

    @classmethod
    def default(cls, database_url: str, company_id: uuid.UUID) -> Company:
        """The company with its default pipeline and first stage (seeded by `shvya_crm seed-demo`)."""
        with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT p.id, s.id FROM pipelines p JOIN stages s ON s.pipeline_id = p.id"
                " WHERE p.company_id = %s AND p.is_default ORDER BY s.position LIMIT 1",
                (str(company_id),),
            )
            pipeline_id, stage_id = cur.fetchone()
        conn.close()
        return cls(company_id, uuid.UUID(str(pipeline_id)), uuid.UUID(str(stage_id)))


def _copy(cur, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    cur.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def load(
    database_url: str,
    company: Company,
    *,
    leads: int,
    messages_per_lead: int,
    first: int = 0,
    seed: int = 7,
) -> list[str]:
    """Adds leads first .. first+leads-1 with their conversations; returns their ids."""
    rng = random.Random(seed + first)
    now = datetime.now(UTC)
    ids: list[str] = []
    conn = psycopg2.connect(database_url)
    try:
        with conn, conn.cursor() as cur:
            for start in range(first, first + leads, CHUNK_LEADS):
                stop = min(start + CHUNK_LEADS, first + leads)
                lead_rows, contact_rows, message_rows = [], [], []
                for i in range(start, stop):
                    lead_id = str(uuid.uuid4())
                    ids.append(lead_id)
                    email = f"loaded{i}@bench.example"
                    began = now - timedelta(minutes=rng.randrange(60, 60 * 24 * 180))
                    lead_rows.append(
                        (
                            lead_id,
                            company.id,
                            company.pipeline_id,
                            company.stage_id,
                            f"Loaded Student {i}",
                            f"+9197{i:08d}",
                            email,
                            "email",
                            "form",
                            began.isoformat(),
                            began.isoformat(),
                            began.isoformat(),
                            # Answered five minutes after it wrote (its first outbound message below).
                            300.0 if messages_per_lead > 1 else None,
                        )
                    )
                    contact_rows.append((str(uuid.uuid4()), lead_id, "email", email, "t", began.isoformat()))
                    for m in range(messages_per_lead):
                        inbound = m % 2 == 0
                        at = (began + timedelta(minutes=5 * m)).isoformat()
                        message_rows.append(
                            (
                                str(uuid.uuid4()),
                                company.id,
                                lead_id,
                                "email",
                                "inbound" if inbound else "outbound",
                                "received" if inbound else "sent",
                                rng.choice(PHRASES),
                                uuid.uuid4().hex + uuid.uuid4().hex if inbound else None,
                                "form" if inbound else "ai",
                                at,
                                None if inbound else at,
                            )
                        )
                _copy(
                    cur,
                    "leads",
                    (
                        "id",
                        "company_id",
                        "pipeline_id",
                        "stage_id",
                        "contact_name",
                        "phone",
                        "email",
                        "channel",
                        "source",
                        "last_inbound_at",
                        "created_at",
                        "updated_at",
                        "first_reply_seconds",
                    ),
                    lead_rows,
                )
                _copy(
                    cur,
                    "lead_contacts",
                    ("id", "lead_id", "channel", "value", "is_primary", "created_at"),
                    contact_rows,
                )
                _copy(
                    cur,
                    "messages",
                    (
                        "id",
                        "company_id",
                        "lead_id",
                        "channel",
                        "direction",
                        "status",
                        "text",
                        "dedupe_hash",
                        "source",
                        "created_at",
                        "sent_at",
                    ),
                    message_rows,
                )
        with conn.cursor() as cur:
            conn.autocommit = True
            # Settled, as a database of this size is in use: vacuumed (else autovacuum starts on
            # the new rows in the middle of the measurement), analysed, and the load's dirty
            # pages written out (else a checkpoint does it during the measurement).
            cur.execute("VACUUM (ANALYZE) leads, lead_contacts, messages")
            try:
                cur.execute("CHECKPOINT")
            except psycopg2.errors.InsufficientPrivilege:
                log.warning("CHECKPOINT needs superuser or pg_checkpoint; the load's pages are written later")
    finally:
        conn.close()
    return ids


def counts(database_url: str) -> dict[str, int]:
    with psycopg2.connect(database_url) as conn, conn.cursor() as cur:
        out = {}
        for table in ("leads", "lead_contacts", "messages"):
            cur.execute(f"SELECT count(*) FROM {table}")
            out[table] = cur.fetchone()[0]
    conn.close()
    return out


def needs_attention(database_url: str, company: Company, user_id: uuid.UUID) -> dict[str, int]:
    """Gives the loaded leads what a company in use has, so that the inbox and the activity
    watermark read a realistic state: a quarter of the leads assigned to `user_id`, one in 500
    handed off to a person, one in 200 hot, one in 200 with an open question, one in 250 whose last
    reply failed, and an event for every lead's creation and for a job of each. Leads are picked by
    the first byte of their (random) id, so the picks are spread over the whole range."""
    pick = "mod(get_byte(uuid_send(l.id), {n}), {m}) = 0"
    statements = {
        "assigned": (
            "UPDATE leads l SET assigned_user_id = %(user)s, assigned_at = l.created_at"
            f" WHERE l.company_id = %(company)s AND {pick.format(n=0, m=4)}"
        ),
        "handed_off": (
            "UPDATE leads l SET status = 'handed_off', taken_over_at = l.created_at"
            f" WHERE l.company_id = %(company)s AND {pick.format(n=1, m=250)} AND mod(get_byte(uuid_send(l.id), 2), 2) = 0"
        ),
        "hot": (
            "INSERT INTO events (company_id, lead_id, type, entity_type, entity_id, created_at)"
            " SELECT l.company_id, l.id, 'lead.hot', 'lead', l.id, l.created_at FROM leads l"
            f" WHERE l.company_id = %(company)s AND {pick.format(n=3, m=200)}"
        ),
        "unanswered": (
            "INSERT INTO unanswered_questions (id, company_id, lead_id, question, created_at)"
            " SELECT gen_random_uuid(), l.company_id, l.id, 'Is there a weekend batch?', now() FROM leads l"
            f" WHERE l.company_id = %(company)s AND {pick.format(n=4, m=200)}"
        ),
        "failed": (
            "UPDATE messages m SET status = 'failed' WHERE m.id IN (SELECT (SELECT o.id FROM messages o"
            " WHERE o.lead_id = l.id AND o.direction = 'outbound' ORDER BY o.created_at DESC, o.id DESC LIMIT 1)"
            f" FROM leads l WHERE l.company_id = %(company)s AND {pick.format(n=5, m=250)})"
        ),
        "events": (
            "INSERT INTO events (company_id, lead_id, type, entity_type, entity_id, created_at)"
            " SELECT l.company_id, l.id, t.type, t.entity_type, l.id, l.created_at FROM leads l,"
            " (VALUES ('lead.created', 'lead'), ('job.done', 'job')) AS t (type, entity_type)"
            " WHERE l.company_id = %(company)s"
        ),
    }
    out = {}
    conn = psycopg2.connect(database_url)
    try:
        with conn, conn.cursor() as cur:
            for name, statement in statements.items():
                cur.execute(statement, {"user": str(user_id), "company": str(company.id)})
                out[name] = cur.rowcount
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("VACUUM (ANALYZE) leads, messages, events, unanswered_questions")
    finally:
        conn.close()
    return out
