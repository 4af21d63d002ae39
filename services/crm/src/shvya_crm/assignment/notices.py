"""What a counsellor is told by email when a lead is assigned to them or its student writes again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shvya_crm.assignment.counsellors import NotPossible
from shvya_crm.assignment.handling import NOTIFY, SETTLED
from shvya_crm.storage.models import Company, Job, Lead, Message, User

HEADLINES = {
    "hand_off": "The AI counsellor handed this lead to you: the student wants a person.",
    "hot": "This lead is hot: the student is ready to talk.",
    "no_reply": "This lead was reassigned to you: its counsellor did not reply in time.",
    "student_wrote": "This lead's student is waiting for a counsellor.",
    "manual": "This lead was assigned to you.",
}
RECENT_MESSAGES = 5


@dataclass(frozen=True)
class Notice:
    proceed: bool
    reason: str = ""
    email: str = ""
    name: str = ""
    subject: str = ""
    text: str = ""
    company_id: str = ""
    lead_id: str = ""


def prepare(session: Session, job_id: uuid.UUID) -> Notice:
    job = session.get(Job, job_id)
    if job is None:
        raise LookupError(f"job {job_id} not found")
    if job.task_name != NOTIFY:
        raise NotPossible(f"job {job_id} is a {job.task_name} job, not {NOTIFY}")
    payload = job.payload or {}
    lead = session.get(Lead, uuid.UUID(payload["lead_id"]))
    user = session.get(User, uuid.UUID(payload["user_id"]))
    if lead is None or user is None:
        return Notice(False, "the lead or the user no longer exists")
    if not user.is_active or not user.email:
        return Notice(False, f"user {user.id} is deactivated or has no email address")
    if lead.assigned_user_id != user.id:
        return Notice(False, "the lead is now with another counsellor")
    if lead.status in SETTLED:
        return Notice(False, f"the lead is {lead.status}")
    company = session.get(Company, lead.company_id)
    who = lead.contact_name or lead.phone
    if payload.get("kind") == "message":
        subject = f"{who} wrote again"
        headline = "The student wrote while you have the conversation; the AI stays silent."
    else:
        subject = f"New lead for you: {who}"
        headline = HEADLINES.get(payload.get("reason", ""), HEADLINES["manual"])
    recent = list(
        reversed(
            session.scalars(
                select(Message)
                .where(Message.lead_id == lead.id, Message.status != "failed")
                .order_by(Message.created_at.desc(), Message.id.desc())
                .limit(RECENT_MESSAGES)
            ).all()
        )
    )
    lines = [
        f"Hello {user.name or user.email},",
        "",
        headline,
        "",
        f"Lead: {who}",
        f"Phone: {lead.phone}",
        f"Email: {lead.email or '-'}",
        f"Course: {(lead.profile or {}).get('course') or '-'}",
    ]
    if lead.summary:
        lines += ["", f"Summary: {lead.summary}"]
    if recent:
        lines += ["", "Latest messages:"]
        lines += [
            f"  {'student' if m.direction == 'inbound' else 'us'}: {' '.join(m.text.split())[:500]}"
            for m in recent
        ]
    lines += [
        "",
        f"Reply from Shvya on the lead's channel: POST /leads/{lead.id}/messages",
        f"({company.name if company else 'Shvya'})",
    ]
    return Notice(
        True,
        email=user.email,
        name=user.name,
        subject=subject,
        text="\n".join(lines),
        company_id=str(lead.company_id),
        lead_id=str(lead.id),
    )
