"""A lead in a counsellor's hands: assignment and its notice, the reassignment timer, take over, hand back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from shvya_crm.assignment import rules
from shvya_crm.assignment.counsellors import NotPossible, company_user, list_users, pick
from shvya_crm.leads import consent
from shvya_crm.leads.queries import LeadView, lock_lead
from shvya_crm.ledger import jobs
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, Job, Lead, Message, User
from shvya_rpc import tasks

NOTIFY = tasks.NOTIFY_COUNSELLOR
REASSIGN = tasks.REASSIGN_LEAD
# Events after which a lead needs a person: each assigns it (or reminds its counsellor).
NEEDS_COUNSELLOR = {"lead.handed_off": "hand_off", "lead.hot": "hot"}
# Statuses in which nobody works the lead any more: no reassignment.
SETTLED = ("opted_out", "enrolled", "lost")


@dataclass(frozen=True)
class Reassignment:
    reassigned: bool
    reason: str
    lead: LeadView | None = None
    next_check_at: datetime | None = None


def _notify(session: Session, lead: Lead, user: User, kind: str, reason: str, key: str, **extra: str) -> None:
    jobs.schedule(
        session,
        task_name=NOTIFY,
        idempotency_key=key,
        company_id=lead.company_id,
        lead_id=lead.id,
        payload={"lead_id": str(lead.id), "user_id": str(user.id), "kind": kind, "reason": reason, **extra},
        run_at=now_of(session),
    )


def _start_timer(session: Session, lead: Lead, company: Company, key: str) -> datetime | None:
    """The durable reassignment timer: a job due when the assignee's time to reply runs out."""
    minutes = rules.effective(company).reassign_after_minutes
    if minutes <= 0 or lead.assigned_user_id is None:
        return None
    now = now_of(session)
    due = now + timedelta(minutes=minutes)
    jobs.schedule(
        session,
        task_name=REASSIGN,
        idempotency_key=key,
        company_id=lead.company_id,
        lead_id=lead.id,
        payload={"lead_id": str(lead.id), "user_id": str(lead.assigned_user_id), "since": now.isoformat()},
        run_at=due,
    )
    return due


def stop_timer(session: Session, lead_id: uuid.UUID, reason: str) -> None:
    consent.cancel_jobs(session, lead_id, (REASSIGN,), reason)


def _give(
    session: Session,
    view: LeadView,
    company: Company,
    user: User,
    *,
    reason: str,
    actor: str,
    notify: bool,
    timer: bool,
) -> bool:
    lead = view.lead
    if lead.assigned_user_id == user.id:
        return False
    now = now_of(session)
    previous = lead.assigned_user_id
    lead.assigned_user_id = user.id
    lead.assigned_at = now
    lead.updated_at = now
    stop_timer(session, lead.id, "the lead was assigned again")
    events.record(
        session,
        "lead.assigned",
        "lead",
        lead.id,
        company_id=lead.company_id,
        lead_id=lead.id,
        data={
            "user_id": str(user.id),
            "user_name": user.name,
            "previous_user_id": str(previous) if previous else None,
            "reason": reason,
            "actor": actor,
        },
    )
    stamp = f"{lead.id}:{user.id}:{now.isoformat()}"
    if notify:
        _notify(session, lead, user, "assigned", reason, f"{NOTIFY}:assigned:{stamp}")
    if timer:
        _start_timer(session, lead, company, f"{REASSIGN}:{stamp}")
    return True


def _next(
    session: Session, lead: Lead, company: Company, exclude: uuid.UUID | None, users: list[User] | None = None
) -> User | None:
    rule = rules.rule_for(rules.effective(company), (lead.profile or {}).get("course", ""))
    return pick(session, company, list(rule.user_ids) if rule else [], exclude=exclude, users=users)


