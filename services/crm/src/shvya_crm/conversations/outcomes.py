"""Applying what an AI turn decided: stage moves, hand-off, enrolment, a hot lead, an unanswered
question and summaries, each with its audit event.

Applied in the transaction that reserves the reply, and only when that
reservation is new, so a retried job never applies an outcome twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.leads import consent
from shvya_crm.leads.companies import STAGE_KEYS, stage_id
from shvya_crm.leads.queries import LeadView
from shvya_crm.ledger import jobs
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Event, Lead, Message, UnansweredQuestion
from shvya_rpc import tasks
from shvya_rpc.errors import FieldErrors

# Stages in the order a lead moves through them; lost sits outside it.
_ORDER = {"new": 0, "contacted": 1, "qualified": 2, "enrolled": 3}
# Work that stops once the lead enrols or a counsellor takes over.
FOLLOW_UPS = (tasks.FOLLOWUP_BUMPUP, tasks.SEQUENCE_STEP, tasks.EMAIL_SEQUENCE)
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class Outcome:
    answered_message_ids: tuple[str, ...] = ()
    suggested_stage: str = ""
    hand_off: bool = False
    enrolled: bool = False
    hot: bool = False
    unanswered_question: str = ""
    summarize_every_messages: int = 0
    # Filled in while applying: what happened, for logs and tests.
    applied: list[str] = field(default_factory=list)


def validate(outcome: Outcome) -> None:
    errors = {}
    if outcome.suggested_stage and outcome.suggested_stage not in STAGE_KEYS:
        errors["outcome.suggested_stage"] = f"must be empty or one of {', '.join(STAGE_KEYS)}"
    if outcome.summarize_every_messages < 0:
        errors["outcome.summarize_every_messages"] = "must not be negative"
    for value in outcome.answered_message_ids:
        try:
            uuid.UUID(value)
        except ValueError:
            errors["outcome.answered_message_ids"] = "must be message UUIDs"
    if errors:
        raise FieldErrors(errors)


def may_move(current: str, target: str) -> bool:
    """Forward only; to lost from anywhere but enrolled; back from lost to any stage."""
    if not target or target == current or current == "enrolled":
        return False
    if target == "lost" or current == "lost":
        return True
    return _ORDER.get(target, -1) > _ORDER.get(current, -1)


def apply(session: Session, view: LeadView, reply_id: uuid.UUID, outcome: Outcome) -> LeadView:
    """Applies the outcome to the lead, which the caller locked (conversations.lock_lead); returns
    the lead as it now stands."""
    lead = view.lead
    lead_id = lead.id
    asked_in = _last_answered(session, outcome.answered_message_ids)
    base = {"reply_message_id": str(reply_id), "message_id": str(asked_in) if asked_in else None}
    target = "enrolled" if outcome.enrolled else outcome.suggested_stage
    moved_to = _move_stage(session, lead, view.stage_key, target, base)
    if outcome.enrolled and lead.status not in ("opted_out", "enrolled"):
        _set_status(session, lead, "enrolled", "lead.enrolled", base)
        consent.cancel_jobs(session, lead_id, FOLLOW_UPS, "lead enrolled")
        outcome.applied.append("enrolled")
    if outcome.hand_off and lead.status not in ("opted_out", "handed_off"):
        _set_status(session, lead, "handed_off", "lead.handed_off", base)
        lead.taken_over_at = lead.updated_at
        consent.cancel_jobs(session, lead_id, FOLLOW_UPS, "handed off to a counsellor")
        _schedule_summary(session, lead, f"ai_summary_{lead_id}_handoff_{reply_id}", "handoff")
        outcome.applied.append("handed_off")
    hot_reason = "wants_call" if outcome.hot else ("qualified" if moved_to == "qualified" else "")
    if hot_reason and not _was_hot(session, lead_id):
        events.record(
            session,
            "lead.hot",
            "lead",
            lead_id,
            company_id=lead.company_id,
            lead_id=lead_id,
            data={**base, "reason": hot_reason},
        )
        outcome.applied.append("hot")
    if outcome.unanswered_question.strip():
        _store_question(session, lead, asked_in, outcome.unanswered_question.strip(), base)
        outcome.applied.append("unanswered")
    if outcome.summarize_every_messages > 0:
        count = session.execute(select(func.count()).where(Message.lead_id == lead_id)).scalar_one()
        every = outcome.summarize_every_messages
        if count >= every:
            key = f"ai_summary_{lead_id}_m{count // every * every}"
            if _schedule_summary(session, lead, key, "messages"):
                outcome.applied.append("summary")
    if lead.updated_at != now_of(session):  # a stage or status change set it already
        lead.updated_at = now_of(session)
    session.flush()
    return LeadView(lead=lead, stage_key=moved_to or view.stage_key)


def _last_answered(session: Session, ids: tuple[str, ...]) -> uuid.UUID | None:
    if not ids:
        return None
    return session.execute(
        select(Message.id)
        .where(Message.id.in_([uuid.UUID(i) for i in ids]))
        .order_by(Message.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def _move_stage(session: Session, lead: Lead, current: str, target: str, base: dict) -> str:
    """Moves the lead's stage (now `current`) if the rules allow; returns the new stage key, or ""."""
    if not target or lead.pipeline_id is None:
        return ""
    if not may_move(current, target):
        return ""
    new_stage = stage_id(session, lead.pipeline_id, target)
    if new_stage is None:  # a custom pipeline without this stage
        return ""
    lead.stage_id = new_stage
    lead.updated_at = now_of(session)  # written with the stage, in one UPDATE
    data = {**base, "from": current, "to": target, "reason": "ai"}
    # Losing a lead ends its follow-ups; a lost lead who writes back is active again.
    if target == "lost" and lead.status == "active":
        lead.status = data["status"] = "lost"
    elif current == "lost" and lead.status == "lost":
        lead.status = data["status"] = "active"
    events.record(
        session, "lead.stage_changed", "lead", lead.id, company_id=lead.company_id, lead_id=lead.id, data=data
    )
    return target


