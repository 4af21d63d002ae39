"""What a WhatsApp recipient's number must look like, for both WhatsApp adapters."""

from __future__ import annotations

import re

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def phone_error(phone: str) -> str | None:
    """Why `phone` (already stripped) cannot be sent to, or None."""
    if not phone:
        return "is required"
    if not E164.match(phone):
        return "must be in E.164 form, for example +919812345678"
    return None
