"""Preparing a proactive message (a follow-up bump or a sequence step) when its job runs.

At run time, not at scheduling time, the crm decides whether the message is
still wanted (the lead has not replied, opted out, been handed off or
enrolled; the bump limit; the enrolment is active), defers it in quiet
hours, renders its words and reserves it under the job's key, so that a job
that runs again finds the same message instead of writing another.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from shvya_crm.conversations import knowledge, outbound
from shvya_crm.leads import consent, unsubscribe
from shvya_crm.outreach import company_settings, followups, sequences, templates
from shvya_crm.storage.models import Company, Job, Lead, Message, Sequence, SequenceEnrolment, Template
from shvya_rpc.errors import FieldErrors

MAX_REFERENCES = 20


@dataclass(frozen=True)
class CloudTemplate:
    name: str
    language: str
    parameters: list[str]


@dataclass(frozen=True)
class Prepared:
    proceed: bool
    reason: str = ""
    defer_seconds: float = 0.0
    lead: Lead | None = None
    message: Message | None = None
    sender_name: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    unsubscribe_token: str = ""
    template: CloudTemplate | None = None
    marketing: bool = False


def skip(reason: str) -> Prepared:
    return Prepared(False, reason)


def prepare(session: Session, job_id: uuid.UUID) -> Prepared:
    job = session.get(Job, job_id)
    if job is None:
        raise LookupError(f"job {job_id} not found")
    if job.task_name == followups.TASK:
        return _followup(session, job)
    if job.task_name in sequences.TASKS:
        return _sequence_step(session, job)
    raise FieldErrors({"job_id": f"is a {job.task_name} job, not a follow-up or sequence step"})


# -- shared ---------------------------------------------------------------------


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


def _fold(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split()) + " "


def _course_from_conversation(session: Session, lead: Lead) -> str:
    """The catalogue course the lead wrote about, when the lead named it (never a guess)."""
    texts = session.scalars(
        select(Message.text)
        .where(Message.lead_id == lead.id, Message.direction == "inbound")
        .order_by(Message.created_at.desc())
        .limit(5)
    ).all()
    said = _fold(" ".join(texts))
    if not said.strip():
        return ""
    for match in knowledge.search(session, lead.company_id, " ".join(texts), 3):
        names = [match.document.title, *(t for t in match.document.tags if len(t) >= 4 and t != "course")]
        if any(_fold(name) in said for name in names):
            return match.document.title
    return ""


def variables(session: Session, lead: Lead, company: Company, course_hint: str = "") -> dict[str, str]:
    name = lead.contact_name.strip()
    course = (lead.profile or {}).get("course") or course_hint or _course_from_conversation(session, lead)
    return {
        "first_name": name.split()[0] if name else "there",
        "name": name or "there",
        "course": course or "our courses",
        "company": company.name,
        "phone": lead.phone,
        "email": lead.email or "",
    }


def _thread(session: Session, lead: Lead) -> tuple[str, str, list[str]]:
    """(subject, in_reply_to, references) that keep a follow-up in the lead's email thread."""
    rows = session.execute(
        select(Message.subject, Message.external_id)
        .where(
            Message.lead_id == lead.id,
            Message.channel == "email",
            Message.external_id.is_not(None),
            Message.external_id.startswith("<"),
        )
        .order_by(Message.created_at, Message.id)
    ).all()
    ids = [row.external_id for row in rows]
    root = next((row.subject for row in rows if row.subject.strip()), "") or "Your enquiry"
    while re.match(r"(?i)^\s*re:\s*", root):
        root = re.sub(r"(?i)^\s*re:\s*", "", root, count=1)
    if len(ids) > MAX_REFERENCES:
        # RFC 5322 allows trimming the middle of References; the first and the latest matter.
        ids = [ids[0], *ids[-(MAX_REFERENCES - 1) :]]
    return f"Re: {root}", ids[-1] if ids else "", ids


def _reserved(session: Session, lead: Lead, key: str) -> Message | None:
    return session.execute(
        select(Message).where(Message.company_id == lead.company_id, Message.idempotency_key == key)
    ).scalar_one_or_none()


