"""Intake: record a validated inbound message, with its ai_engage job, in one transaction."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy.orm import Session

import shvya_language as language
from shvya_crm.leads import consent, consent_rules
from shvya_crm.leads import intake_statements as statements
from shvya_crm.leads.companies import ensure_company
from shvya_crm.leads.inbound import VERIFIED_SOURCES, Inbound
from shvya_crm.outreach import followups, sequences
from shvya_crm.storage import driver, events
from shvya_crm.storage.clock import now_of
from shvya_rpc import tasks

AI_ENGAGE = tasks.AI_ENGAGE
AI_ENGAGE_PRIORITY = tasks.priorities()[tasks.AI_ENGAGE]


@dataclass(frozen=True)
class IntakeResult:
    company_id: uuid.UUID
    lead_id: uuid.UUID
    message_id: uuid.UUID
    job_id: uuid.UUID | None
    duplicate: bool
    lead_created: bool
    # When the job was written leased for dispatch (ingest's dispatch_lease_seconds): the
    # lease's end.
    dispatch_until: datetime | None = None


class IdempotencyConflict(Exception):
    """An idempotency key was reused with a different body."""


def _lock_key(company_id: uuid.UUID, phone: str) -> int:
    digest = hashlib.blake2b(f"{company_id}|{phone}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def ingest(
    session: Session,
    inbound: Inbound,
    *,
    default_company_name: str,
    dedupe_window_seconds: int,
    dispatch_lease_seconds: int = 0,
) -> IntakeResult:
    """Records the message; the caller commits. Re-deliveries return the first result.

    `dispatch_lease_seconds` > 0: the new ai_engage job is written leased for dispatch, for a
    caller that hands it to the conductor itself (one ClaimJobs call fewer per form)."""
    with driver.Cursor(session) as cursor:
        return _ingest(
            cursor, session, inbound, default_company_name, dedupe_window_seconds, dispatch_lease_seconds
        )


def _ingest(
    cursor: driver.Cursor,
    session: Session,
    inbound: Inbound,
    default_company_name: str,
    dedupe_window_seconds: int,
    dispatch_lease_seconds: int,
) -> IntakeResult:
    # Serialise intake per (company, phone): two identical posts racing each
    # other must not both pass the duplicate checks below.
    cursor.execute(statements.LOCK, {"key": _lock_key(inbound.company_id, inbound.phone)})

    now = now_of(session)
    fingerprint = inbound.fingerprint()
    found = _Found(*cursor.execute(*_read(inbound, fingerprint, now, dedupe_window_seconds)).one())
    if found.earlier_id is not None:
        if inbound.idempotency_key and found.earlier_hash != fingerprint:
            raise IdempotencyConflict(inbound.idempotency_key)
        return IntakeResult(
            company_id=found.earlier_company_id,
            lead_id=found.earlier_lead_id,
            message_id=found.earlier_id,
            job_id=found.earlier_job_id,
            duplicate=True,
            lead_created=False,
        )

    if found.company_id is None:
        # A company's first message (or one without its default pipeline, which this refuses).
        company, _ = ensure_company(session, inbound.company_id, default_company_name)
        found = found._replace(
            company_id=company.id,
            pipeline_id=company.pipeline_id,
            stage_id=company.new_stage_id,
            has_rules=True,
        )
    company_id = found.company_id

    lead_created = found.lead_id is None
    write = statements.Write()
    pending_events: list[dict] = []
    if lead_created:
        lead_id = uuid.uuid4()
        write.insert_lead(
            {
                "id": lead_id,
                "company_id": company_id,
                "pipeline_id": found.pipeline_id,
                "stage_id": found.stage_id,
                "contact_name": inbound.contact_name,
                "phone": inbound.phone,
                "email": inbound.email,
                "channel": inbound.channel,
                "source": inbound.source,
                "profile": {"course": inbound.course} if inbound.course else {},
                "last_inbound_at": now,
                "created_at": now,
                "updated_at": now,
            }
        )
        pending_events.append(
            _event(
                "lead.created",
                "lead",
                lead_id,
                company_id,
                lead_id,
                {
                    "phone": inbound.phone,
                    "channel": inbound.channel,
                    "source": inbound.source,
                    "stage": "new",
                },
            )
        )
    else:
        lead_id = found.lead_id
        changes = {}
        if inbound.contact_name and inbound.contact_name != found.contact_name:
            changes["contact_name"] = inbound.contact_name
        if inbound.email and inbound.email != found.email:
            changes["email"] = inbound.email
        write.update_lead(
            lead_id,
            now,
            contact_name=changes.get("contact_name"),
            email=changes.get("email"),
            course=inbound.course,
        )
        if inbound.course:
            changes["course"] = inbound.course
        if changes:
            pending_events.append(_event("lead.updated", "lead", lead_id, company_id, lead_id, changes))

    contacts = [{"lead_id": lead_id, "channel": inbound.channel, "value": inbound.phone, "is_primary": True}]
    if inbound.channel == "email":
        contacts = [{"lead_id": lead_id, "channel": "email", "value": inbound.email, "is_primary": True}]
    elif inbound.email:
        contacts.append({"lead_id": lead_id, "channel": "email", "value": inbound.email, "is_primary": False})
    write.insert_contacts([{"id": uuid.uuid4(), "created_at": now, **c} for c in contacts])

    message_id = uuid.uuid4()
    write.insert_message(
        {
            "id": message_id,
            "company_id": company_id,
            "lead_id": lead_id,
            "channel": inbound.channel,
            "direction": "inbound",
            "status": "received",
            "text": inbound.text,
            "external_id": inbound.external_id,
            "idempotency_key": inbound.idempotency_key,
            "dedupe_hash": fingerprint,
            "source": inbound.source,
            "created_at": now,
        }
    )
    pending_events.append(
        _event(
            "message.received",
            "message",
            message_id,
            company_id,
            lead_id,
            {"channel": inbound.channel, "source": inbound.source, "external_id": inbound.external_id},
        )
    )

    # A STOP-style message suppresses the lead at once, before anything else
    # can be sent; its ai_engage job then sends the one confirmation. What the message does to
    # the lead's consent is the consent table's row for it, and nothing else.
    payload = {"lead_id": str(lead_id), "message_id": str(message_id)}
    status = "active" if lead_created else found.status
    rule = consent_rules.for_inbound(
        opting_out=consent.is_opt_out_keyword(inbound.text),
        opting_in=consent.is_opt_in_keyword(inbound.text),
        form_consent=inbound.consent,
        is_form=inbound.source not in VERIFIED_SOURCES,
    )
    if language.claims_payment(inbound.text):
        # Recorded as said, for a counsellor to check; the reply hands the lead over.
        pending_events.append(
            _event(
                "lead.payment_claimed", "lead", lead_id, company_id, lead_id, {"message_id": str(message_id)}
            )
        )
    if rule.consent != consent_rules.KEEP:
        # The consent rows write events of their own, after the lead's and the message's: those
        # are written first, and the job after the consent.
        write.insert_events(events.stamped(session, pending_events))
        _write(cursor, session, write)
        write = statements.Write()
        pending_events = []
    if rule.consent == consent_rules.OPT_OUT:
        # A wrong number is suppressed like an opt-out, and said so: the person is not the lead.
        wrong_number = language.is_wrong_number(inbound.text)
        source = "wrong_number" if wrong_number else "keyword"
        consent.record(
            session, lead_id, "opt_out", source, evidence={"message_id": str(message_id)}, rule=rule.name
        )
        if wrong_number:
            events.record(
                session,
                "lead.wrong_number",
                "lead",
                lead_id,
                company_id=company_id,
                lead_id=lead_id,
                data={"message_id": str(message_id), "channel": inbound.channel},
            )
        payload["opt_out"] = "true"
        status = "opted_out"
    elif rule.name == "form_with_consent":
        consent.record(
            session,
            lead_id,
            "opt_in",
            inbound.source,
            channel=inbound.channel,
            text_shown=inbound.consent_text,
            evidence={"message_id": str(message_id)},
            rule=rule.name,
        )
        status = "active" if status == "opted_out" else status
    elif rule.consent == consent_rules.OPT_IN:
        consent.record(session, lead_id, "opt_in", "keyword", text_shown=inbound.text, rule=rule.name)
        status = "active" if status == "opted_out" else status

    job_id = uuid.uuid4()
    job_key = f"{AI_ENGAGE}_{lead_id}_{message_id}"
    dispatch_until = now + timedelta(seconds=dispatch_lease_seconds) if dispatch_lease_seconds > 0 else None
    write.insert_job(
        {
            "id": job_id,
            "company_id": company_id,
            "lead_id": lead_id,
            "task_name": AI_ENGAGE,
            "priority": AI_ENGAGE_PRIORITY,
            "idempotency_key": job_key,
            "payload": payload,
            "run_at": now,
            "dispatch_until": dispatch_until,
            "created_at": now,
            "updated_at": now,
        }
    )
    pending_events.append(
        _event("job.created", "job", job_id, company_id, lead_id, {"task_name": AI_ENGAGE, "key": job_key})
    )
    write.insert_events(events.stamped(session, pending_events))
    if not lead_created:
        # The lead wrote: the bump waiting for this reply is not wanted any more.
        write.cancel_jobs(lead_id, followups.CANCELLED_BY_REPLY, followups.REPLIED, now)
    _write(cursor, session, write)
    if status == "active" and found.has_rules:
        sequences.enrol_by_rules(
            session,
            company_id=company_id,
            lead_id=lead_id,
            text=inbound.text,
            course=inbound.course,
            channel=inbound.channel,
            lead_created=lead_created,
        )
    return IntakeResult(
        company_id=company_id,
        lead_id=lead_id,
        message_id=message_id,
        job_id=job_id,
        duplicate=False,
        lead_created=lead_created,
        dispatch_until=dispatch_until,
    )


class _Found(NamedTuple):
    """The intake's read (intake_statements.READ_*), column by column."""

    earlier_id: uuid.UUID | None
    earlier_lead_id: uuid.UUID | None
    earlier_company_id: uuid.UUID | None
    earlier_hash: str | None
    earlier_job_id: uuid.UUID | None
    company_id: uuid.UUID | None
    pipeline_id: uuid.UUID | None
    stage_id: uuid.UUID | None
    has_rules: bool | None
    lead_id: uuid.UUID | None
    contact_name: str | None
    email: str | None
    status: str | None


