"""Intake: record a validated inbound message, with its ai_engage job, in one transaction."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

import shvya_language as language
from shvya_crm.leads import consent, consent_rules
from shvya_crm.leads.companies import ensure_company
from shvya_crm.leads.inbound import VERIFIED_SOURCES, Inbound
from shvya_crm.outreach import followups, sequences
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Job, Lead, LeadContact, Message
from shvya_rpc import tasks

AI_ENGAGE = tasks.AI_ENGAGE
AI_ENGAGE_PRIORITY = tasks.priorities()[tasks.AI_ENGAGE]

# The intake's inserts as Core statements built once, parameters passed at execution: their
# cache keys are memoised and they skip the ORM's bulk-insert layer (py-spy: a fifth of the
# crm's CPU went to building and running `insert(Model).values(...)` per request).
_INSERT_LEAD = insert(Lead.__table__)
_INSERT_MESSAGE = insert(Message.__table__)
_INSERT_JOB = insert(Job.__table__)
_INSERT_CONTACTS = pg_insert(LeadContact.__table__).on_conflict_do_nothing(
    index_elements=["lead_id", "channel", "value"]
)


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
    # Serialise intake per (company, phone): two identical posts racing each
    # other must not both pass the duplicate checks below.
    session.execute(
        text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(inbound.company_id, inbound.phone)}
    )

    now = now_of(session)
    fingerprint = inbound.fingerprint()
    earlier = _find_earlier(session, inbound, fingerprint, dedupe_window_seconds)
    if earlier is not None:
        return earlier

    company, _ = ensure_company(session, inbound.company_id, default_company_name)

    lead = session.execute(
        select(Lead.id, Lead.contact_name, Lead.email, Lead.status)
        .where(Lead.company_id == company.id, Lead.phone == inbound.phone)
        .with_for_update()
    ).one_or_none()
    lead_created = lead is None
    pending_events: list[dict] = []
    if lead is None:
        lead_id = uuid.uuid4()
        session.execute(
            _INSERT_LEAD,
            {
                "id": lead_id,
                "company_id": company.id,
                "pipeline_id": company.pipeline_id,
                "stage_id": company.new_stage_id,
                "contact_name": inbound.contact_name,
                "phone": inbound.phone,
                "email": inbound.email,
                "channel": inbound.channel,
                "source": inbound.source,
                "profile": {"course": inbound.course} if inbound.course else {},
                "last_inbound_at": now,
                "created_at": now,
                "updated_at": now,
            },
        )
        pending_events.append(
            _event(
                "lead.created",
                "lead",
                lead_id,
                company.id,
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
        lead_id = lead.id
        changes = {}
        if inbound.contact_name and inbound.contact_name != lead.contact_name:
            changes["contact_name"] = inbound.contact_name
        if inbound.email and inbound.email != lead.email:
            changes["email"] = inbound.email
        values = dict(changes)
        if inbound.course:
            values["profile"] = Lead.profile.op("||")(func.jsonb_build_object("course", inbound.course))
            changes["course"] = inbound.course
        session.execute(
            update(Lead).where(Lead.id == lead_id).values(last_inbound_at=now, updated_at=now, **values)
        )
        if changes:
            pending_events.append(_event("lead.updated", "lead", lead_id, company.id, lead_id, changes))

    contacts = [{"lead_id": lead_id, "channel": inbound.channel, "value": inbound.phone, "is_primary": True}]
    if inbound.channel == "email":
        contacts = [{"lead_id": lead_id, "channel": "email", "value": inbound.email, "is_primary": True}]
    elif inbound.email:
        contacts.append({"lead_id": lead_id, "channel": "email", "value": inbound.email, "is_primary": False})
    session.execute(_INSERT_CONTACTS, [{"id": uuid.uuid4(), "created_at": now, **c} for c in contacts])

    message_id = uuid.uuid4()
    session.execute(
        _INSERT_MESSAGE,
        {
            "id": message_id,
            "company_id": company.id,
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
        },
    )
    pending_events.append(
        _event(
            "message.received",
            "message",
            message_id,
            company.id,
            lead_id,
            {"channel": inbound.channel, "source": inbound.source, "external_id": inbound.external_id},
        )
    )

    # A STOP-style message suppresses the lead at once, before anything else
    # can be sent; its ai_engage job then sends the one confirmation. What the message does to
    # the lead's consent is the consent table's row for it, and nothing else.
    payload = {"lead_id": str(lead_id), "message_id": str(message_id)}
    status = "active" if lead is None else lead.status
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
                "lead.payment_claimed", "lead", lead_id, company.id, lead_id, {"message_id": str(message_id)}
            )
        )
    if rule.consent != consent_rules.KEEP:
        # These write events of their own, after the lead's and the message's.
        events.record_many(session, pending_events)
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
                company_id=company.id,
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
    session.execute(
        _INSERT_JOB,
        {
            "id": job_id,
            "company_id": company.id,
            "lead_id": lead_id,
            "task_name": AI_ENGAGE,
            "priority": AI_ENGAGE_PRIORITY,
            "idempotency_key": job_key,
            "payload": payload,
            "run_at": now,
            "dispatch_until": dispatch_until,
            "created_at": now,
            "updated_at": now,
        },
    )
    pending_events.append(
        _event("job.created", "job", job_id, company.id, lead_id, {"task_name": AI_ENGAGE, "key": job_key})
    )
    events.record_many(session, pending_events)
    if lead is not None:
        # The lead wrote: the bump waiting for this reply is not wanted any more.
        followups.on_reply(session, lead_id)
    if status == "active":
        sequences.enrol_by_rules(
            session,
            company_id=company.id,
            lead_id=lead_id,
            text=inbound.text,
            course=inbound.course,
            channel=inbound.channel,
            lead_created=lead_created,
        )
    return IntakeResult(
        company_id=company.id,
        lead_id=lead_id,
        message_id=message_id,
        job_id=job_id,
        duplicate=False,
        lead_created=lead_created,
        dispatch_until=dispatch_until,
    )


def _event(type_, entity_type, entity_id, company_id, lead_id, data) -> dict:
    return {
        "type": type_,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "company_id": company_id,
        "lead_id": lead_id,
        "data": data,
    }


# The check every form without a key or external id makes: built once, its cache key memoised.
_SAME_BODY = (
    select(Message.id, Message.lead_id, Message.company_id, Message.dedupe_hash)
    .join(Lead, Lead.id == Message.lead_id)
    .where(
        Message.direction == "inbound",
        Lead.company_id == bindparam("company_id"),
        Lead.phone == bindparam("phone"),
        Message.dedupe_hash == bindparam("fingerprint"),
        Message.created_at > bindparam("since"),
    )
    .order_by(Message.created_at.desc())
    .limit(1)
)


def _find_earlier(
    session: Session, inbound: Inbound, fingerprint: str, window_seconds: int
) -> IntakeResult | None:
    """The earlier intake this one repeats, by key, by external id, or by body within the window."""
    query = select(Message.id, Message.lead_id, Message.company_id, Message.dedupe_hash).where(
        Message.direction == "inbound"
    )
    if inbound.idempotency_key:
        row = session.execute(
            query.where(
                Message.company_id == inbound.company_id, Message.idempotency_key == inbound.idempotency_key
            )
        ).one_or_none()
        if row is not None and row.dedupe_hash != fingerprint:
            raise IdempotencyConflict(inbound.idempotency_key)
    elif inbound.external_id:
        row = session.execute(
            query.where(Message.channel == inbound.channel, Message.external_id == inbound.external_id)
        ).one_or_none()
    else:
        row = session.execute(
            _SAME_BODY,
            {
                "company_id": inbound.company_id,
                "phone": inbound.phone,
                "fingerprint": fingerprint,
                "since": now_of(session) - timedelta(seconds=window_seconds),
            },
        ).one_or_none()
    if row is None:
        return None
    job_id = session.execute(
        select(Job.id).where(Job.idempotency_key == f"{AI_ENGAGE}_{row.lead_id}_{row.id}")
    ).scalar_one_or_none()
    return IntakeResult(
        company_id=row.company_id,
        lead_id=row.lead_id,
        message_id=row.id,
        job_id=job_id,
        duplicate=True,
        lead_created=False,
    )