def assign(
    session: Session, lead_id: uuid.UUID, user_id: uuid.UUID | None, *, reason: str, actor: str
) -> tuple[LeadView, bool]:
    """Gives the lead to `user_id`, or to the next counsellor by rule and round robin; the
    counsellor is notified and their time to reply starts. Returns (lead, changed)."""
    view = lock_lead(session, lead_id)
    lead = view.lead
    company = session.get(Company, lead.company_id)
    if user_id is not None:
        user = company_user(session, lead.company_id, user_id, "user_id")
        if not user.is_active:
            raise NotPossible(f"user {user_id} is deactivated")
    else:
        user = _next(session, lead, company, exclude=None)
        if user is None:
            _nobody(session, lead, reason)
            return view, False
    return view, _give(session, view, company, user, reason=reason, actor=actor, notify=True, timer=True)


def _nobody(session: Session, lead: Lead, reason: str) -> None:
    events.record(
        session,
        "lead.assignment_failed",
        "lead",
        lead.id,
        company_id=lead.company_id,
        lead_id=lead.id,
        data={"reason": reason, "why": "no counsellor is available and on duty"},
    )


def on_needs_counsellor(session: Session, event_id: int, event: dict[str, Any]) -> None:
    """A hand-off or a hot lead: assign it, or, when a counsellor already has it, tell them."""
    lead_id = event.get("lead_id")
    if lead_id is None:
        return
    reason = NEEDS_COUNSELLOR[event["type"]]
    # Already locked: the transaction that recorded the event changed or locked the lead.
    lead = session.get(Lead, lead_id)
    if lead is None or lead.status in SETTLED:
        return
    user = session.get(User, lead.assigned_user_id) if lead.assigned_user_id else None
    if user is None or not user.is_active:
        users = list_users(session, lead.company_id)
        if not users:
            return  # a company that works its leads outside Shvya: nobody to assign, nothing to record
        company = session.get(Company, lead.company_id)
        chosen = _next(session, lead, company, exclude=None, users=users)
        if chosen is None:
            _nobody(session, lead, reason)
            return
        actor = (event.get("data") or {}).get("actor", "ai")
        _give(
            session, LeadView(lead, ""), company, chosen, reason=reason, actor=actor, notify=True, timer=True
        )
        return
    if lead.assigned_at == now_of(session):
        return  # assigned in this very transaction (a hot lead handed off in one turn): one notice
    _notify(session, lead, user, "assigned", reason, f"{NOTIFY}:{reason}:{event_id}")
    _start_timer(session, lead, session.get(Company, lead.company_id), f"{REASSIGN}:{event_id}")


def replied_since(session: Session, lead_id: uuid.UUID, user_id: uuid.UUID, since: datetime) -> bool:
    return session.execute(
        select(
            exists().where(
                Message.lead_id == lead_id,
                Message.direction == "outbound",
                Message.author_user_id == user_id,
                Message.created_at >= since,
                Message.status != "failed",
            )
        )
    ).scalar_one()


def reassign(session: Session, job_id: uuid.UUID) -> Reassignment:
    """The reassignment timer fired: a lead whose assignee has not replied goes to the next one."""
    job = session.get(Job, job_id)
    if job is None:
        raise LookupError(f"job {job_id} not found")
    if job.task_name != REASSIGN:
        raise NotPossible(f"job {job_id} is a {job.task_name} job, not {REASSIGN}")
    payload = job.payload or {}
    view = lock_lead(session, uuid.UUID(payload["lead_id"]))
    lead = view.lead
    user_id = uuid.UUID(payload["user_id"])
    if lead.assigned_user_id != user_id:
        return Reassignment(False, "the lead was assigned to someone else since", view)
    if lead.status in SETTLED:
        return Reassignment(False, f"the lead is {lead.status}", view)
    if replied_since(session, lead.id, user_id, datetime.fromisoformat(payload["since"])):
        return Reassignment(False, "the assignee replied", view)
    company = session.get(Company, lead.company_id)
    user = _next(session, lead, company, exclude=user_id)
    if user is None:
        # Nobody else can take it now: the assignee keeps it, and the timer looks again later.
        key = f"{REASSIGN}:retry:{job.id}"
        due = _start_timer(session, lead, company, key)
        return Reassignment(False, "no other counsellor is available and on duty", view, due)
    _give(session, view, company, user, reason="no_reply", actor="system", notify=True, timer=True)
    return Reassignment(True, "the assignee did not reply in time", view)


