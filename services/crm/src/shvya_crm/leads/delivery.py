"""Delivery truth: a channel's reports (sent, delivered, read, failed) applied to outbound messages.

A message's status only moves forward. Meta does not promise the order of its
status webhooks (a `read` may come without a `delivered`, or before it), so
each report is ranked rather than applied in arrival order:

    queued < sent < failed < delivered < read

`failed` outranks `sent` (a send Meta accepted can still fail to arrive) but
not `delivered`: a message the student's phone received was delivered,
whatever came after. A report that outranks the status fills in the
timestamps it implies (read implies delivered, delivered implies sent).

A report can also overtake the send it is about: Meta may post `sent` before
the conductor has recorded the wamid that the send returned. Such a report is
kept (delivery_receipts, message_id NULL) and applied when mark_sent records
the external id. Both paths take the same advisory lock on the external id, so
a report and the send that names it never miss each other.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import DELIVERY_STATUSES, DeliveryReceipt, Message
from shvya_rpc.errors import FieldErrors

RANK = {"queued": 0, "sent": 1, "failed": 2, "delivered": 3, "read": 4}
MAX_EXTERNAL_ID = 255


@dataclass(frozen=True)
class Applied:
    message: Message | None
    applied: bool
    duplicate: bool
    pending: bool


def lock_external_id(session: Session, external_id: str) -> None:
    """Serialises the reports about one external id with the send that records it."""
    digest = hashlib.blake2b(f"delivery|{external_id}".encode(), digest_size=8).digest()
    session.execute(
        text("SELECT pg_advisory_xact_lock(:k)"), {"k": int.from_bytes(digest, "big", signed=True)}
    )


def validate(external_id: str, status: str | None) -> None:
    errors = {}
    if not external_id.strip():
        errors["external_id"] = "is required"
    elif len(external_id) > MAX_EXTERNAL_ID:
        errors["external_id"] = f"must be at most {MAX_EXTERNAL_ID} characters"
    if status not in DELIVERY_STATUSES:
        errors["status"] = "must be MESSAGE_STATUS_SENT, _DELIVERED, _READ or _FAILED"
    if errors:
        raise FieldErrors(errors)


def apply(
    session: Session,
    *,
    channel: str,
    external_id: str,
    status: str,
    occurred_at: datetime | None = None,
    error_code: str = "",
    error_message: str = "",
    recipient: str = "",
) -> Applied:
    """Records the report once and applies it to its message, or keeps it until the message exists."""
    validate(external_id, status)
    lock_external_id(session, external_id)
    receipt_id = session.execute(
        pg_insert(DeliveryReceipt)
        .values(
            id=uuid.uuid4(),
            channel=channel,
            external_id=external_id,
            status=status,
            error_code=error_code[:64],
            error_message=error_message[:4000],
            recipient=recipient[:64],
            occurred_at=occurred_at,
            received_at=now_of(session),
        )
        .on_conflict_do_nothing(index_elements=["channel", "external_id", "status"])
        .returning(DeliveryReceipt.id)
    ).scalar_one_or_none()
    message = session.execute(
        select(Message)
        .where(
            Message.channel == channel,
            Message.external_id == external_id,
            Message.direction == "outbound",
        )
        .with_for_update()
    ).scalar_one_or_none()
    if receipt_id is None:
        return Applied(message, applied=False, duplicate=True, pending=message is None)
    if message is None:
        return Applied(None, applied=False, duplicate=False, pending=True)
    receipt = session.get(DeliveryReceipt, receipt_id)
    moved = _move(session, message, receipt)
    return Applied(message, applied=moved, duplicate=False, pending=False)


def apply_pending(session: Session, message: Message) -> None:
    """Applies the reports that arrived before the send recorded this message's external id.

    The caller holds lock_external_id for the message's external id."""
    if not message.external_id:
        return
    receipts = session.scalars(
        select(DeliveryReceipt)
        .where(
            DeliveryReceipt.channel == message.channel,
            DeliveryReceipt.external_id == message.external_id,
            DeliveryReceipt.message_id.is_(None),
        )
        .order_by(case(RANK, value=DeliveryReceipt.status))
    ).all()
    for receipt in receipts:
        _move(session, message, receipt)


def _move(session: Session, message: Message, receipt: DeliveryReceipt) -> bool:
    """Moves the message forward if the report outranks its status; links the report either way."""
    now = now_of(session)
    session.execute(
        update(DeliveryReceipt)
        .where(DeliveryReceipt.id == receipt.id)
        .values(message_id=message.id, applied_at=now)
    )
    if RANK[receipt.status] <= RANK.get(message.status, 0):
        # An older report arriving late (delivered after read) still adds
        # the time it stands for, without moving the status back.
        if receipt.status == "delivered" and message.delivered_at is None and message.status == "read":
            message.delivered_at = now
        return False
    previous = message.status
    message.status = receipt.status
    if receipt.status in ("sent", "delivered", "read") and message.sent_at is None:
        message.sent_at = now
    if receipt.status in ("delivered", "read"):
        message.delivered_at = message.delivered_at or now
        # It reached the student after all: the earlier failure is history (in the events).
        message.error_message = ""
    if receipt.status == "read" and message.read_at is None:
        message.read_at = now
    if receipt.status == "failed":
        message.failed_at = now
        reason = receipt.error_message or "the channel reported the message as failed"
        message.error_message = (f"{receipt.error_code}: {reason}" if receipt.error_code else reason)[:4000]
    events.record(
        session,
        f"message.{receipt.status}",
        "message",
        message.id,
        company_id=message.company_id,
        lead_id=message.lead_id,
        data={
            "from": previous,
            "to": receipt.status,
            "channel": message.channel,
            "external_id": message.external_id,
            "occurred_at": receipt.occurred_at.isoformat() if receipt.occurred_at else None,
            "error_code": receipt.error_code or None,
        },
    )
    session.flush()
    return True
