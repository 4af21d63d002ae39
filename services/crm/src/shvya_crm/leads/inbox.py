"""The inbox: the conversations that need a person first, and why, most urgent first."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, literal, or_, select, tuple_, union_all
from sqlalchemy.orm import Session, aliased

from shvya_crm.leads import search
from shvya_crm.leads.queries import LeadView, stage_key_of_lead
from shvya_crm.storage.models import Event, Lead, Message, UnansweredQuestion
from shvya_rpc.errors import FieldErrors

# Why a lead is in the inbox, from the most urgent: a student a person must answer (the AI is
# silent), one ready to talk, a question nobody answered, a message that did not arrive, and the
# rest of the user's leads.
HANDED_OFF, HOT, UNANSWERED_QUESTION, DELIVERY_FAILED, ASSIGNED = REASONS = (
    "handed_off",
    "hot",
    "unanswered_question",
    "delivery_failed",
    "assigned",
)
_RANK = {reason: rank for rank, reason in enumerate(REASONS, start=1)}
# Only these need anyone: an opted-out, enrolled or lost lead is settled.
OPEN_STATUSES = ("active", "handed_off")


@dataclass(frozen=True)
class Item:
    view: LeadView
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    items: list[Item]
    next_token: str = ""


def _person_replied_since(lead_id, since):
    """A person (not the AI, not the system) wrote to the lead after `since` and it did not fail:
    read from the lead's few messages through (lead_id, created_at)."""
    return exists().where(
        Message.lead_id == lead_id,
        Message.created_at > since,
        Message.direction == "outbound",
        Message.author_user_id.is_not(None),
        Message.status != "failed",
    )


def _reasons(company_id: uuid.UUID, user_id: uuid.UUID | None):
    """(lead_id, rank) for every reason of every lead, each source read from its own partial index
    (migration 0009); a lead appears once per reason."""
    sources = [
        select(Lead.id.label("lead_id"), literal(_RANK[HANDED_OFF]).label("rank")).where(
            Lead.company_id == company_id, Lead.status == "handed_off"
        ),
        select(Event.lead_id, literal(_RANK[HOT])).where(
            Event.company_id == company_id,
            Event.type == "lead.hot",
            ~_person_replied_since(Event.lead_id, Event.created_at),
        ),
        select(UnansweredQuestion.lead_id, literal(_RANK[UNANSWERED_QUESTION])).where(
            UnansweredQuestion.company_id == company_id,
            UnansweredQuestion.resolved_at.is_(None),
            ~_person_replied_since(UnansweredQuestion.lead_id, UnansweredQuestion.created_at),
        ),
    ]
    failed = aliased(Message)
    newest_outbound = (
        select(Message.id)
        .where(Message.lead_id == failed.lead_id, Message.direction == "outbound")
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(1)
        .correlate(failed)
        .scalar_subquery()
    )
    sources.append(
        select(failed.lead_id, literal(_RANK[DELIVERY_FAILED])).where(
            failed.company_id == company_id,
            failed.direction == "outbound",
            failed.status == "failed",
            failed.id == newest_outbound,
        )
    )
    if user_id is not None:
        sources.append(
            select(Lead.id, literal(_RANK[ASSIGNED])).where(
                Lead.company_id == company_id, Lead.assigned_user_id == user_id
            )
        )
    return union_all(*sources).subquery("reason")


def _fingerprint(company_id: uuid.UUID, user_id: uuid.UUID | None) -> str:
    return hashlib.sha256(f"inbox\x1f{company_id}\x1f{user_id}".encode()).hexdigest()[:16]


def _encode(urgency: int, last_message_at: datetime, lead_id: uuid.UUID, fingerprint: str) -> str:
    raw = json.dumps(
        {"u": urgency, "v": last_message_at.isoformat(), "i": str(lead_id), "q": fingerprint},
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str, fingerprint: str) -> tuple[int, datetime, uuid.UUID]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if data["q"] != fingerprint:
            raise FieldErrors({"page_token": "belongs to another inbox: start again without it"})
        return int(data["u"]), datetime.fromisoformat(data["v"]), uuid.UUID(data["i"])
    except FieldErrors:
        raise
    except (ValueError, KeyError, TypeError, binascii.Error, json.JSONDecodeError):
        raise FieldErrors({"page_token": "is not a token this service issued"}) from None


def list_inbox(
    session: Session,
    company_id: uuid.UUID,
    user_id: uuid.UUID | None,
    *,
    size: int = search.DEFAULT_PAGE,
    token: str = "",
) -> Page:
    """One page of the inbox of `user_id` (the leads assigned to them or to nobody), or of the whole
    company when None: by the most urgent reason, then the newest last message, then the id."""
    if not 1 <= size <= search.MAX_PAGE:
        raise FieldErrors({"page_size": f"must be between 1 and {search.MAX_PAGE}"})
    fingerprint = _fingerprint(company_id, user_id)
    reason = _reasons(company_id, user_id)
    grouped = (
        select(
            reason.c.lead_id,
            func.min(reason.c.rank).label("urgency"),
            func.array_agg(reason.c.rank.distinct()).label("ranks"),
        )
        .group_by(reason.c.lead_id)
        .subquery("grouped")
    )
    last_message_at = search.last_message_at()
    where = [Lead.company_id == company_id, Lead.status.in_(OPEN_STATUSES)]
    if user_id is not None:
        where.append(or_(Lead.assigned_user_id == user_id, Lead.assigned_user_id.is_(None)))
    if token:
        urgency, value, lead_id = _decode(token, fingerprint)
        where.append(
            or_(
                grouped.c.urgency > urgency,
                and_(grouped.c.urgency == urgency, tuple_(last_message_at, Lead.id) < tuple_(value, lead_id)),
            )
        )
    rows = session.execute(
        select(Lead, stage_key_of_lead(), grouped.c.urgency, grouped.c.ranks, last_message_at)
        .join(grouped, grouped.c.lead_id == Lead.id)
        .where(*where)
        .order_by(grouped.c.urgency, last_message_at.desc(), Lead.id.desc())
        .limit(size + 1)
    ).all()
    more = len(rows) > size
    rows = rows[:size]
    items = [
        Item(
            view=LeadView(lead=lead, stage_key=stage_key or ""),
            reasons=tuple(REASONS[rank - 1] for rank in sorted(ranks)),
        )
        for lead, stage_key, _, ranks, _ in rows
    ]
    next_token = ""
    if more:
        lead, _, urgency, _, at = rows[-1]
        next_token = _encode(urgency, at, lead.id, fingerprint)
    return Page(items=items, next_token=next_token)
