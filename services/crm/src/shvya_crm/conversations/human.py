"""A counsellor's reply: reserved under the caller's key with its human_reply job, in one transaction."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shvya_crm.assignment.counsellors import NotPossible, company_user
from shvya_crm.assignment.handling import stop_timer
from shvya_crm.conversations import outbound
from shvya_crm.leads import consent
from shvya_crm.ledger import jobs
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, Lead, Message, Template
from shvya_rpc import tasks
from shvya_rpc.errors import FieldErrors

TASK = tasks.HUMAN_REPLY
MAX_TEXT_CHARS = 4096
MAX_KEY_CHARS = 200
# The author recorded when no user is named: the operator's key.
OPERATOR = "admin"
_VARIABLE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@dataclass(frozen=True)
class HumanReply:
    lead_id: uuid.UUID
    idempotency_key: str
    text: str = ""
    template_name: str = ""
    template_language: str = ""
    template_parameters: tuple[str, ...] = ()
    author_user_id: uuid.UUID | None = None
    subject: str = ""


def _channel(session: Session, lead: Lead) -> str:
    """The lead's channel for a reply: where the student last wrote, else where they first came from."""
    last = session.execute(
        select(Message.channel)
        .where(Message.lead_id == lead.id, Message.direction == "inbound")
        .order_by(Message.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    return last or lead.channel


def _template(session: Session, lead: Lead, reply: HumanReply) -> tuple[str, dict]:
    """The approved template's body filled with the parameters, and what the channel needs to send it."""
    query = select(Template).where(
        Template.company_id == lead.company_id,
        Template.channel == "wa_cloud",
        Template.name == reply.template_name,
    )
    if reply.template_language:
        query = query.where(Template.language == reply.template_language)
    template = session.scalars(query.order_by(Template.language).limit(1)).first()
    if template is None:
        raise FieldErrors({"template_name": f"no whatsapp_cloud template named {reply.template_name!r}"})
    names = list(template.variables) or list(dict.fromkeys(_VARIABLE.findall(template.body)))
    if len(reply.template_parameters) != len(names):
        raise FieldErrors(
            {
                "template_parameters": f"template {template.name} takes {len(names)} parameters ({', '.join(names)})"
            }
        )
    # Meta refuses line breaks and tabs inside a parameter.
    parameters = [" ".join(p.split()) for p in reply.template_parameters]
    if any(not p for p in parameters):
        raise FieldErrors({"template_parameters": "must not be empty"})
    values = dict(zip(names, parameters, strict=True))
    text = _VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), template.body)
    return text, {"name": template.name, "language": template.language, "parameters": parameters}


def _subject(session: Session, lead: Lead, given: str) -> str:
    if given.strip():
        return given.strip()[:300]
    last = session.execute(
        select(Message.subject)
        .where(Message.lead_id == lead.id, Message.subject != "")
        .order_by(Message.created_at.desc())
        .limit(1)
    ).scalar_one_or_none()
    if last:
        return last if last.lower().startswith("re:") else f"Re: {last}"
    company = session.get(Company, lead.company_id)
    return f"A message from {company.name}" if company else "A message from your counsellor"


def _check(reply: HumanReply) -> None:
    errors = {}
    key = reply.idempotency_key.strip()
    if not key or len(key) > MAX_KEY_CHARS:
        errors["idempotency_key"] = f"is required (at most {MAX_KEY_CHARS} characters)"
    if bool(reply.text.strip()) == bool(reply.template_name):
        errors["text"] = "give either text or template_name"
    elif len(reply.text) > MAX_TEXT_CHARS:
        errors["text"] = f"must be at most {MAX_TEXT_CHARS} characters"
    if errors:
        raise FieldErrors(errors)


def _payload(lead: Lead, message: Message, template: dict | None) -> dict[str, str]:
    """What the conductor needs to send it: the template goes with the job, as the channel wants it."""
    payload = {"lead_id": str(lead.id), "message_id": str(message.id)}
    if template:
        payload |= {
            "template_name": template["name"],
            "template_language": template["language"],
            "template_parameters": json.dumps(template["parameters"]),
        }
    return payload


def send(session: Session, reply: HumanReply) -> tuple[Message, bool]:
    """Reserves the reply and writes its job; a repeat of the key returns the first reply."""
    _check(reply)
    lead = session.get(Lead, reply.lead_id, with_for_update=True)
    if lead is None:
        raise LookupError(f"lead {reply.lead_id} not found")
    key = f"human:{reply.idempotency_key.strip()}"
    earlier = session.execute(
        select(Message).where(Message.company_id == lead.company_id, Message.idempotency_key == key)
    ).scalar_one_or_none()
    if earlier is not None:
        if earlier.lead_id != lead.id or (reply.text.strip() and earlier.text != reply.text.strip()):
            raise NotPossible(f"idempotency key {reply.idempotency_key} was already used for another message")
        return earlier, False
    author = OPERATOR
    if reply.author_user_id is not None:
        user = company_user(session, lead.company_id, reply.author_user_id, "author_user_id")
        if not user.is_active:
            raise NotPossible(f"user {user.id} is deactivated")
        author = str(user.id)
    channel = _channel(session, lead)
    if reply.template_name and channel != "wa_cloud":
        raise FieldErrors({"template_name": "templates are for leads on whatsapp_cloud; send text"})
    # Refused now, while the counsellor is looking, rather than failing in the background.
    policy = consent.policy(session, lead.id, channel, consent.COUNSELLOR)
    if policy.decision == consent.SUPPRESS:
        raise NotPossible(f"not sent: {policy.reason}")
    if channel == "wa_cloud" and not policy.window_open and not reply.template_name:
        raise FieldErrors(
            {
                "template_name": "the student has not written on WhatsApp in the last 24 hours: only an "
                "approved template may be sent (name one, with its parameters)"
            }
        )
    meta: dict = {"author": author}
    text = reply.text.strip()
    if reply.template_name:
        text, meta["template"] = _template(session, lead, reply)
    message, created = outbound.reserve(
        session,
        lead_id=lead.id,
        channel=channel,
        text=text,
        subject=_subject(session, lead, reply.subject) if channel == "email" else "",
        idempotency_key=key,
        job_id=None,
        ai_turn=None,
        purpose=consent.COUNSELLOR,
        meta=meta,
        source="counsellor",
        author_user_id=reply.author_user_id,
    )
    if not created:  # a concurrent request with the same key won
        return message, False
    job, _ = jobs.schedule(
        session,
        task_name=TASK,
        idempotency_key=f"{TASK}:{message.id}",
        company_id=lead.company_id,
        lead_id=lead.id,
        payload=_payload(lead, message, meta.get("template")),
        run_at=now_of(session),
    )
    message.job_id = job.id
    # A person answered the student: nobody needs to be found for them any more.
    stop_timer(session, lead.id, "a counsellor replied")
    events.record(
        session,
        "message.written_by_counsellor",
        "message",
        message.id,
        company_id=lead.company_id,
        lead_id=lead.id,
        data={"author": author, "channel": channel, "job_id": str(job.id)},
    )
    session.flush()
    return message, True
