"""What the crm does, in the same transaction, when certain audit events are recorded.

The audit log only records; this module subscribes the reactions when the
crm is wired up. Any code path that records one of these events (intake, the
consent ledger, the AI's hand-off or enrolment, an admin) gets the reaction
without knowing about it: the company's webhooks are queued, follow-ups
and sequences stop for a lead who opted out, was handed to a counsellor or
enrolled, and a lead handed off or hot is assigned to a counsellor.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from shvya_crm.assignment import handling
from shvya_crm.leads import consent
from shvya_crm.outreach import sequences, webhooks
from shvya_crm.storage.events import Subscriptions
from shvya_rpc import tasks

# Audit event type -> the webhook event companies subscribe to.
WEBHOOK_EVENTS = {
    "lead.created": "lead.created",
    "lead.hot": "lead.hot",
    "lead.handed_off": "hand_off",
    "lead.enrolled": "enrolled",
    "consent.opt_out": "opted_out",
    "lead.assigned": "assigned",
}
# Audit event type -> why outreach to the lead stops.
STOPS_OUTREACH = {
    "lead.handed_off": "a counsellor took over the conversation",
    "lead.taken_over": "a counsellor took over the conversation",
    "lead.enrolled": "the lead enrolled",
    "consent.opt_out": "the lead opted out",
}
OUTREACH_TASKS = (tasks.FOLLOWUP_BUMPUP, tasks.SEQUENCE_STEP, tasks.EMAIL_SEQUENCE)


def stop_outreach(session: Session, event_id: int, event: dict[str, Any]) -> None:
    lead_id = event.get("lead_id")
    if lead_id is None:
        return
    reason = STOPS_OUTREACH[event["type"]]
    consent.cancel_jobs(session, lead_id, OUTREACH_TASKS, reason)
    sequences.stop_for_lead(session, lead_id, reason)


def post_webhook(session: Session, event_id: int, event: dict[str, Any]) -> None:
    if event.get("company_id") is None:
        return
    webhooks.raise_event(session, event_id=event_id, name=WEBHOOK_EVENTS[event["type"]], event=event)


def subscriptions() -> Subscriptions:
    """The crm's reactions, in the order they run: outreach stops before the webhook is queued,
    and a counsellor is assigned after the event's own webhook (so `hand_off` precedes `assigned`)."""
    wired = Subscriptions()
    for type_ in STOPS_OUTREACH:
        wired.subscribe(type_, stop_outreach)
    for type_ in WEBHOOK_EVENTS:
        wired.subscribe(type_, post_webhook)
    for type_ in handling.NEEDS_COUNSELLOR:
        wired.subscribe(type_, handling.on_needs_counsellor)
    return wired
