"""Consent: the opt-in/opt-out ledger, and the policy every send path checks at send time.

One suppression record per lead: an opt-out from a keyword, from Meta's
user_preferences signal, from an email unsubscribe, from the AI or from the
API sets the lead to opted_out, cancels its pending jobs, and from then on
every send is refused, on every channel, except one short confirmation of an
opt-out the lead wrote (consent_rules holds the table of what each contact does).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezones
from sqlalchemy import exists, func, select, true, update
from sqlalchemy.orm import Session

import shvya_language as language
from shvya_crm.leads import bounces, consent_rules
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, Consent, Job, Lead, Message
from shvya_rpc import tasks

# Purposes of a send, from most to least wanted by the student.
REPLY = "reply"  # answering the student's own message
OPT_OUT_CONFIRMATION = "opt_out_confirmation"  # the one message allowed after an opt-out
FOLLOWUP = "followup"  # a nudge after silence
SEQUENCE = "sequence"  # a scheduled cadence step
HANDOFF = "handoff"  # the reply that tells the lead a counsellor takes over
# A counsellor's own reply: a live conversation, so quiet hours do not hold it, and
# a lead a counsellor has is exactly who it is for; an opt-out still stops it.
COUNSELLOR = "counsellor"
PURPOSES = (REPLY, OPT_OUT_CONFIRMATION, FOLLOWUP, SEQUENCE, HANDOFF, COUNSELLOR)
PROACTIVE = (FOLLOWUP, SEQUENCE)

ALLOW, SUPPRESS, DEFER = "allow", "suppress", "defer"

DEFAULT_QUIET_START = time(21, 0)
DEFAULT_QUIET_END = time(9, 0)
DEFAULT_TIMEZONE = "Asia/Kolkata"
REPLY_WINDOW = timedelta(hours=24)
# Only a message the student sent on WhatsApp itself opens WhatsApp's 24-hour
# customer-service window: a website form that names WhatsApp as the channel
# is first contact, which the Cloud API answers with an approved template.
WINDOW_SOURCES = {"wa_cloud": ("whatsapp_cloud_webhook",), "wa_web": ("whatsapp_web",)}

# Pending work that an opt-out or a hand-off makes pointless. ai_summary and
# webhook_reminder still run: the company should learn what happened.
CONVERSATION_TASKS = (tasks.AI_ENGAGE, tasks.FOLLOWUP_BUMPUP, tasks.SEQUENCE_STEP, tasks.EMAIL_SEQUENCE)

_OPT_IN_WHOLE = {"start", "unstop", "subscribe", "resume", "start again", "opt in", "optin"}


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def is_opt_out_keyword(text: str) -> bool:
    """An opt-out in any language or spelling (a wrong number too), read by the detector the AI uses.

    It acts before the AI reads the message, so it must never mistake a question for an opt-out:
    negated stops and stops about the course are not opt-outs."""
    return language.is_opt_out(text)


def is_opt_in_keyword(text: str) -> bool:
    """START (and friends) as a whole message lifts an earlier opt-out."""
    return _fold(text) in _OPT_IN_WHOLE


@dataclass(frozen=True)
class Policy:
    decision: str  # allow, suppress or defer
    reason: str
    defer_seconds: float
    lead_status: str
    lead_wrote_first: bool
    opted_in: bool
    window_open: bool
    last_inbound_at: datetime | None


def record(
    session: Session,
    lead_id: uuid.UUID,
    action: str,
    source: str,
    *,
    channel: str | None = None,
    text_shown: str = "",
    evidence: dict | None = None,
    idempotency_key: str | None = None,
    rule: str | None = None,
) -> Consent:
    """Adds to the ledger; an opt-out suppresses the lead and cancels its pending conversation jobs.

    With an idempotency key, a repeat (a re-delivered webhook) returns the first entry and
    changes nothing."""
    lead = session.execute(select(Lead).where(Lead.id == lead_id).with_for_update()).scalar_one_or_none()
    if lead is None:
        raise LookupError(f"lead {lead_id} not found")
    if idempotency_key:
        # The lead's row lock above serialises repeats of one key.
        earlier = session.execute(
            select(Consent).where(
                Consent.lead_id == lead_id, Consent.evidence["idempotency_key"].astext == idempotency_key
            )
        ).scalar_one_or_none()
        if earlier is not None:
            return earlier
        evidence = {**(evidence or {}), "idempotency_key": idempotency_key}
    now = now_of(session)
    entry = Consent(
        id=uuid.uuid4(),
        company_id=lead.company_id,
        lead_id=lead_id,
        channel=channel,
        action=action,
        source=source[:64],
        text_shown=text_shown,
        evidence=evidence or {},
        created_at=now,
    )
    session.add(entry)
    previous = lead.status
    if action == "opt_out":
        lead.status = "opted_out"
        cancelled = cancel_jobs(session, lead_id, CONVERSATION_TASKS, f"lead opted out ({source})")
    else:
        cancelled = 0
        if lead.status == "opted_out":
            lead.status = "active"
    lead.updated_at = now
    events.record(
        session,
        f"consent.{action}",
        "lead",
        lead_id,
        company_id=lead.company_id,
        lead_id=lead_id,
        data={
            "source": source,
            "channel": channel,
            "from": previous,
            "to": lead.status,
            "jobs_cancelled": cancelled,
            # The consent table's row (docs/consent.md) that decided what follows.
            "rule": rule or consent_rules.for_signal(action, source).name,
        },
    )
    session.flush()
    return entry


def cancel_jobs(session: Session, lead_id: uuid.UUID, task_names: tuple[str, ...], reason: str) -> int:
    """Cancels the lead's jobs of these tasks that have not run yet (or wait for a retry)."""
    now = now_of(session)
    # Columns, not Job objects: on the send path this usually matches nothing, and py-spy
    # showed the ORM's entity machinery as a tenth of MarkMessageSent.
    cancelled = session.execute(
        update(Job)
        .where(Job.lead_id == lead_id, Job.task_name.in_(task_names), Job.status.in_(("queued", "failed")))
        .values(status="cancelled", error_message=reason[:4000], dispatch_until=None, updated_at=now)
        .returning(Job.id, Job.company_id, Job.task_name)
    ).all()
    record_cancelled(session, lead_id, cancelled, reason)
    return len(cancelled)


