"""Meta's WhatsApp webhook payloads as the Cloud API posts them (docs/channels.md, section 1.6), signed like Meta signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

APP_SECRET = "integration-app-secret-0f3a"
VERIFY_TOKEN = "integration-verify-token"
PHONE_NUMBER_ID = "106540352242922"


def envelope(field: str, value: dict) -> dict:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "918047181234", "phone_number_id": PHONE_NUMBER_ID},
        **value,
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"field": field, "value": value}]}],
    }


def new_wamid() -> str:
    return "wamid.HBgM" + uuid.uuid4().hex.upper()


def text_message(phone: str, name: str, text: str, wamid: str | None = None) -> dict:
    digits = phone.lstrip("+")
    return envelope(
        "messages",
        {
            "contacts": [{"profile": {"name": name}, "wa_id": digits}],
            "messages": [
                {
                    "from": digits,
                    "id": wamid or new_wamid(),
                    "timestamp": str(int(time.time())),
                    "type": "text",
                    "text": {"body": text},
                }
            ],
        },
    )


def status(wamid: str, state: str, phone: str, errors: list[dict] | None = None) -> dict:
    item = {
        "id": wamid,
        "status": state,
        "timestamp": str(int(time.time())),
        "recipient_id": phone.lstrip("+"),
    }
    if state != "failed":
        item["pricing"] = {"billable": True, "pricing_model": "PMP", "type": "regular", "category": "utility"}
    if errors:
        item["errors"] = errors
    return envelope("messages", {"statuses": [item]})


def marketing_preference(phone: str, value: str = "stop") -> dict:
    digits = phone.lstrip("+")
    return envelope(
        "user_preferences",
        {
            "contacts": [{"wa_id": digits, "profile": {"name": "Student"}}],
            "user_preferences": [
                {
                    "wa_id": digits,
                    "detail": "User requested to stop marketing messages",
                    "category": "marketing_messages",
                    "value": value,
                    "timestamp": int(time.time()),
                }
            ],
        },
    )


def signed(payload: dict, secret: str = APP_SECRET) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of Meta's POST."""
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
