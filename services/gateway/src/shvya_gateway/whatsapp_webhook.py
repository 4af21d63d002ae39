"""Meta's WhatsApp Cloud API webhook: the signature check, and the payload read into plain records.

Envelope (docs/channels.md, section 1.6): {"object": "whatsapp_business_account", "entry": [{"id",
"changes": [{"field": "messages" | "user_preferences" | ..., "value": {...}}]}]}. A
`messages` change carries students' messages (with `contacts` for their names) or
`statuses` of our messages; a `user_preferences` change carries marketing opt-outs
and opt-ins. Anything else is acknowledged and ignored. Parsing never raises on
an unexpected shape: a field that is missing or of the wrong type skips that item.
A text that breaks the API's text rule (control characters, invalid UTF-8) counts as
missing: Meta cannot be answered with a 422 for one field of a batch (it would deliver
the whole batch again for days), and the text is never stored altered.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shvya_gateway import text_rule


def valid_signature(raw_body: bytes, header: str | None, app_secret: str) -> bool:
    """X-Hub-Signature-256: "sha256=" + hex HMAC-SHA256 of the raw body, keyed with the app secret."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


@dataclass(frozen=True)
class InboundMessage:
    wamid: str
    phone: str  # digits, international form
    name: str
    text: str
    type: str
    phone_number_id: str


@dataclass(frozen=True)
class StatusReport:
    wamid: str
    status: str  # sent, delivered, read, failed
    timestamp: datetime | None
    recipient: str
    error_code: str = ""
    error_message: str = ""


@dataclass(frozen=True)
class PreferenceChange:
    phone: str
    category: str
    value: str  # stop or resume
    timestamp: str
    detail: str


@dataclass(frozen=True)
class AccountError:
    """An error in `value.errors`: about the business number, not one message."""

    code: str
    message: str
    phone_number_id: str


@dataclass
class Update:
    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[StatusReport] = field(default_factory=list)
    preferences: list[PreferenceChange] = field(default_factory=list)
    errors: list[AccountError] = field(default_factory=list)
    # Items seen but not acted on, for the log (reactions, system messages, unknown fields).
    ignored: list[str] = field(default_factory=list)


DELIVERY_STATUSES = ("sent", "delivered", "read", "failed")
# Message types that carry nothing to answer.
SILENT_TYPES = ("reaction", "system", "unsupported", "request_welcome", "ephemeral", "revoke")


# The longest message text the crm records (its intake limit, and the form's).
MAX_TEXT_CHARS = 4096


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    if isinstance(value, str):
        return "" if text_rule.problem(value) else value
    return str(value) if isinstance(value, int | float) else ""


def _timestamp(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def message_text(message: dict) -> str:
    """What the student wrote, whatever the message type; empty when there is nothing to answer."""
    kind = _str(message.get("type"))
    if kind == "text":
        return _str(_dict(message.get("text")).get("body"))
    if kind == "button":  # a quick-reply button of a template
        button = _dict(message.get("button"))
        return _str(button.get("text")) or _str(button.get("payload"))
    if kind == "interactive":
        interactive = _dict(message.get("interactive"))
        reply = _dict(interactive.get("button_reply")) or _dict(interactive.get("list_reply"))
        parts = [_str(reply.get("title")), _str(reply.get("description"))]
        return " - ".join(p for p in parts if p)
    if kind in ("image", "video", "document", "audio", "sticker"):
        caption = _str(_dict(message.get(kind)).get("caption"))
        return f"[{kind}] {caption}".strip()
    if kind == "location":
        place = _dict(message.get("location"))
        where = ", ".join(p for p in (_str(place.get("name")), _str(place.get("address"))) if p)
        return f"[location] {where}".strip()
    if kind == "contacts":
        return "[contact card]"
    return ""


def parse(payload: Any) -> Update:
    update = Update()
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        update.ignored.append(f"object {_dict(payload).get('object')!r}")
        return update
    for entry in _list(payload.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            kind = _str(change.get("field"))
            value = _dict(change.get("value"))
            if kind == "messages":
                _messages(value, update)
            elif kind == "user_preferences":
                _preferences(value, update)
            else:
                update.ignored.append(f"field {kind!r}")
    return update


def _error_text(error: dict) -> str:
    details = _str(_dict(error.get("error_data")).get("details"))
    title = _str(error.get("title")) or _str(error.get("message"))
    return f"{title}: {details}" if title and details and details != title else (title or details)


def _messages(value: dict, update: Update) -> None:
    phone_number_id = _str(_dict(value.get("metadata")).get("phone_number_id"))
    for error in map(_dict, _list(value.get("errors"))):
        if _str(error.get("code")):
            update.errors.append(AccountError(_str(error.get("code")), _error_text(error), phone_number_id))
    names = {
        _str(c.get("wa_id")): _str(_dict(c.get("profile")).get("name"))
        for c in map(_dict, _list(value.get("contacts")))
    }
    for message in map(_dict, _list(value.get("messages"))):
        wamid, sender, kind = _str(message.get("id")), _str(message.get("from")), _str(message.get("type"))
        if kind in SILENT_TYPES or message.get("errors"):
            update.ignored.append(f"message {wamid} of type {kind}")
            continue
        # The crm keeps at most MAX_TEXT_CHARS of a message; a longer one is answered, shortened.
        text = message_text(message).strip()[:MAX_TEXT_CHARS].strip()
        if not wamid or not sender or not text:
            # A username-only sender (no phone number yet) cannot be matched to a lead.
            update.ignored.append(f"message {wamid or '?'} without a sender number or text")
            continue
        update.messages.append(
            InboundMessage(wamid, sender.lstrip("+"), names.get(sender, ""), text, kind, phone_number_id)
        )
    for status in map(_dict, _list(value.get("statuses"))):
        wamid, state = _str(status.get("id")), _str(status.get("status"))
        if not wamid or state not in DELIVERY_STATUSES:
            update.ignored.append(f"status {state!r} of {wamid or '?'}")
            continue
        error = _dict(_list(status.get("errors"))[0]) if _list(status.get("errors")) else {}
        reason = _error_text(error)
        update.statuses.append(
            StatusReport(
                wamid=wamid,
                status=state,
                timestamp=_timestamp(status.get("timestamp")),
                recipient=_str(status.get("recipient_id")),
                error_code=_str(error.get("code")),
                error_message=reason,
            )
        )


def _preferences(value: dict, update: Update) -> None:
    for pref in map(_dict, _list(value.get("user_preferences"))):
        phone = _str(pref.get("wa_id")).lstrip("+")
        choice = _str(pref.get("value")).lower()
        if not phone or choice not in ("stop", "resume"):
            update.ignored.append(f"user preference {choice!r}")
            continue
        update.preferences.append(
            PreferenceChange(
                phone=phone,
                category=_str(pref.get("category")),
                value=choice,
                timestamp=_str(pref.get("timestamp")),
                detail=_str(pref.get("detail")),
            )
        )
