"""When WhatsApp's 24-hour customer-service window of a lead closes, for the composer: outside it only an
approved template may go out."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from shvya_crm.leads.consent import REPLY_WINDOW, WINDOW_SOURCES
from shvya_crm.leads.queries import LeadView
from shvya_crm.storage.models import Lead, Message


def window_ends(session: Session, lead_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """For each WhatsApp lead that ever wrote on WhatsApp itself: its last such message plus 24 hours.
    One statement; the lead's channel decides which messages open the window, as the send policy
    decides it (leads/consent.py)."""
    if not lead_ids:
        return {}
    opens = or_(
        *(
            and_(Lead.channel == channel, Message.channel == channel, Message.source.in_(sources))
            for channel, sources in WINDOW_SOURCES.items()
        )
    )
    rows = session.execute(
        select(Message.lead_id, func.max(Message.created_at))
        .join(Lead, Lead.id == Message.lead_id)
        .where(Message.lead_id.in_(list(lead_ids)), Message.direction == "inbound", opens)
        .group_by(Message.lead_id)
    ).all()
    return {lead_id: last + REPLY_WINDOW for lead_id, last in rows}


def with_window(session: Session, views: list[LeadView]) -> list[LeadView]:
    ends = window_ends(session, [v.lead.id for v in views])
    return [replace(v, whatsapp_window_ends_at=ends.get(v.lead.id)) for v in views]
