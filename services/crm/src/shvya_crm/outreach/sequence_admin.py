"""Creating, changing and deleting a company's sequences, checked before anything is stored."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shvya_crm.outreach.sequences import STOP_CONDITIONS, stop
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import (
    CHANNEL_CODES,
    Company,
    Sequence,
    SequenceEnrolment,
    SequenceStep,
    Template,
)
from shvya_rpc.errors import FieldErrors

MAX_STEPS = 50
MAX_DELAY_SECONDS = 365 * 24 * 3600
MAX_KEYWORDS = 50


@dataclass(frozen=True)
class StepSpec:
    position: int
    channel: str | None  # stored code; None when the request named no valid channel
    template_id: uuid.UUID | None
    delay_seconds: int
    stop_conditions: list[str]


@dataclass(frozen=True)
class SequenceView:
    sequence: Sequence
    steps: list[SequenceStep]


def _validate(
    session: Session, company_id: uuid.UUID, name: str, trigger: dict[str, Any], steps: list[StepSpec]
) -> None:
    errors: dict[str, str] = {}
    if not 1 <= len(name.strip()) <= 200:
        errors["sequence.name"] = "must be 1 to 200 characters"
    if len(trigger.get("course", "")) > 200:
        errors["sequence.trigger.course"] = "must be at most 200 characters"
    keywords = trigger.get("keywords", [])
    if len(keywords) > MAX_KEYWORDS or any(not 1 <= len(k.strip()) <= 100 for k in keywords):
        errors["sequence.trigger.keywords"] = f"at most {MAX_KEYWORDS} keywords of 1 to 100 characters"
    if None in trigger.get("channels", []):
        errors["sequence.trigger.channels"] = "must be whatsapp_web, whatsapp_cloud or email"
    if len(steps) > MAX_STEPS:
        errors["sequence.steps"] = f"at most {MAX_STEPS} steps"
    positions = [s.position for s in steps]
    if any(p < 0 for p in positions) or (any(positions) and len(set(positions)) != len(positions)):
        errors["sequence.steps"] = "positions must be distinct positive numbers (or all 0 for list order)"
    template_ids = {s.template_id for s in steps if s.template_id is not None}
    found = {
        row.id: row for row in session.scalars(select(Template).where(Template.id.in_(template_ids))).all()
    }
    for i, step in enumerate(steps):
        where = f"sequence.steps.{i}"
        if step.channel not in CHANNEL_CODES:
            errors[f"{where}.channel"] = "must be whatsapp_web, whatsapp_cloud or email"
        template = found.get(step.template_id) if step.template_id else None
        if step.template_id is None:
            errors[f"{where}.template_id"] = "is required"
        elif template is None or template.company_id != company_id:
            errors[f"{where}.template_id"] = f"names no template of company {company_id}"
        if not 0 <= step.delay_seconds <= MAX_DELAY_SECONDS:
            errors[f"{where}.delay_seconds"] = "must be between 0 and 365 days"
        unknown = [c for c in step.stop_conditions if c not in STOP_CONDITIONS]
        if unknown:
            errors[f"{where}.stop_conditions"] = f"must be among {', '.join(STOP_CONDITIONS)}"
    if errors:
        raise FieldErrors(errors)


def upsert(
    session: Session,
    *,
    sequence_id: uuid.UUID | None,
    company_id: uuid.UUID,
    name: str,
    active: bool,
    trigger: dict[str, Any],
    steps: list[StepSpec],
) -> tuple[SequenceView, bool]:
    """Creates a sequence or replaces one; its steps are replaced as a whole, numbered 1..n."""
    _validate(session, company_id, name, trigger, steps)
    if session.get(Company, company_id) is None:
        raise LookupError(f"company {company_id} not found")
    now = now_of(session)
    stored_trigger = {k: v for k, v in trigger.items() if v}
    if sequence_id is not None:
        row = session.get(Sequence, sequence_id, with_for_update=True)
        if row is None or row.company_id != company_id:
            raise LookupError(f"sequence {sequence_id} not found")
        row.name, row.is_active, row.trigger, row.updated_at = name.strip(), active, stored_trigger, now
        session.execute(SequenceStep.__table__.delete().where(SequenceStep.sequence_id == row.id))
        created = False
    else:
        row = Sequence(
            id=uuid.uuid4(),
            company_id=company_id,
            name=name.strip(),
            is_active=active,
            trigger=stored_trigger,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        created = True
    session.flush()
    ordered = sorted(enumerate(steps), key=lambda item: (item[1].position or item[0] + 1, item[0]))
    for position, (_, spec) in enumerate(ordered, start=1):
        session.add(
            SequenceStep(
                id=uuid.uuid4(),
                sequence_id=row.id,
                position=position,
                channel=spec.channel,
                template_id=spec.template_id,
                delay_seconds=spec.delay_seconds,
                stop_conditions=list(dict.fromkeys(spec.stop_conditions)),
                created_at=now,
            )
        )
    session.flush()
    events.record(
        session,
        "sequence.created" if created else "sequence.updated",
        "sequence",
        row.id,
        company_id=company_id,
        data={"name": row.name, "steps": len(steps), "active": active},
    )
    return get(session, row.id), created


def get(session: Session, sequence_id: uuid.UUID) -> SequenceView:
    row = session.get(Sequence, sequence_id, populate_existing=True)
    if row is None:
        raise LookupError(f"sequence {sequence_id} not found")
    return SequenceView(row, steps_of(session, sequence_id))


def steps_of(session: Session, sequence_id: uuid.UUID) -> list[SequenceStep]:
    return list(
        session.scalars(
            select(SequenceStep)
            .where(SequenceStep.sequence_id == sequence_id)
            .order_by(SequenceStep.position)
        )
    )


def list_for(session: Session, company_id: uuid.UUID) -> list[SequenceView]:
    rows = session.scalars(
        select(Sequence).where(Sequence.company_id == company_id).order_by(Sequence.created_at, Sequence.name)
    ).all()
    return [SequenceView(row, steps_of(session, row.id)) for row in rows]


def delete(session: Session, sequence_id: uuid.UUID) -> None:
    row = session.get(Sequence, sequence_id, with_for_update=True)
    if row is None:
        raise LookupError(f"sequence {sequence_id} not found")
    for enrolment in session.scalars(
        select(SequenceEnrolment).where(
            SequenceEnrolment.sequence_id == sequence_id, SequenceEnrolment.status == "active"
        )
    ).all():
        stop(session, enrolment, "the sequence was deleted")
    session.delete(row)
    events.record(session, "sequence.deleted", "sequence", sequence_id, company_id=row.company_id)
    session.flush()
