"""The inbox: the conversations that need a person first, and why, most urgent first."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_, select, tuple_
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
    previous_token: str = ""


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


def _has_reason(rank: int, company_id: uuid.UUID, user_id: uuid.UUID | None):
    """Whether the lead of the outer query has the reason of `rank`: a condition on the lead row or one
    probe of the reason's partial index (migration 0009) by lead."""
    if rank == _RANK[HANDED_OFF]:
        return Lead.status == "handed_off"
    if rank == _RANK[HOT]:
        return (
            select(Event.id)
            .where(
                Event.company_id == company_id,
                Event.lead_id == Lead.id,
                Event.type == "lead.hot",
                ~_person_replied_since(Event.lead_id, Event.created_at),
            )
            .exists()
        )
    if rank == _RANK[UNANSWERED_QUESTION]:
        return (
            select(UnansweredQuestion.id)
            .where(
                UnansweredQuestion.company_id == company_id,
                UnansweredQuestion.lead_id == Lead.id,
                UnansweredQuestion.resolved_at.is_(None),
                ~_person_replied_since(UnansweredQuestion.lead_id, UnansweredQuestion.created_at),
            )
            .exists()
        )
    if rank == _RANK[DELIVERY_FAILED]:
        failed = aliased(Message)
        newest_outbound = (
            select(Message.id)
            .where(Message.lead_id == failed.lead_id, Message.direction == "outbound")
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(1)
            .correlate(failed)
            .scalar_subquery()
        )
        return (
            select(failed.id)
            .where(
                failed.company_id == company_id,
                failed.lead_id == Lead.id,
                failed.direction == "outbound",
                failed.status == "failed",
                failed.id == newest_outbound,
            )
            .exists()
        )
    return Lead.assigned_user_id == user_id


def _ranks(user_id: uuid.UUID | None) -> tuple[int, ...]:
    """The reasons that apply to this inbox, most urgent first: only a user's inbox has "assigned"."""
    return tuple(_RANK[r] for r in REASONS if r != ASSIGNED or user_id is not None)


def _fingerprint(company_id: uuid.UUID, user_id: uuid.UUID | None) -> str:
    return hashlib.sha256(f"inbox\x1f{company_id}\x1f{user_id}".encode()).hexdigest()[:16]


def _encode(
    urgency: int, last_message_at: datetime, lead_id: uuid.UUID, fingerprint: str, before: bool = False
) -> str:
    """A page token: the page after the lead, or with `before` the page that ends before it."""
    data = {"u": urgency, "v": last_message_at.isoformat(), "i": str(lead_id), "q": fingerprint}
    if before:
        data["b"] = 1
    raw = json.dumps(data, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(token: str, fingerprint: str) -> tuple[int, datetime, uuid.UUID, bool]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if data["q"] != fingerprint:
            raise FieldErrors({"page_token": "belongs to another inbox: start again without it"})
        return int(data["u"]), datetime.fromisoformat(data["v"]), uuid.UUID(data["i"]), data.get("b") == 1
    except FieldErrors:
        raise
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, json.JSONDecodeError):
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
    mark = _decode(token, fingerprint) if token else None
    backwards = mark is not None and mark[3]
    ranks = _ranks(user_id)
    last_message_at = search.last_message_at()
    where = [Lead.company_id == company_id, Lead.status.in_(OPEN_STATUSES)]
    if user_id is not None:
        where.append(or_(Lead.assigned_user_id == user_id, Lead.assigned_user_id.is_(None)))
    # One reason at a time, most urgent first: the leads whose most urgent reason it is, newest
    # activity first, until the page (and one more, to know whether there is a next) is full. Only
    # the leads of the page are ranked, never every lead that needs someone. A page before the
    # token's lead is read the other way round, from it towards the most urgent, then turned round.
    rows: list[tuple] = []
    for urgency in reversed(ranks) if backwards else ranks:
        if mark is not None and (urgency > mark[0] if backwards else urgency < mark[0]):
            continue
        wanted = size + 1 - len(rows)
        if wanted <= 0:
            break
        conditions = [
            *where,
            _has_reason(urgency, company_id, user_id),
            *(~_has_reason(r, company_id, user_id) for r in ranks if r < urgency),
        ]
        position = tuple_(last_message_at, Lead.id)
        if mark is not None and urgency == mark[0]:
            conditions.append(
                position > tuple_(mark[1], mark[2]) if backwards else position < tuple_(mark[1], mark[2])
            )
        order = (
            (last_message_at.asc(), Lead.id.asc()) if backwards else (last_message_at.desc(), Lead.id.desc())
        )
        found = session.execute(
            select(Lead, stage_key_of_lead(), last_message_at)
            .where(*conditions)
            .order_by(*order)
            .limit(wanted)
        ).all()
        rows.extend((lead, stage_key, urgency, at) for lead, stage_key, at in found)
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    later = _later_reasons(session, company_id, user_id, [(lead.id, urgency) for lead, _, urgency, _ in rows])
    items = [
        Item(
            view=LeadView(lead=lead, stage_key=stage_key or ""),
            reasons=tuple(REASONS[rank - 1] for rank in (urgency, *later[lead.id])),
        )
        for lead, stage_key, urgency, _ in rows
    ]
    # Read forwards, the page has a next one when it found more; read backwards from a later page,
    # it has one always (the page it came from) and a previous one when it found more.
    next_token = previous_token = ""
    if rows and (more if not backwards else True):
        lead, _, urgency, at = rows[-1]
        next_token = _encode(urgency, at, lead.id, fingerprint)
    if rows and (more if backwards else mark is not None):
        lead, _, urgency, at = rows[0]
        previous_token = _encode(urgency, at, lead.id, fingerprint, before=True)
    return Page(items=items, next_token=next_token, previous_token=previous_token)


def _later_reasons(
    session: Session, company_id: uuid.UUID, user_id: uuid.UUID | None, leads: list[tuple[uuid.UUID, int]]
) -> dict[uuid.UUID, tuple[int, ...]]:
    """The less urgent reasons each of the page's leads also has: a few index probes per lead."""
    if not leads:
        return {}
    ranks = _ranks(user_id)
    flags = session.execute(
        select(Lead.id, *(_has_reason(r, company_id, user_id) for r in ranks)).where(
            Lead.id.in_([lead_id for lead_id, _ in leads])
        )
    ).all()
    by_lead = {lead_id: has for lead_id, *has in flags}
    return {
        lead_id: tuple(r for r, has in zip(ranks, by_lead[lead_id], strict=True) if has and r > urgency)
        for lead_id, urgency in leads
    }
