"""Sequences: multi-step cadences of templated messages, the leads enrolled in them, and the
timers between steps.

Each step is a job in the ledger (sequence_step, or email_sequence for email
steps; both run in lane 2), keyed by enrolment and position so that it is
written once. The next step is scheduled in the same transaction that
records the current one as sent (see after_step_sent), so a restart at any
point neither loses a step nor sends one twice.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.leads import consent
from shvya_crm.ledger import jobs
from shvya_crm.outreach import followups
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import (
    Job,
    Lead,
    Message,
    Sequence,
    SequenceEnrolment,
    SequenceStep,
)
from shvya_rpc import tasks
from shvya_rpc.errors import FieldErrors

STEP_TASK = tasks.SEQUENCE_STEP
EMAIL_TASK = tasks.EMAIL_SEQUENCE
TASKS = (STEP_TASK, EMAIL_TASK)
STOP_CONDITIONS = ("replied", "handed_off", "enrolled")


def task_for(channel: str) -> str:
    return EMAIL_TASK if channel == "email" else STEP_TASK


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


# -- enrolments ------------------------------------------------------------------


def enrol(
    session: Session, *, sequence: Sequence, lead_id: uuid.UUID, source: str
) -> tuple[SequenceEnrolment, bool]:
    """Enrols the lead (once per sequence) and schedules the first step."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise LookupError(f"lead {lead_id} not found")
    if lead.company_id != sequence.company_id:
        raise FieldErrors({"sequence_id": "belongs to another company than the lead"})
    now = now_of(session)
    inserted = session.execute(
        pg_insert(SequenceEnrolment)
        .values(
            id=uuid.uuid4(),
            company_id=sequence.company_id,
            sequence_id=sequence.id,
            lead_id=lead_id,
            status="active",
            next_position=1,
            source=source,
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["sequence_id", "lead_id"])
        .returning(SequenceEnrolment.id)
    ).scalar_one_or_none()
    if inserted is None:
        existing = session.execute(
            select(SequenceEnrolment).where(
                SequenceEnrolment.sequence_id == sequence.id, SequenceEnrolment.lead_id == lead_id
            )
        ).scalar_one()
        return existing, False
    enrolment = session.get(SequenceEnrolment, inserted)
    events.record(
        session,
        "sequence.enrolled",
        "sequence_enrolment",
        enrolment.id,
        company_id=sequence.company_id,
        lead_id=lead_id,
        data={"sequence_id": str(sequence.id), "name": sequence.name, "source": source},
    )
    if not sequence.is_active:
        stop(session, enrolment, "the sequence is inactive")
    elif lead.status != "active":
        stop(session, enrolment, f"the lead is {lead.status}")
    else:
        advance(session, enrolment, after_position=0)
    return enrolment, True


def matches(trigger: dict[str, Any], *, text: str, course: str, channel: str, lead_created: bool) -> bool:
    """Does an enrolment rule pick this inbound message?"""
    channels = trigger.get("channels") or []
    if channels and channel not in channels:
        return False
    if trigger.get("all_new_leads") and lead_created:
        return True
    folded_text, folded_course = _fold(text), _fold(course)
    wanted = _fold(trigger.get("course", ""))
    if wanted and (wanted in folded_course or f" {wanted} " in f" {folded_text} "):
        return True
    return any(f" {_fold(k)} " in f" {folded_text} " for k in trigger.get("keywords", []) if _fold(k))


def enrol_by_rules(
    session: Session,
    *,
    company_id: uuid.UUID,
    lead_id: uuid.UUID,
    text: str,
    course: str,
    channel: str,
    lead_created: bool,
) -> list[SequenceEnrolment]:
    """At intake: enrols the lead in every active sequence whose rule matches."""
    enrolled = []
    for sequence in session.scalars(
        select(Sequence).where(Sequence.company_id == company_id, Sequence.is_active)
    ).all():
        trigger = sequence.trigger or {}
        if trigger and matches(trigger, text=text, course=course, channel=channel, lead_created=lead_created):
            enrolment, created = enrol(session, sequence=sequence, lead_id=lead_id, source="rule")
            if created:
                enrolled.append(enrolment)
    return enrolled


