"""Intake: validate an inbound message and record it, with its ai_engage job, in one transaction."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

import shvya_language as language
from shvya_crm import consent, events, followups, sequences
from shvya_crm.clock import now_of
from shvya_crm.companies import ensure_company
from shvya_crm.models import Job, Lead, LeadContact, Message
from shvya_rpc.errors import FieldErrors

MAX_TEXT_CHARS = 4096
MAX_NAME_CHARS = 200
MAX_KEY_CHARS = 255
MAX_CONSENT_TEXT_CHARS = 2000
MAX_COURSE_CHARS = 200
CHANNEL_CODES = ("wa_web", "wa_cloud", "email")

AI_ENGAGE = "ai_engage"
AI_ENGAGE_PRIORITY = 100

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
class Inbound:
    """A validated, normalised inbound message."""

    company_id: uuid.UUID
    phone: str  # E.164
    contact_name: str
    text: str
    channel: str  # stored code
    email: str | None
    idempotency_key: str | None
    external_id: str | None
    source: str
    # The person ticked a consent box, and what it said.
    consent: bool = False
    consent_text: str = ""
    # The course named in the form (enrolment rules match it).
    course: str = ""

    def fingerprint(self) -> str:
        """Identifies the body, to recognise a re-post of the same form."""
        parts = (
            str(self.company_id),
            self.phone,
            self.channel,
            self.text,
            self.contact_name,
            self.email or "",
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


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


# Numbers WhatsApp itself delivered: WhatsApp has verified they exist, even where the numbering
# plan says otherwise (Meta's own test numbers are +1 555 ...), so a possible number is enough.
VERIFIED_SOURCES = ("whatsapp_cloud_webhook", "whatsapp_web")


def normalise_phone(raw: str, region: str, *, verified: bool = False) -> str:
    """E.164 for a number in any common format; national numbers default to `region`.

    `verified`: the number came from WhatsApp, so it need only be possible, not valid."""
    value = raw.strip()
    if not value:
        raise ValueError("is required")
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{value!r} is not a phone number: {exc}") from None
    acceptable = phonenumbers.is_possible_number if verified else phonenumbers.is_valid_number
    if not acceptable(number):
        raise ValueError(f"{value!r} is not a valid phone number (default region {region})")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate(
    *,
    company_id: str,
    phone_number: str,
    contact_name: str,
    message_text: str,
    channel: str | None,
    email: str,
    idempotency_key: str,
    external_id: str,
    source: str,
    default_company_id: uuid.UUID,
    region: str,
    consent_given: bool = False,
    consent_text: str = "",
    course: str = "",
) -> Inbound:
    """Checks every field and reports all problems at once (FieldErrors)."""
    errors: dict[str, str] = {}

    cid = default_company_id
    if company_id.strip():
        try:
            cid = uuid.UUID(company_id.strip())
        except ValueError:
            errors["company_id"] = "must be a UUID"

    phone = ""
    try:
        phone = normalise_phone(phone_number, region, verified=source.strip() in VERIFIED_SOURCES)
    except ValueError as exc:
        errors["phone_number"] = str(exc)

    text_value = message_text.strip()
    if not text_value:
        errors["message_text"] = "must not be empty"
    elif len(text_value) > MAX_TEXT_CHARS:
        errors["message_text"] = f"must be at most {MAX_TEXT_CHARS} characters"
    elif "\x00" in text_value:
        errors["message_text"] = "must not contain NUL characters"

    name = " ".join(contact_name.split())
    if len(name) > MAX_NAME_CHARS:
        errors["contact_name"] = f"must be at most {MAX_NAME_CHARS} characters"

    if channel not in CHANNEL_CODES:
        errors["channel"] = "must be one of whatsapp_web, whatsapp_cloud, email"

    email_value: str | None = None
    if email.strip():
        try:
            email_value = validate_email(email.strip(), check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["email"] = f"is not a valid email address ({exc})"
    elif channel == "email":
        errors["email"] = "is required when channel is email"

    key = idempotency_key.strip() or None
    if key is not None and (len(key) > MAX_KEY_CHARS or not key.isprintable()):
        errors["idempotency_key"] = f"must be at most {MAX_KEY_CHARS} printable characters"

    ext = external_id.strip() or None
    if ext is not None and len(ext) > MAX_KEY_CHARS:
        errors["external_message_id"] = f"must be at most {MAX_KEY_CHARS} characters"

    consent_text = consent_text.strip()
    if len(consent_text) > MAX_CONSENT_TEXT_CHARS:
        errors["consent_text"] = f"must be at most {MAX_CONSENT_TEXT_CHARS} characters"
    elif "\x00" in consent_text:
        errors["consent_text"] = "must not contain NUL characters"
    course = " ".join(course.split())
    if len(course) > MAX_COURSE_CHARS:
        errors["course"] = f"must be at most {MAX_COURSE_CHARS} characters"

    if errors:
        raise FieldErrors(errors)
    return Inbound(
        company_id=cid,
        phone=phone,
        contact_name=name,
        text=text_value,
        channel=channel or "",
        email=email_value,
        idempotency_key=key,
        external_id=ext,
        source=(source.strip() or "api")[:64],
        consent=consent_given,
        consent_text=consent_text,
        course=course,
    )


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
    # can be sent; its ai_engage job then sends the one confirmation.
    payload = {"lead_id": str(lead_id), "message_id": str(message_id)}
    status = "active" if lead is None else lead.status
    opting_out = consent.is_opt_out_keyword(inbound.text)
    if language.claims_payment(inbound.text):
        # Recorded as said, for a counsellor to check; the reply hands the lead over.
        pending_events.append(
            _event(
                "lead.payment_claimed", "lead", lead_id, company.id, lead_id, {"message_id": str(message_id)}
            )
        )
    if opting_out or inbound.consent or consent.is_opt_in_keyword(inbound.text):
        # These write events of their own, after the lead's and the message's.
        events.record_many(session, pending_events)
        pending_events = []
    if opting_out:
        # A wrong number is suppressed like an opt-out, and said so: the person is not the lead.
        wrong_number = language.is_wrong_number(inbound.text)
        source = "wrong_number" if wrong_number else "keyword"
        consent.record(session, lead_id, "opt_out", source, evidence={"message_id": str(message_id)})
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
    elif inbound.consent:
        consent.record(
            session,
            lead_id,
            "opt_in",
            inbound.source,
            channel=inbound.channel,
            text_shown=inbound.consent_text,
            evidence={"message_id": str(message_id)},
        )
        status = "active" if status == "opted_out" else status
    elif consent.is_opt_in_keyword(inbound.text):
        consent.record(session, lead_id, "opt_in", "keyword", text_shown=inbound.text)
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