def record_cancelled(session: Session, lead_id: uuid.UUID, cancelled: list, reason: str) -> None:
    """What follows jobs cancelled for `reason` (rows with id, company_id and task_name): their
    events, and the messages they had reserved marked not sent."""
    events.record_many(
        session,
        [
            {
                "type": "job.cancelled",
                "entity_type": "job",
                "entity_id": job.id,
                "company_id": job.company_id,
                "lead_id": lead_id,
                "data": {"task_name": job.task_name, "reason": reason[:500]},
            }
            for job in cancelled
        ],
    )
    fail_reserved(session, lead_id, [job.id for job in cancelled], reason)


def fail_reserved(session: Session, lead_id: uuid.UUID, job_ids: list[uuid.UUID], reason: str) -> None:
    """Marks the messages that cancelled jobs had reserved, but not sent, as not sent:
    the conversation then says why instead of showing them queued for ever."""
    if not job_ids:
        return
    session.execute(
        update(Message)
        .where(
            Message.lead_id == lead_id,
            Message.job_id.in_(job_ids),
            Message.direction == "outbound",
            Message.status == "queued",
        )
        .values(status="failed", error_message=f"not sent: {reason}"[:4000], failed_at=now_of(session))
    )


def lead_timezone(lead: Lead, company: Company) -> ZoneInfo:
    """The lead's own zone if known, else the phone number's, else the company's."""
    candidates = [lead.profile.get("timezone") if lead.profile else None]
    try:
        zones = phone_timezones.time_zones_for_number(phonenumbers.parse(lead.phone))
        candidates.extend(z for z in zones if z and z != "Etc/Unknown")
    except phonenumbers.NumberParseException:
        pass
    candidates.extend([company.timezone, DEFAULT_TIMEZONE])
    for name in candidates:
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo(DEFAULT_TIMEZONE)


def quiet_hours(company: Company) -> tuple[time, time] | None:
    """The company's quiet hours (default 21:00-09:00), or None when switched off."""
    setting = (company.settings or {}).get("quiet_hours", {})
    if setting is None or setting is False:
        return None
    start = setting.get("start", "21:00")
    end = setting.get("end", "09:00")
    return time.fromisoformat(start), time.fromisoformat(end)


def seconds_until_allowed(now: datetime, zone: ZoneInfo, window: tuple[time, time] | None) -> float:
    """0 outside quiet hours; otherwise the seconds until they end, in the lead's zone."""
    if window is None:
        return 0.0
    start, end = window
    if start == end:
        return 0.0
    local = now.astimezone(zone)
    current = local.time()
    inside = (start <= current < end) if start < end else (current >= start or current < end)
    if not inside:
        return 0.0
    end_day = local.date() if current < end else local.date() + timedelta(days=1)
    ends = datetime.combine(end_day, end, tzinfo=zone)
    return max((ends - local).total_seconds(), 0.0)