def list_enrolments(
    session: Session, *, lead_id: uuid.UUID | None, sequence_id: uuid.UUID | None
) -> list[SequenceEnrolment]:
    query = select(SequenceEnrolment)
    if lead_id is not None:
        query = query.where(SequenceEnrolment.lead_id == lead_id)
    if sequence_id is not None:
        query = query.where(SequenceEnrolment.sequence_id == sequence_id)
    return list(session.scalars(query.order_by(SequenceEnrolment.created_at, SequenceEnrolment.id)))


def step_at(session: Session, sequence_id: uuid.UUID, position: int) -> SequenceStep | None:
    return session.execute(
        select(SequenceStep).where(SequenceStep.sequence_id == sequence_id, SequenceStep.position == position)
    ).scalar_one_or_none()


def advance(
    session: Session, enrolment: SequenceEnrolment, *, after_position: int, sent: Message | None = None
) -> Job | None:
    """Schedules the step after `after_position` (its delay counted from `sent`, the step just
    sent, when there is one), or completes the enrolment."""
    now = now_of(session)
    step = session.execute(
        select(SequenceStep)
        .where(SequenceStep.sequence_id == enrolment.sequence_id, SequenceStep.position > after_position)
        .order_by(SequenceStep.position)
        .limit(1)
    ).scalar_one_or_none()
    enrolment.updated_at = now
    if step is None:
        enrolment.status = "completed"
        enrolment.completed_at = now
        enrolment.next_position = after_position + 1
        events.record(
            session,
            "sequence.completed",
            "sequence_enrolment",
            enrolment.id,
            company_id=enrolment.company_id,
            lead_id=enrolment.lead_id,
            data={"sequence_id": str(enrolment.sequence_id)},
        )
        session.flush()
        return None
    enrolment.next_position = step.position
    job, _ = jobs.schedule(
        session,
        task_name=task_for(step.channel),
        idempotency_key=f"sequence_{enrolment.id}_{step.position}",
        company_id=enrolment.company_id,
        lead_id=enrolment.lead_id,
        payload={
            "lead_id": str(enrolment.lead_id),
            "enrolment_id": str(enrolment.id),
            "sequence_id": str(enrolment.sequence_id),
            "position": str(step.position),
        },
        run_at=(
            followups.due_after(session, sent, step.delay_seconds)
            if sent is not None
            else now + timedelta(seconds=step.delay_seconds)
        ),
    )
    session.flush()
    return job


def after_step_sent(session: Session, message: Message) -> None:
    """A step went out: schedule the next one (same transaction as the send record)."""
    meta = message.meta or {}
    try:
        enrolment_id = uuid.UUID(meta.get("enrolment_id", ""))
        position = int(meta.get("position", 0))
    except ValueError:
        return
    enrolment = session.get(SequenceEnrolment, enrolment_id, with_for_update=True)
    if enrolment is None or enrolment.status != "active" or enrolment.next_position != position:
        return
    advance(session, enrolment, after_position=position, sent=message)


def stop(session: Session, enrolment: SequenceEnrolment, reason: str) -> None:
    """Stops an enrolment and cancels its pending step."""
    if enrolment.status != "active":
        return
    now = now_of(session)
    enrolment.status = "stopped"
    enrolment.stop_reason = reason[:500]
    enrolment.updated_at = now
    pending = session.scalars(
        update(Job)
        .where(
            Job.lead_id == enrolment.lead_id,
            Job.task_name.in_(TASKS),
            Job.status.in_(("queued", "failed")),
            Job.payload["enrolment_id"].astext == str(enrolment.id),
        )
        .values(status="cancelled", error_message=reason[:4000], dispatch_until=None, updated_at=now)
        .returning(Job.id)
    ).all()
    events.record(
        session,
        "sequence.stopped",
        "sequence_enrolment",
        enrolment.id,
        company_id=enrolment.company_id,
        lead_id=enrolment.lead_id,
        data={
            "sequence_id": str(enrolment.sequence_id),
            "reason": reason[:500],
            "jobs_cancelled": len(pending),
        },
    )
    consent.fail_reserved(session, enrolment.lead_id, list(pending), reason)
    session.flush()


def stop_for_lead(session: Session, lead_id: uuid.UUID, reason: str) -> int:
    rows = session.scalars(
        select(SequenceEnrolment)
        .where(SequenceEnrolment.lead_id == lead_id, SequenceEnrolment.status == "active")
        .with_for_update()
    ).all()
    for enrolment in rows:
        stop(session, enrolment, reason)
    return len(rows)