def _again(session: Session, lead: Lead, message: Message) -> Prepared:
    """The message this job reserved on an earlier run, with what its send needs."""
    meta = message.meta or {}
    template = meta.get("template")
    return Prepared(
        True,
        lead=lead,
        message=message,
        sender_name=session.get(Company, lead.company_id).name,
        in_reply_to=meta.get("in_reply_to", ""),
        references=list(meta.get("references", [])),
        unsubscribe_token=_token(session, lead, message.channel),
        template=CloudTemplate(**template) if template else None,
        marketing=True,
    )


def _token(session: Session, lead: Lead, channel: str) -> str:
    if channel != "email" or not lead.email:
        return ""
    return unsubscribe.token_for(session, lead, "email", lead.email)


def _cloud_template(row: Template, values: dict[str, str]) -> CloudTemplate:
    return CloudTemplate(row.name, row.language, [values.get(v, "") for v in row.variables])


def _reserve(
    session: Session,
    *,
    job: Job,
    lead: Lead,
    company: Company,
    channel: str,
    text: str,
    subject: str,
    purpose: str,
    meta: dict,
    in_reply_to: str = "",
    references: list[str] | None = None,
    template: CloudTemplate | None = None,
) -> Prepared:
    if template is not None:
        meta = {**meta, "template": template.__dict__}
    if in_reply_to:
        meta = {**meta, "in_reply_to": in_reply_to, "references": references or []}
    message, _ = outbound.reserve(
        session,
        lead_id=lead.id,
        channel=channel,
        text=text,
        subject=subject,
        idempotency_key=f"{job.idempotency_key}:send",
        job_id=job.id,
        ai_turn=None,
        purpose=purpose,
        meta=meta,
    )
    return Prepared(
        True,
        lead=lead,
        message=message,
        sender_name=company.name,
        in_reply_to=in_reply_to,
        references=references or [],
        unsubscribe_token=_token(session, lead, channel),
        template=template,
        marketing=True,
    )


# -- follow-up bumps ----------------------------------------------------------------


def _followup(session: Session, job: Job) -> Prepared:
    lead = session.get(Lead, job.lead_id) if job.lead_id else None
    if lead is None:
        return skip("the lead no longer exists")
    existing = _reserved(session, lead, f"{job.idempotency_key}:send")
    if existing is not None:
        return _again(session, lead, existing)
    after_id = _uuid(job.payload.get("after_message_id"))
    after = session.get(Message, after_id) if after_id else None
    if lead.last_inbound_at is not None and after is not None and lead.last_inbound_at > after.created_at:
        return skip("the lead replied")
    if after is not None and _newer_outbound(session, after):
        return skip("a newer message awaits the lead's reply")
    company = session.get(Company, lead.company_id)
    settings = company_settings.effective(company)
    sent = followups.bumps_since_last_inbound(session, lead)
    if sent >= settings.max_bumps:
        return skip(
            f"{sent} follow-up(s) already sent since the lead last wrote (limit {settings.max_bumps})"
        )
    channel = after.channel if after is not None else lead.channel
    policy = consent.policy(session, lead.id, channel, consent.FOLLOWUP)
    if policy.decision == consent.SUPPRESS:
        return skip(policy.reason)
    if policy.decision == consent.DEFER:
        return Prepared(False, policy.reason, policy.defer_seconds)
    bump = sent + 1
    values = variables(session, lead, company)
    own = templates.find(session, company.id, f"followup_{bump}", channel)
    body = (
        own.body
        if own is not None and own.channel == channel
        else followups.wording(bump, settings.max_bumps)
    )
    text = templates.render(body, values)
    meta = {"bump": bump, "after_message_id": str(after.id) if after else ""}
    if channel == "email":
        subject, in_reply_to, references = _thread(session, lead)
        return _reserve(
            session,
            job=job,
            lead=lead,
            company=company,
            channel=channel,
            text=text,
            subject=subject,
            purpose=consent.FOLLOWUP,
            meta=meta,
            in_reply_to=in_reply_to,
            references=references,
        )
    template = None
    if channel == "wa_cloud":
        name = settings.followup_template
        row = templates.find(session, company.id, f"{name}_{bump}", "wa_cloud") or templates.find(
            session, company.id, name, "wa_cloud"
        )
        # Only a template the company registered (as approved at Meta); without one the
        # conductor picks the company's template for follow-ups, or fails the message
        # saying none is registered, exactly as for a first reply.
        if row is not None and row.channel == "wa_cloud":
            template = _cloud_template(row, values)
    return _reserve(
        session,
        job=job,
        lead=lead,
        company=company,
        channel=channel,
        text=text,
        subject="",
        purpose=consent.FOLLOWUP,
        meta=meta,
        template=template,
    )


