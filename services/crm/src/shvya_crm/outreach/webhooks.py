"""Webhooks: companies subscribe URLs to events; each event becomes a signed webhook_reminder job.

The body is fixed when the event happens (a later change to the lead does
not rewrite history) and signed each time it is posted, with the company's
current secret, the Standard Webhooks way: webhook-id (the delivery, the same
on every attempt), webhook-timestamp (this attempt, in Unix seconds) and
webhook-signature = "v1," + base64(HMAC-SHA256(secret, id + "." + timestamp + "." + body)),
so that a receiver can refuse a replayed or stale post. The older
X-Shvya-Signature-256 = "sha256=" + hex(HMAC-SHA256(secret, body)) is still sent,
deprecated: it signs neither the time nor the delivery.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.ledger import jobs
from shvya_crm.storage import driver, events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, Job, Lead, Stage, WebhookSubscription
from shvya_rpc import tasks
from shvya_rpc.errors import FieldErrors

EVENTS = ("lead.created", "lead.hot", "hand_off", "enrolled", "opted_out", "assigned")
TASK = tasks.WEBHOOK_REMINDER
MAX_URL_CHARS = 2000
SIGNATURE_HEADER = "X-Shvya-Signature-256"


@dataclass(frozen=True)
class Delivery:
    proceed: bool
    reason: str = ""
    url: str = ""
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def standard_signature(secret: str, delivery_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks' webhook-signature, keyed with the secret's bytes (a receiver using a
    Standard Webhooks library passes "whsec_" + base64 of them)."""
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest()).decode()


def _check(url: str, names: list[str]) -> None:
    errors = {}
    parts = urlsplit(url.strip())
    if len(url) > MAX_URL_CHARS or parts.scheme not in ("http", "https") or not parts.hostname:
        errors["subscription.url"] = f"must be an http(s) URL of at most {MAX_URL_CHARS} characters"
    elif any(c.isspace() for c in url.strip()):
        errors["subscription.url"] = "must not contain spaces"
    unknown = [n for n in names if n not in EVENTS]
    if not names or unknown:
        errors["subscription.events"] = f"must name events among {', '.join(EVENTS)}"
    if errors:
        raise FieldErrors(errors)


def _company(session: Session, company_id: uuid.UUID, *, lock: bool = False) -> Company:
    company = session.get(Company, company_id, with_for_update=lock)
    if company is None:
        raise LookupError(f"company {company_id} not found")
    return company


def secret(session: Session, company_id: uuid.UUID) -> str:
    """The company's signing secret, created on first use."""
    company = _company(session, company_id, lock=True)
    value = (company.settings or {}).get("webhook_secret")
    if not value:
        value = _store_secret(session, company)
    return value


def rotate(session: Session, company_id: uuid.UUID) -> str:
    company = _company(session, company_id, lock=True)
    value = _store_secret(session, company)
    events.record(session, "webhook.secret_rotated", "company", company_id, company_id=company_id)
    return value


def _store_secret(session: Session, company: Company) -> str:
    value = secrets.token_hex(32)
    company.settings = {**(company.settings or {}), "webhook_secret": value}
    company.updated_at = now_of(session)
    session.flush()
    return value


def upsert(
    session: Session,
    *,
    subscription_id: uuid.UUID | None,
    company_id: uuid.UUID,
    url: str,
    names: list[str],
    active: bool,
) -> tuple[WebhookSubscription, bool]:
    """Creates a subscription, or replaces the one with this id (or this company and URL)."""
    names = list(dict.fromkeys(names))
    _check(url, names)
    url = url.strip()
    _company(session, company_id)
    now = now_of(session)
    if subscription_id is not None:
        row = session.get(WebhookSubscription, subscription_id)
        if row is None or row.company_id != company_id:
            raise LookupError(f"webhook subscription {subscription_id} not found")
        row.url, row.events, row.is_active, row.updated_at = url, names, active, now
        created = False
    else:
        inserted = session.execute(
            pg_insert(WebhookSubscription)
            .values(
                id=uuid.uuid4(),
                company_id=company_id,
                url=url,
                events=names,
                is_active=active,
                created_at=now,
                updated_at=now,
            )
            .on_conflict_do_update(
                index_elements=["company_id", "url"],
                set_={"events": names, "is_active": active, "updated_at": now},
            )
            .returning(WebhookSubscription.id, WebhookSubscription.created_at)
        ).one()
        row = session.get(WebhookSubscription, inserted.id, populate_existing=True)
        created = inserted.created_at == now
    events.record(
        session,
        "webhook.subscribed" if created else "webhook.updated",
        "webhook_subscription",
        row.id,
        company_id=company_id,
        data={"url": url, "events": names, "active": active},
    )
    session.flush()
    return row, created