def _read(inbound: Inbound, fingerprint: str, now: datetime, window_seconds: int) -> tuple[str, dict]:
    params = {
        "company_id": inbound.company_id,
        "phone": inbound.phone,
        "job_prefix": f"{AI_ENGAGE}_",
    }
    if inbound.idempotency_key:
        return statements.READ_BY_KEY, {**params, "key": inbound.idempotency_key}
    if inbound.external_id:
        return statements.READ_BY_EXTERNAL_ID, {
            **params,
            "channel": inbound.channel,
            "external_id": inbound.external_id,
        }
    return statements.READ_BY_BODY, {
        **params,
        "fingerprint": fingerprint,
        "since": now - timedelta(seconds=window_seconds),
    }


def _write(cursor: driver.Cursor, session: Session, write: statements.Write) -> None:
    """Runs the write, then what follows its events (their reactions) and its cancelled jobs."""
    # As events.record_many: whatever the session holds reaches the database first.
    session.flush()
    recorded, cancelled = cursor.execute(write.sql, write.params).one()
    if recorded:
        ids = {type_: event_id for event_id, type_ in recorded}
        events.notify(session, [(ids[row["type"]], row) for row in write.events])
    if cancelled:
        jobs = [_Cancelled(uuid.UUID(i), uuid.UUID(c) if c else None, task) for i, c, task in cancelled]
        consent.record_cancelled(session, write.cancelling_for, jobs, write.cancel_reason)


class _Cancelled(NamedTuple):
    id: uuid.UUID
    company_id: uuid.UUID | None
    task_name: str


def _event(type_, entity_type, entity_id, company_id, lead_id, data) -> dict:
    return {
        "type": type_,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "company_id": company_id,
        "lead_id": lead_id,
        "data": data,
    }