def _newer_outbound(session: Session, after: Message) -> bool:
    """Another reply or bump went out after the one this bump follows (its own bump will follow it)."""
    return (
        session.execute(
            select(Message.id)
            .where(
                Message.lead_id == after.lead_id,
                Message.direction == "outbound",
                Message.created_at > after.created_at,
                Message.status.in_(followups.SENT),
                Message.meta["purpose"].astext.in_(followups.AWAITS_REPLY),
            )
            .limit(1)
        ).first()
        is not None
    )


# -- sequence steps -------------------------------------------------------------------


def _replied_since(session: Session, lead: Lead, enrolment: SequenceEnrolment) -> bool:
    return lead.last_inbound_at is not None and lead.last_inbound_at > enrolment.created_at


def _sequence_step(session: Session, job: Job) -> Prepared:
    enrolment = session.get(SequenceEnrolment, _uuid(job.payload.get("enrolment_id")), with_for_update=True)
    if enrolment is None:
        return skip("the enrolment no longer exists")
    lead = session.get(Lead, enrolment.lead_id)
    if enrolment.status != "active":
        consent.fail_reserved(session, lead.id, [job.id], f"the enrolment is {enrolment.status}")
        return skip(f"the enrolment is {enrolment.status}")
    existing = _reserved(session, lead, f"{job.idempotency_key}:send")
    if existing is not None:
        return _again(session, lead, existing)
    position = int(job.payload.get("position", "0") or 0)
    if enrolment.next_position != position:
        return skip(f"step {position} was already handled")
    sequence = session.get(Sequence, enrolment.sequence_id)
    if not sequence.is_active:
        sequences.stop(session, enrolment, "the sequence was deactivated")
        return skip("the sequence was deactivated")
    step = sequences.step_at(session, sequence.id, position)
    if step is None:
        sequences.advance(session, enrolment, after_position=position)
        return skip(f"the sequence has no step {position} any more")
    stops = {
        "replied": _replied_since(session, lead, enrolment),
        "handed_off": lead.status == "handed_off",
        "enrolled": lead.status == "enrolled",
    }
    for condition in step.stop_conditions:
        if stops.get(condition):
            reason = f"stop condition '{condition}' of step {position}"
            sequences.stop(session, enrolment, reason)
            return skip(reason)
    policy = consent.policy(session, lead.id, step.channel, consent.SEQUENCE)
    if policy.decision == consent.SUPPRESS:
        sequences.stop(session, enrolment, policy.reason)
        return skip(policy.reason)
    if policy.decision == consent.DEFER:
        return Prepared(False, policy.reason, policy.defer_seconds)
    template = session.get(Template, step.template_id) if step.template_id else None
    unreachable = step.channel == "email" and not lead.email
    if template is None or unreachable:
        reason = "the lead has no email address" if unreachable else "the step's template was deleted"
        sequences.advance(session, enrolment, after_position=position)
        return skip(f"step {position} skipped: {reason}")
    company = session.get(Company, lead.company_id)
    values = variables(session, lead, company, (sequence.trigger or {}).get("course", ""))
    cloud = None
    if step.channel == "wa_cloud":
        # The step's own template when it is a registered WhatsApp one; otherwise the
        # conductor picks the company's approved template for sequences (or says none is).
        cloud = _cloud_template(template, values) if template.channel == "wa_cloud" else None
    return _reserve(
        session,
        job=job,
        lead=lead,
        company=company,
        channel=step.channel,
        text=templates.render(template.body, values),
        subject=templates.render(template.subject, values) or sequence.name,
        purpose=consent.SEQUENCE,
        meta={"enrolment_id": str(enrolment.id), "sequence_id": str(sequence.id), "position": position},
        template=cloud,
    )