def list_for(session: Session, company_id: uuid.UUID) -> list[WebhookSubscription]:
    return list(
        session.scalars(
            select(WebhookSubscription)
            .where(WebhookSubscription.company_id == company_id)
            .order_by(WebhookSubscription.created_at, WebhookSubscription.url)
        )
    )


def remove(session: Session, subscription_id: uuid.UUID) -> None:
    company_id = session.execute(
        delete(WebhookSubscription)
        .where(WebhookSubscription.id == subscription_id)
        .returning(WebhookSubscription.company_id)
    ).scalar_one_or_none()
    if company_id is None:
        raise LookupError(f"webhook subscription {subscription_id} not found")
    events.record(session, "webhook.deleted", "webhook_subscription", subscription_id, company_id=company_id)


def _lead_snapshot(session: Session, lead_id: uuid.UUID | None) -> dict[str, Any] | None:
    if lead_id is None:
        return None
    row = session.execute(
        select(Lead, Stage.key).outerjoin(Stage, Stage.id == Lead.stage_id).where(Lead.id == lead_id)
    ).one_or_none()
    if row is None:
        return None
    lead, stage = row
    return {
        "id": str(lead.id),
        "name": lead.contact_name,
        "phone_number": lead.phone,
        "email": lead.email,
        "channel": lead.channel,
        "status": lead.status,
        "stage": stage or "",
        "course": (lead.profile or {}).get("course", ""),
        "created_at": lead.created_at.isoformat() if lead.created_at else None,
    }


# Asked for every lead.created (every new lead's intake), usually of a company with no
# subscription: SQL text on the session's cursor, not an ORM query (storage.driver).
_SUBSCRIBED = (
    "SELECT id FROM webhook_subscriptions"
    " WHERE company_id = %(company_id)s AND is_active AND %(name)s::text = ANY(events)"
)


def raise_event(session: Session, *, event_id: int, name: str, event: dict[str, Any]) -> list[Job]:
    """Queues one webhook_reminder per active subscription of the company to `name`."""
    company_id = event["company_id"]
    with driver.Cursor(session) as cursor:
        subscriptions = cursor.execute(_SUBSCRIBED, {"company_id": company_id, "name": name}).all()
    if not subscriptions:
        return []
    body = json.dumps(
        {
            "id": str(event_id),
            "type": name,
            "created_at": event["created_at"].isoformat(),
            "company_id": str(company_id),
            "lead": _lead_snapshot(session, event.get("lead_id")),
            "data": event.get("data") or {},
        },
        default=str,
        separators=(",", ":"),
    )
    queued = []
    for (subscription_id,) in subscriptions:
        job, _ = jobs.schedule(
            session,
            task_name=TASK,
            idempotency_key=f"{TASK}_{subscription_id}_{event_id}",
            company_id=company_id,
            lead_id=event.get("lead_id"),
            payload={
                "subscription_id": str(subscription_id),
                "event": name,
                "event_id": str(event_id),
                "body": body,
            },
            run_at=now_of(session),
        )
        queued.append(job)
    return queued


def prepare(session: Session, job_id: uuid.UUID) -> Delivery:
    """What to post for a webhook_reminder job, signed with the company's current secret."""
    job = session.get(Job, job_id)
    if job is None:
        raise LookupError(f"job {job_id} not found")
    if job.task_name != TASK:
        raise FieldErrors({"job_id": f"is a {job.task_name} job, not {TASK}"})
    payload = job.payload or {}
    try:
        subscription = session.get(WebhookSubscription, uuid.UUID(payload.get("subscription_id", "")))
    except ValueError:
        subscription = None
    if subscription is None:
        return Delivery(False, "the webhook subscription was deleted")
    if not subscription.is_active:
        return Delivery(False, "the webhook subscription is inactive")
    body = payload.get("body", "")
    key = secret(session, subscription.company_id)
    # The wall clock, not the crm's (movable in tests): receivers compare it with theirs.
    timestamp = int(time.time())
    return Delivery(
        True,
        url=subscription.url,
        body=body,
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Shvya-Webhooks/1.0",
            "X-Shvya-Event": payload.get("event", ""),
            "X-Shvya-Delivery": str(job.id),
            "webhook-id": str(job.id),
            "webhook-timestamp": str(timestamp),
            "webhook-signature": standard_signature(key, str(job.id), timestamp, body.encode()),
            SIGNATURE_HEADER: sign(key, body.encode()),
        },
    )