def _confirmation(
    session: Session, lead: Lead, opt_out_source: str | None, opted_out_at: datetime | None
) -> tuple[str, str]:
    """The one confirmation an opt-out may get: only for an opt-out the lead wrote (the consent
    table's CONFIRM rows), only once, and only while it still answers the lead's latest message:
    once the lead has written again (a web form weeks later), a confirmation would be a stale
    message on another occasion, so nothing goes out."""
    if not consent_rules.confirms(opt_out_source):
        return SUPPRESS, f"an opt-out from {opt_out_source or 'an unknown source'} gets no confirmation"
    confirmed, wrote_since = session.execute(
        select(
            exists().where(
                Message.lead_id == lead.id,
                Message.direction == "outbound",
                Message.meta["purpose"].astext == OPT_OUT_CONFIRMATION,
                Message.status.in_(("sent", "delivered", "read")),
                Message.created_at >= opted_out_at,
            ),
            exists().where(
                Message.lead_id == lead.id,
                Message.direction == "inbound",
                Message.created_at > opted_out_at,
            ),
        )
    ).one()
    if confirmed:
        return SUPPRESS, "the opt-out was already confirmed"
    if wrote_since:
        return SUPPRESS, "the lead wrote again after opting out; the confirmation is not owed any more"
    return ALLOW, ""


def policy(session: Session, lead_id: uuid.UUID, channel: str, purpose: str) -> Policy:
    """May this message go out now? Called at send time, after everything was scheduled."""
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise LookupError(f"lead {lead_id} not found")
    now = now_of(session)
    window_sources = WINDOW_SOURCES.get(channel)
    opens_window = Message.source.in_(window_sources) if window_sources else true()
    # The lead's history that matters here, in one statement (this runs on every send): the
    # aggregate row always exists; the newest consent is outer-joined to it.
    inbound = (
        select(
            func.max(Message.created_at).label("last"),
            func.max(Message.created_at).filter(opens_window).label("in_window"),
        )
        .where(Message.lead_id == lead_id, Message.direction == "inbound", Message.channel == channel)
        .subquery()
    )
    newest_consent = (
        select(Consent.action, Consent.source, Consent.created_at)
        .where(Consent.lead_id == lead_id)
        .order_by(Consent.created_at.desc())
        .limit(1)
        .subquery()
    )
    wrote_first, last_inbound, last_in_window, consent_action, consent_source, consent_at = session.execute(
        select(
            exists().where(Message.lead_id == lead_id, Message.direction == "inbound"),
            inbound.c.last,
            inbound.c.in_window,
            newest_consent.c.action,
            newest_consent.c.source,
            newest_consent.c.created_at,
        ).select_from(inbound.outerjoin(newest_consent, true()))
    ).one()
    opted_in = consent_action == "opt_in"

    def decide(decision: str, reason: str = "", defer: float = 0.0) -> Policy:
        return Policy(
            decision=decision,
            reason=reason,
            defer_seconds=defer,
            lead_status=lead.status,
            lead_wrote_first=wrote_first,
            opted_in=opted_in,
            window_open=last_in_window is not None and now - last_in_window < REPLY_WINDOW,
            last_inbound_at=last_inbound,
        )

    gone = bounces.undeliverable(lead, channel)
    if gone is not None:
        return decide(SUPPRESS, f"the lead's address on this channel does not exist ({gone})")
    if lead.status == "opted_out":
        if purpose != OPT_OUT_CONFIRMATION:
            return decide(SUPPRESS, "the lead opted out")
        return decide(*_confirmation(session, lead, consent_source, consent_at))
    if purpose == OPT_OUT_CONFIRMATION:
        return decide(SUPPRESS, "the lead has not opted out")
    # HANDOFF, the reply telling the lead a counsellor takes over, is the one
    # message the AI still sends once the lead is handed off.
    if lead.status == "handed_off" and purpose in (REPLY, FOLLOWUP, SEQUENCE):
        return decide(SUPPRESS, "a counsellor has taken over this conversation")
    if lead.status in ("enrolled", "lost") and purpose in PROACTIVE:
        return decide(SUPPRESS, f"the lead is {lead.status}; follow-ups stop")
    if purpose in PROACTIVE:
        company = session.get(Company, lead.company_id)
        wait = seconds_until_allowed(now, lead_timezone(lead, company), quiet_hours(company))
        if wait > 0:
            return decide(DEFER, "quiet hours in the lead's time zone", wait)
    return decide(ALLOW)
