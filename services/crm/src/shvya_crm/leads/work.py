"""What a person does to a lead: move its stage, mark it enrolled or lost, notes, tags, and contact corrections."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.leads import bounces, inbound
from shvya_crm.leads.companies import stage_id
from shvya_crm.leads.queries import LeadView, lock_lead
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Lead, LeadContact, LeadNote
from shvya_rpc.errors import FieldErrors

MAX_REASON_CHARS = 1000
MAX_NOTE_CHARS = 4000
MAX_AUTHOR_CHARS = 320
MAX_TAG_CHARS = 64
MAX_TAGS = 50
_TAG = re.compile(r"[a-z0-9][a-z0-9 _\-]*")
# Statuses a stage change leaves alone: they say who may message the lead, not how far it got.
_KEPT_STATUSES = ("opted_out", "handed_off")
_PHONE_CHANNELS = ("wa_web", "wa_cloud")


def _record(session: Session, lead: Lead, type_: str, data: dict) -> None:
    lead.updated_at = now_of(session)
    events.record(session, type_, "lead", lead.id, company_id=lead.company_id, lead_id=lead.id, data=data)


def _reason(reason: str, *, required: bool) -> str:
    value = " ".join(reason.split())
    if required and not value:
        raise FieldErrors({"reason": "is required: say why, for the people who read the lead later"})
    if len(value) > MAX_REASON_CHARS:
        raise FieldErrors({"reason": f"must be at most {MAX_REASON_CHARS} characters"})
    return value


def _set_stage(session: Session, view: LeadView, key: str, field: str = "stage") -> bool:
    lead = view.lead
    target = stage_id(session, lead.pipeline_id, key) if lead.pipeline_id is not None else None
    if target is None:
        raise FieldErrors({field: f"{key!r} is not a stage of the lead's pipeline"})
    if lead.stage_id == target:
        return False
    lead.stage_id = target
    return True


def move_stage(session: Session, lead_id: uuid.UUID, key: str, reason: str) -> tuple[LeadView, bool]:
    """Any direction: a person corrects what the AI decided. A lead moved out of enrolled or lost
    is active again."""
    key = key.strip()
    if not key:
        raise FieldErrors({"stage": "is required"})
    if key in ("enrolled", "lost"):
        raise FieldErrors({"stage": f"use mark {key} instead, which records the reason"})
    reason = _reason(reason, required=False)
    view = lock_lead(session, lead_id)
    lead = view.lead
    if not _set_stage(session, view, key):
        return view, False
    data = {"from": view.stage_key, "to": key, "reason": reason, "by": "person"}
    if lead.status in ("enrolled", "lost"):
        data["status"] = {"from": lead.status, "to": "active"}
        lead.status = "active"
    _record(session, lead, "lead.stage_changed", data)
    return LeadView(lead=lead, stage_key=key), True


def _close(session: Session, lead_id: uuid.UUID, outcome: str, reason: str) -> tuple[LeadView, bool]:
    reason = _reason(reason, required=True)
    view = lock_lead(session, lead_id)
    lead = view.lead
    # A pipeline without the stage (a custom one) still takes the status.
    moved = lead.pipeline_id is not None and stage_id(session, lead.pipeline_id, outcome) is not None
    moved = moved and _set_stage(session, view, outcome)
    # An opted-out lead stays opted out: enrolling or losing them is no consent to write.
    status_changes = lead.status != outcome and lead.status != "opted_out"
    if not moved and not status_changes:
        return view, False
    stage_key = outcome if moved else view.stage_key
    if moved:
        _record(
            session,
            lead,
            "lead.stage_changed",
            {"from": view.stage_key, "to": outcome, "reason": reason, "by": "person"},
        )
    previous = lead.status
    if status_changes:
        lead.status = outcome
    # lead.enrolled stops follow-ups and sequences and raises the company's webhook (reactions);
    # a lost lead's proactive messages stop at the send policy.
    _record(
        session,
        lead,
        f"lead.{outcome}",
        {"from": previous, "to": lead.status, "reason": reason, "by": "person"},
    )
    return LeadView(lead=lead, stage_key=stage_key), True


def mark_enrolled(session: Session, lead_id: uuid.UUID, reason: str) -> tuple[LeadView, bool]:
    return _close(session, lead_id, "enrolled", reason)


def mark_lost(session: Session, lead_id: uuid.UUID, reason: str) -> tuple[LeadView, bool]:
    return _close(session, lead_id, "lost", reason)


def add_note(session: Session, lead_id: uuid.UUID, text: str, author: str) -> LeadNote:
    errors = {}
    text = text.strip()
    if not text:
        errors["text"] = "must not be empty"
    elif len(text) > MAX_NOTE_CHARS or "\x00" in text:
        errors["text"] = f"must be at most {MAX_NOTE_CHARS} characters, without NUL"
    author = author.strip()
    if len(author) > MAX_AUTHOR_CHARS:
        errors["author"] = f"must be at most {MAX_AUTHOR_CHARS} characters"
    if errors:
        raise FieldErrors(errors)
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise LookupError(f"lead {lead_id} not found")
    note = LeadNote(
        id=uuid.uuid4(),
        company_id=lead.company_id,
        lead_id=lead_id,
        text=text,
        author=author,
        created_at=now_of(session),
    )
    session.add(note)
    session.flush()
    events.record(
        session,
        "lead.note_added",
        "lead_note",
        note.id,
        company_id=lead.company_id,
        lead_id=lead_id,
        data={"author": author, "chars": len(text)},
    )
    return note


def list_notes(session: Session, lead_id: uuid.UUID) -> list[LeadNote]:
    if session.get(Lead, lead_id) is None:
        raise LookupError(f"lead {lead_id} not found")
    return list(
        session.scalars(
            select(LeadNote).where(LeadNote.lead_id == lead_id).order_by(LeadNote.created_at, LeadNote.id)
        ).all()
    )


def normalise_tags(values: Iterable[str], field: str) -> list[str]:
    tags: list[str] = []
    for raw in values:
        tag = " ".join(raw.lower().split())
        if not tag or len(tag) > MAX_TAG_CHARS or not _TAG.fullmatch(tag):
            raise FieldErrors(
                {
                    field: f"{raw!r}: tags are letters, digits, spaces, '-' and '_', 1 to {MAX_TAG_CHARS} characters"
                }
            )
        if tag not in tags:
            tags.append(tag)
    return tags


def update_tags(
    session: Session, lead_id: uuid.UUID, add: Iterable[str], remove: Iterable[str]
) -> tuple[LeadView, bool]:
    added, removed = normalise_tags(add, "add"), normalise_tags(remove, "remove")
    if not added and not removed:
        raise FieldErrors({"add": "give at least one tag to add or remove"})
    view = lock_lead(session, lead_id)
    lead = view.lead
    before = list(lead.tags or [])
    after = [t for t in before if t not in removed] + [
        t for t in added if t not in before and t not in removed
    ]
    if len(after) > MAX_TAGS:
        raise FieldErrors({"add": f"a lead carries at most {MAX_TAGS} tags"})
    if after == before:
        return view, False
    lead.tags = after
    _record(
        session,
        lead,
        "lead.tags_changed",
        {"added": [t for t in after if t not in before], "removed": [t for t in before if t not in after]},
    )
    return view, True


def validate_email_field(raw: str, field: str = "email") -> str | None:
    value = raw.strip()
    if not value:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise FieldErrors({field: f"is not a valid email address ({exc})"}) from None


def correct_contact(
    session: Session,
    lead_id: uuid.UUID,
    *,
    contact_name: str | None,
    phone_number: str | None,
    email: str | None,
    region: str,
) -> tuple[LeadView, list[str], list[str]]:
    """Validated as at intake; returns the lead, the fields that changed and the channels whose
    undeliverable mark the new address cleared."""
    errors: dict[str, str] = {}
    name = phone = new_email = None
    if contact_name is not None:
        name = " ".join(contact_name.split())
        if len(name) > inbound.MAX_NAME_CHARS:
            errors["contact_name"] = f"must be at most {inbound.MAX_NAME_CHARS} characters"
    if phone_number is not None:
        try:
            phone = inbound.normalise_phone(phone_number, region)
        except ValueError as exc:
            errors["phone_number"] = str(exc)
    if email is not None:
        try:
            new_email = validate_email_field(email)
        except FieldErrors as exc:
            errors.update(exc.violations)
    if contact_name is None and phone_number is None and email is None:
        errors["contact_name"] = "give at least one of contact_name, phone_number, email"
    if errors:
        raise FieldErrors(errors)
    view = lock_lead(session, lead_id)
    lead = view.lead
    changes: dict[str, dict] = {}
    if name is not None and name != lead.contact_name:
        changes["contact_name"] = {"from": lead.contact_name, "to": name}
        lead.contact_name = name
    if phone is not None and phone != lead.phone:
        taken = session.execute(
            select(Lead.id).where(Lead.company_id == lead.company_id, Lead.phone == phone, Lead.id != lead.id)
        ).scalar_one_or_none()
        if taken is not None:
            raise FieldErrors({"phone_number": f"{phone} is the number of another lead ({taken})"})
        changes["phone_number"] = {"from": lead.phone, "to": phone}
        lead.phone = phone
        for channel in _PHONE_CHANNELS:
            _primary_contact(session, lead.id, channel, phone)
    if email is not None and new_email != lead.email:
        if new_email is None and lead.channel == "email":
            raise FieldErrors({"email": "is required: the lead's channel is email"})
        changes["email"] = {"from": lead.email, "to": new_email}
        lead.email = new_email
        if new_email is not None:
            _primary_contact(session, lead.id, "email", new_email)
    if not changes:
        return view, [], []
    restored = _clear_marks(lead, changes)
    _record(session, lead, "lead.updated", {"changes": changes, "by": "person"})
    if restored:
        events.record(
            session,
            "lead.address_restored",
            "lead",
            lead.id,
            company_id=lead.company_id,
            lead_id=lead.id,
            data={"channels": restored, "why": "a person corrected the address"},
        )
    return view, list(changes), restored


def _clear_marks(lead: Lead, changes: dict) -> list[str]:
    """The undeliverable marks of the channels whose address changed: the new one may work."""
    marks = dict((lead.profile or {}).get(bounces.KEY) or {})
    changed = {"email"} if "email" in changes else set()
    if "phone_number" in changes:
        changed.update(_PHONE_CHANNELS)
    channels = [c for c in marks if c in changed]
    if not channels:
        return []
    for channel in channels:
        marks.pop(channel)
    profile = {k: v for k, v in (lead.profile or {}).items() if k != bounces.KEY}
    lead.profile = {**profile, bounces.KEY: marks} if marks else profile
    return sorted(channels)


def _primary_contact(session: Session, lead_id: uuid.UUID, channel: str, value: str) -> None:
    """The new address becomes the lead's primary one on the channel; the old ones stay, as history."""
    exists = session.execute(
        select(LeadContact.id).where(LeadContact.lead_id == lead_id, LeadContact.channel == channel)
    ).first()
    if exists is None:
        return  # the lead was never reached on this channel
    session.execute(
        update(LeadContact)
        .where(LeadContact.lead_id == lead_id, LeadContact.channel == channel)
        .values(is_primary=False)
    )
    session.execute(
        pg_insert(LeadContact)
        .values(id=uuid.uuid4(), lead_id=lead_id, channel=channel, value=value, is_primary=True)
        .on_conflict_do_update(index_elements=["lead_id", "channel", "value"], set_={"is_primary": True})
    )
