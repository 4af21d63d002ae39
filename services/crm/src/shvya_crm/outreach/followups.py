"""followup_bumpup: the nudges after a lead goes quiet.

A bump is scheduled whenever an outbound reply or bump is recorded as sent
(in that same transaction), `followup_delay_seconds` later by the crm's
clock. A message from the lead cancels it; opt-out, hand-off and enrolment
cancel it too (see reactions). At most `max_bumps` bumps follow the lead's
last message: when the lead writes again, the count starts over.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shvya_crm.leads import consent
from shvya_crm.ledger import jobs
from shvya_crm.outreach import company_settings
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, Job, Lead, Message
from shvya_rpc import tasks

TASK = tasks.FOLLOWUP_BUMPUP
# Purposes of the messages that leave the lead a question to answer.
AWAITS_REPLY = ("reply", "followup")
SENT = ("sent", "delivered", "read")

# Default wording, varied from bump to bump; a company replaces it with its
# own templates named followup_1, followup_2, ... on the lead's channel.
NUDGES = (
    "Hi {first_name}, just checking in: did you get a chance to look at {course}? "
    "Reply here with any question and I'll help.",
    "Hi {first_name}, students often ask us about the fee, EMI options and the next batch for {course}. "
    "Would you like those details, or a quick call with a counsellor?",
    "Hi {first_name}, {company} here again. If {course} is still on your mind, I can share the syllabus "
    "or book you a free demo class. Just reply yes.",
)
LAST_NUDGE = (
    "Hi {first_name}, I don't want to crowd your inbox, so this is my last note about {course}. "
    "Whenever you're ready, just reply here and we'll pick up where we left off."
)


def wording(bump: int, max_bumps: int) -> str:
    if max_bumps > 1 and bump >= max_bumps:
        return LAST_NUDGE
    return NUDGES[(bump - 1) % len(NUDGES)]


def bumps_since_last_inbound(session: Session, lead: Lead) -> int:
    """Bumps sent since the lead last wrote."""
    query = select(func.count()).where(
        Message.lead_id == lead.id,
        Message.direction == "outbound",
        Message.meta["purpose"].astext == "followup",
        Message.status.in_(SENT),
    )
    if lead.last_inbound_at is not None:
        query = query.where(Message.created_at > lead.last_inbound_at)
    return int(session.execute(query).scalar_one())


def schedule_after_send(session: Session, lead: Lead, message: Message) -> Job | None:
    """An outbound message awaits a reply: schedule the next bump, unless the limit is reached."""
    if (message.meta or {}).get("purpose", "reply") not in AWAITS_REPLY or lead.status != "active":
        return None
    settings = company_settings.effective(session.get(Company, lead.company_id))
    sent = bumps_since_last_inbound(session, lead)
    if sent >= settings.max_bumps:
        return None
    # One bump waits per lead: the newest message is the one awaiting a reply.
    consent.cancel_jobs(session, lead.id, (TASK,), "superseded by a newer message")
    job, _ = jobs.schedule(
        session,
        task_name=TASK,
        idempotency_key=f"{TASK}_{lead.id}_{message.id}",
        company_id=lead.company_id,
        lead_id=lead.id,
        payload={"lead_id": str(lead.id), "after_message_id": str(message.id), "bump": str(sent + 1)},
        run_at=due_after(session, message, settings.followup_delay_seconds),
    )
    return job


def due_after(session: Session, message: Message, delay_seconds: float) -> datetime:
    """When the next message is due: `delay_seconds` after this one was written (the silence
    starts when we wrote, just before it left), but never less than half the delay after it
    was actually recorded as sent (a message that waited, say in the dead-letter queue)."""
    now = now_of(session)
    delay = timedelta(seconds=delay_seconds)
    written = message.created_at or now
    return max(written + delay, now + delay / 2)


# What a message from the lead cancels, and why (intake cancels them within its own write).
CANCELLED_BY_REPLY = (TASK,)
REPLIED = "the lead replied"
