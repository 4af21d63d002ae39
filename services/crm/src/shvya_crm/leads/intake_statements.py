"""The intake's statements as SQL text, for the session's DBAPI cursor (storage.driver).

A form costs three statements of its own: the advisory lock; one read after it (the earlier
intake it repeats, the company, the lead locked); one write (lead, contacts, message, job,
events, and for a known lead the follow-up its reply cancels), each a CTE of one statement.
The read cannot share the lock's statement: a statement reads from a snapshot taken before it
waited for the lock, and would miss the intake it waited for."""

from __future__ import annotations

from typing import Any

from psycopg2.extras import Json

LOCK = "SELECT pg_advisory_xact_lock(%(key)s)"

# The earlier intake a message repeats: by its idempotency key, by the channel's message id, or
# by the same body from the same number within the dedupe window (newest first).
_BY_KEY = (
    "SELECT id, lead_id, company_id, dedupe_hash FROM messages"
    " WHERE direction = 'inbound' AND company_id = %(company_id)s AND idempotency_key = %(key)s LIMIT 1"
)
_BY_EXTERNAL_ID = (
    "SELECT id, lead_id, company_id, dedupe_hash FROM messages"
    " WHERE direction = 'inbound' AND channel = %(channel)s AND external_id = %(external_id)s LIMIT 1"
)
_BY_BODY = (
    "SELECT m.id, m.lead_id, m.company_id, m.dedupe_hash FROM messages m JOIN leads l ON l.id = m.lead_id"
    " WHERE m.direction = 'inbound' AND l.company_id = %(company_id)s AND l.phone = %(phone)s"
    " AND m.dedupe_hash = %(fingerprint)s AND m.created_at > %(since)s"
    " ORDER BY m.created_at DESC LIMIT 1"
)

# Columns, in order: the earlier message (id, lead, company, fingerprint) and its ai_engage job;
# the company (id, default pipeline, its "new" stage, whether any active sequence has an
# enrolment rule); the lead (id, name, email, status), locked. A row always comes back, with
# NULLs for what is not there.
_READ = """
WITH earlier AS MATERIALIZED ({earlier}),
company AS MATERIALIZED (
    SELECT c.id, p.id AS pipeline_id, s.id AS stage_id,
        EXISTS (
            SELECT 1 FROM sequences q
            WHERE q.company_id = c.id AND q.is_active AND q.trigger NOT IN ('{{}}', 'null')
        ) AS has_rules
    FROM companies c
    JOIN pipelines p ON p.company_id = c.id AND p.is_default
    JOIN stages s ON s.pipeline_id = p.id AND s.key = 'new'
    WHERE c.id = %(company_id)s
),
lead AS MATERIALIZED (
    SELECT id, contact_name, email, status FROM leads
    WHERE company_id = %(company_id)s AND phone = %(phone)s
    FOR UPDATE
)
SELECT e.id, e.lead_id, e.company_id, e.dedupe_hash,
    (SELECT j.id FROM jobs j WHERE j.idempotency_key = %(job_prefix)s || e.lead_id || '_' || e.id),
    c.id, c.pipeline_id, c.stage_id, c.has_rules,
    l.id, l.contact_name, l.email, l.status
FROM (VALUES (1)) AS one (x)
LEFT JOIN earlier e ON true
LEFT JOIN company c ON true
LEFT JOIN lead l ON true
"""
READ_BY_KEY = _READ.format(earlier=_BY_KEY)
READ_BY_EXTERNAL_ID = _READ.format(earlier=_BY_EXTERNAL_ID)
READ_BY_BODY = _READ.format(earlier=_BY_BODY)


class Write:
    """One statement of data-modifying CTEs, composed per intake; `sql` and `params` run it.

    Its one row: the inserted events' [id, type] pairs, then the cancelled jobs'
    [id, company_id, task_name] triples (JSON arrays, NULL when there are none)."""

    def __init__(self) -> None:
        self._ctes: list[str] = []
        self.params: list[Any] = []
        # The events' rows, as stamped, and whose jobs are cancelled for what reason.
        self.events: list[dict[str, Any]] = []
        self.cancelling_for = None
        self.cancel_reason = ""

    def _add(self, cte: str, params: list[Any]) -> None:
        self._ctes.append(cte)
        self.params.extend(params)

    def insert_lead(self, row: dict[str, Any]) -> None:
        self._insert("new_lead", "leads", row)

    def update_lead(self, lead_id, at, *, contact_name: str | None, email: str | None, course: str) -> None:
        sets, params = ["last_inbound_at = %s", "updated_at = %s"], [at, at]
        if contact_name is not None:
            sets.append("contact_name = %s")
            params.append(contact_name)
        if email is not None:
            sets.append("email = %s")
            params.append(email)
        if course:
            sets.append("profile = profile || jsonb_build_object('course', %s::text)")
            params.append(course)
        self._add(f"known_lead AS (UPDATE leads SET {', '.join(sets)} WHERE id = %s)", [*params, lead_id])

    def insert_contacts(self, rows: list[dict[str, Any]]) -> None:
        self._insert(
            "contacts", "lead_contacts", *rows, tail=" ON CONFLICT (lead_id, channel, value) DO NOTHING"
        )

    def insert_message(self, row: dict[str, Any]) -> None:
        self._insert("message", "messages", row)

    def insert_job(self, row: dict[str, Any]) -> None:
        self._insert("job", "jobs", row)

    def insert_events(self, rows: list[dict[str, Any]]) -> None:
        """Rows as events.stamped makes them, of distinct types (the ids come back by type)."""
        if rows:
            if len({row["type"] for row in rows}) != len(rows):
                raise ValueError("one intake statement records each event type once")
            self._insert("events", "events", *rows, tail=" RETURNING id, type")
            self.events = rows

    def cancel_jobs(self, lead_id, task_names: tuple[str, ...], reason: str, at) -> None:
        """As consent.cancel_jobs: the lead's jobs of these tasks that have not run yet."""
        self._add(
            "cancelled AS (UPDATE jobs SET status = 'cancelled', error_message = %s, dispatch_until = NULL,"
            " updated_at = %s WHERE lead_id = %s AND task_name = ANY(%s) AND status IN ('queued', 'failed')"
            " RETURNING id, company_id, task_name)",
            [reason[:4000], at, lead_id, list(task_names)],
        )
        self.cancelling_for = lead_id
        self.cancel_reason = reason

    def _insert(self, name: str, table: str, *rows: dict[str, Any], tail: str = "") -> None:
        columns = list(rows[0])
        row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
        params = [_param(row[c]) for row in rows for c in columns]
        self._add(
            f"{name} AS (INSERT INTO {table} ({', '.join(columns)}) VALUES "
            f"{', '.join([row_sql] * len(rows))}{tail})",
            params,
        )

    @property
    def sql(self) -> str:
        events = "(SELECT json_agg(json_build_array(id, type)) FROM events)" if self.events else "NULL"
        cancelled = (
            "(SELECT json_agg(json_build_array(id, company_id, task_name)) FROM cancelled)"
            if self.cancelling_for is not None
            else "NULL"
        )
        return f"WITH {', '.join(self._ctes)} SELECT {events}, {cancelled}"


def _param(value: Any) -> Any:
    return Json(value) if isinstance(value, dict) else value
