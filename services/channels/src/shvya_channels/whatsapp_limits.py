"""What WhatsApp accepts, for both WhatsApp adapters: a recipient's number and a text's length."""

from __future__ import annotations

import re

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
# WhatsApp's limit on a text message, sent or received.
MAX_TEXT = 4096


def phone_error(phone: str) -> str | None:
    """Why `phone` (already stripped) cannot be sent to, or None."""
    if not phone:
        return "is required"
    if not E164.match(phone):
        return "must be in E.164 form, for example +919812345678"
    return None


def text_error(text: str) -> str | None:
    """Why `text` cannot go as a WhatsApp text message, or None."""
    if not text.strip():
        return "must not be empty"
    if len(text) > MAX_TEXT:
        return f"must be at most {MAX_TEXT} characters (WhatsApp's limit)"
    return None