def take_over(session: Session, lead_id: uuid.UUID, user_id: uuid.UUID | None, actor: str) -> LeadView:
    """A person takes the lead from the AI: the AI stops, and the taker is its counsellor."""
    view = lock_lead(session, lead_id)
    lead = view.lead
    if lead.status not in ("active", "handed_off"):
        raise NotPossible(f"the lead is {lead.status}; only an active lead can be taken over")
    if user_id is not None:
        user = company_user(session, lead.company_id, user_id, "user_id")
        if not user.is_active:
            raise NotPossible(f"user {user_id} is deactivated")
        company = session.get(Company, lead.company_id)
        _give(session, view, company, user, reason="take_over", actor=actor, notify=False, timer=False)
    # The taker is working the lead: no timer may take it from them.
    stop_timer(session, lead.id, "a counsellor took the lead over")
    previous = lead.status
    lead.status = "handed_off"
    lead.updated_at = lead.taken_over_at = now_of(session)
    events.record(
        session,
        "lead.taken_over",
        "lead",
        lead.id,
        company_id=lead.company_id,
        lead_id=lead.id,
        data={
            "user_id": str(lead.assigned_user_id) if lead.assigned_user_id else None,
            "from_status": previous,
            "actor": actor,
        },
    )
    return view


def take_over_for_reply(
    session: Session, lead_id: uuid.UUID, author_user_id: uuid.UUID | None, actor: str
) -> None:
    """A person who answers takes the conversation, through the API as in the console: the AI
    answering the same student beside them would say things the person did not mean. A lead the
    AI has is taken over by the author; a handed-off lead nobody has is given to them. Within the
    reply's transaction, so a reply is never sent beside an AI that still answers."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        return
    nobody_has_it = lead.status == "handed_off" and lead.assigned_user_id is None
    if lead.status == "active" or (nobody_has_it and author_user_id is not None):
        take_over(session, lead_id, author_user_id, actor)


def hand_back(session: Session, lead_id: uuid.UUID, actor: str) -> LeadView:
    """The counsellor gives the lead back to the AI, which answers the student's next message."""
    view = lock_lead(session, lead_id)
    lead = view.lead
    if lead.status != "handed_off":
        raise NotPossible(f"the lead is {lead.status}, not with a counsellor")
    stop_timer(session, lead.id, "the lead was handed back to the AI")
    lead.status = "active"
    lead.updated_at = now_of(session)
    events.record(
        session,
        "lead.handed_back",
        "lead",
        lead.id,
        company_id=lead.company_id,
        lead_id=lead.id,
        data={"user_id": str(lead.assigned_user_id) if lead.assigned_user_id else None, "actor": actor},
    )
    return view


def notify_assignee(session: Session, lead_id: uuid.UUID, message_id: uuid.UUID) -> bool:
    """The student of a lead a counsellor has wrote again: tell the counsellor (once per message)."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise LookupError(f"lead {lead_id} not found")
    message = session.get(Message, message_id)
    if message is None or message.lead_id != lead_id or message.direction != "inbound":
        raise LookupError(f"inbound message {message_id} of lead {lead_id} not found")
    if lead.status != "handed_off":
        return False
    user = session.get(User, lead.assigned_user_id) if lead.assigned_user_id else None
    if user is None or not user.is_active:
        # Handed off while nobody was on duty: try again now that the student is waiting.
        return assign(session, lead_id, None, reason="student_wrote", actor="system")[1]
    _, created = jobs.schedule(
        session,
        task_name=NOTIFY,
        idempotency_key=f"{NOTIFY}:message:{message_id}",
        company_id=lead.company_id,
        lead_id=lead.id,
        payload={
            "lead_id": str(lead.id),
            "user_id": str(user.id),
            "kind": "message",
            "reason": "student_wrote",
            "message_id": str(message_id),
        },
        run_at=now_of(session),
    )
    return created