def _set_status(session: Session, lead: Lead, status: str, event_type: str, base: dict) -> None:
    previous, lead.status = lead.status, status
    lead.updated_at = now_of(session)
    events.record(
        session,
        event_type,
        "lead",
        lead.id,
        company_id=lead.company_id,
        lead_id=lead.id,
        data={**base, "from": previous, "to": status},
    )


def _was_hot(session: Session, lead_id: uuid.UUID) -> bool:
    return session.execute(
        select(exists().where(Event.lead_id == lead_id, Event.type == "lead.hot"))
    ).scalar_one()


def _schedule_summary(session: Session, lead: Lead, key: str, reason: str) -> bool:
    _, created = jobs.schedule(
        session,
        task_name=tasks.AI_SUMMARY,
        idempotency_key=key[:255],
        company_id=lead.company_id,
        lead_id=lead.id,
        payload={"lead_id": str(lead.id), "reason": reason},
        run_at=now_of(session),
    )
    return created


def _store_question(
    session: Session, lead: Lead, message_id: uuid.UUID | None, question: str, base: dict
) -> None:
    question_id = session.execute(
        pg_insert(UnansweredQuestion)
        .values(
            id=uuid.uuid4(),
            company_id=lead.company_id,
            lead_id=lead.id,
            message_id=message_id,
            question=question[:MAX_QUESTION_CHARS],
            created_at=now_of(session),
        )
        .on_conflict_do_nothing(index_elements=["message_id"])
        .returning(UnansweredQuestion.id)
    ).scalar_one_or_none()
    if question_id is not None:
        events.record(
            session,
            "question.unanswered",
            "unanswered_question",
            question_id,
            company_id=lead.company_id,
            lead_id=lead.id,
            data={**base, "question": question[:500]},
        )
