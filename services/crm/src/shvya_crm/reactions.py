"""What the crm does, in the same transaction, when certain audit events are recorded.

Any code path that records one of these events (intake, the consent
ledger, the AI's hand-off or enrolment, an admin) gets the reaction without
knowing about it: the company's webhooks are queued, and follow-ups and
sequences stop for a lead who opted out, was handed to a counsellor or
enrolled.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from shvya_crm import consent, sequences, webhooks

# Audit event type -> the webhook event companies subscribe to.
WEBHOOK_EVENTS = {
    "lead.created": "lead.created",
    "lead.hot": "lead.hot",
    "lead.handed_off": "hand_off",
    "lead.enrolled": "enrolled",
    "consent.opt_out": "opted_out",
}
# Audit event type -> why outreach to the lead stops.
STOPS_OUTREACH = {
    "lead.handed_off": "a counsellor took over the conversation",
    "lead.enrolled": "the lead enrolled",
    "consent.opt_out": "the lead opted out",
}
OUTREACH_TASKS = ("followup_bumpup", "sequence_step", "email_sequence")
REACTIVE = frozenset(WEBHOOK_EVENTS) | frozenset(STOPS_OUTREACH)


def react(session: Session, event_id: int, event: dict[str, Any]) -> None:
    type_ = event["type"]
    lead_id = event.get("lead_id")
    if type_ in STOPS_OUTREACH and lead_id is not None:
        reason = STOPS_OUTREACH[type_]
        consent.cancel_jobs(session, lead_id, OUTREACH_TASKS, reason)
        sequences.stop_for_lead(session, lead_id, reason)
    if type_ in WEBHOOK_EVENTS and event.get("company_id") is not None:
        webhooks.raise_event(session, event_id=event_id, name=WEBHOOK_EVENTS[type_], event=event)
