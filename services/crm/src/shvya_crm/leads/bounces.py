"""Addresses that do not exist: an email hard bounce, a number that is not on WhatsApp.

When a channel says the address itself is gone, the lead's address on that
channel is marked undeliverable (in the lead's profile, with the reason) and
the send policy suppresses every later message to it. Only that address: a
lead who gives another email or number is reachable again, and so is one
whose dead-lettered jobs an admin replays (the admin says it works now).
"""

from __future__ import annotations

from sqlalchemy import literal, update
from sqlalchemy.orm import Session

from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Lead

KEY = "undeliverable"


def address_of(lead: Lead, channel: str) -> str:
    return (lead.email or "").strip().lower() if channel == "email" else lead.phone


def mark(session: Session, lead: Lead, channel: str, reason: str) -> None:
    address = address_of(lead, channel)
    if not address or undeliverable(lead, channel) is not None:
        return
    marked = dict((lead.profile or {}).get(KEY) or {})
    marked[channel] = {"address": address, "reason": reason[:500], "at": now_of(session).isoformat()}
    lead.profile = {**(lead.profile or {}), KEY: marked}
    events.record(
        session,
        "lead.address_invalid",
        "lead",
        lead.id,
        company_id=lead.company_id,
        lead_id=lead.id,
        data={"channel": channel, "address": address, "reason": reason[:500]},
    )


def undeliverable(lead: Lead, channel: str) -> str | None:
    """Why the lead's current address on `channel` cannot be reached, or None if it can."""
    entry = ((lead.profile or {}).get(KEY) or {}).get(channel)
    if not isinstance(entry, dict) or entry.get("address") != address_of(lead, channel):
        return None
    return entry.get("reason") or "the address does not exist"


def forget(session: Session, lead_ids: set) -> None:
    """An admin replayed these leads' dead letters: they say the addresses work now."""
    ids = [i for i in lead_ids if i is not None]
    if not ids:
        return
    restored = session.execute(
        update(Lead)
        .where(Lead.id.in_(ids), Lead.profile.has_key(KEY))
        .values(profile=Lead.profile.op("-")(literal(KEY)))
        .returning(Lead.id, Lead.company_id)
    ).all()
    events.record_many(
        session,
        [
            {
                "type": "lead.address_restored",
                "entity_type": "lead",
                "entity_id": lead_id,
                "company_id": company_id,
                "lead_id": lead_id,
                "data": {"why": "an admin replayed the lead's dead-lettered jobs"},
            }
            for lead_id, company_id in restored
        ],
    )
