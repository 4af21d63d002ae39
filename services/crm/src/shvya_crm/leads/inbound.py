"""What an inbound message must be: its fields validated and normalised (the phone in E.164)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from shvya_crm.storage.models import CHANNEL_CODES
from shvya_rpc.errors import FieldErrors

MAX_TEXT_CHARS = 4096
MAX_NAME_CHARS = 200
MAX_KEY_CHARS = 255
MAX_CONSENT_TEXT_CHARS = 2000
MAX_COURSE_CHARS = 200


@dataclass(frozen=True)
class Inbound:
    """A validated, normalised inbound message."""

    company_id: uuid.UUID
    phone: str  # E.164
    contact_name: str
    text: str
    channel: str  # stored code
    email: str | None
    idempotency_key: str | None
    external_id: str | None
    source: str
    # The person ticked a consent box, and what it said.
    consent: bool = False
    consent_text: str = ""
    # The course named in the form (enrolment rules match it).
    course: str = ""

    def fingerprint(self) -> str:
        """Identifies the body, to recognise a re-post of the same form."""
        parts = (
            str(self.company_id),
            self.phone,
            self.channel,
            self.text,
            self.contact_name,
            self.email or "",
        )
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


# Numbers WhatsApp itself delivered: WhatsApp has verified they exist, even where the numbering
# plan says otherwise (Meta's own test numbers are +1 555 ...), so a possible number is enough.
VERIFIED_SOURCES = ("whatsapp_cloud_webhook", "whatsapp_web")


def normalise_phone(raw: str, region: str, *, verified: bool = False) -> str:
    """E.164 for a number in any common format; national numbers default to `region`.

    `verified`: the number came from WhatsApp, so it need only be possible, not valid."""
    value = raw.strip()
    if not value:
        raise ValueError("is required")
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"{value!r} is not a phone number: {exc}") from None
    acceptable = phonenumbers.is_possible_number if verified else phonenumbers.is_valid_number
    if not acceptable(number):
        raise ValueError(f"{value!r} is not a valid phone number (default region {region})")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate(
    *,
    company_id: str,
    phone_number: str,
    contact_name: str,
    message_text: str,
    channel: str | None,
    email: str,
    idempotency_key: str,
    external_id: str,
    source: str,
    default_company_id: uuid.UUID,
    region: str,
    consent_given: bool = False,
    consent_text: str = "",
    course: str = "",
) -> Inbound:
    """Checks every field and reports all problems at once (FieldErrors)."""
    errors: dict[str, str] = {}

    cid = default_company_id
    if company_id.strip():
        try:
            cid = uuid.UUID(company_id.strip())
        except ValueError:
            errors["company_id"] = "must be a UUID"

    phone = ""
    try:
        phone = normalise_phone(phone_number, region, verified=source.strip() in VERIFIED_SOURCES)
    except ValueError as exc:
        errors["phone_number"] = str(exc)

    text_value = message_text.strip()
    if not text_value:
        errors["message_text"] = "must not be empty"
    elif len(text_value) > MAX_TEXT_CHARS:
        errors["message_text"] = f"must be at most {MAX_TEXT_CHARS} characters"
    elif "\x00" in text_value:
        errors["message_text"] = "must not contain NUL characters"

    name = " ".join(contact_name.split())
    if len(name) > MAX_NAME_CHARS:
        errors["contact_name"] = f"must be at most {MAX_NAME_CHARS} characters"

    if channel not in CHANNEL_CODES:
        errors["channel"] = "must be one of whatsapp_web, whatsapp_cloud, email"

    email_value: str | None = None
    if email.strip():
        try:
            email_value = validate_email(email.strip(), check_deliverability=False).normalized
        except EmailNotValidError as exc:
            errors["email"] = f"is not a valid email address ({exc})"
    elif channel == "email":
        errors["email"] = "is required when channel is email"

    key = idempotency_key.strip() or None
    if key is not None and (len(key) > MAX_KEY_CHARS or not key.isprintable()):
        errors["idempotency_key"] = f"must be at most {MAX_KEY_CHARS} printable characters"

    ext = external_id.strip() or None
    if ext is not None and len(ext) > MAX_KEY_CHARS:
        errors["external_message_id"] = f"must be at most {MAX_KEY_CHARS} characters"

    consent_text = consent_text.strip()
    if len(consent_text) > MAX_CONSENT_TEXT_CHARS:
        errors["consent_text"] = f"must be at most {MAX_CONSENT_TEXT_CHARS} characters"
    elif "\x00" in consent_text:
        errors["consent_text"] = "must not contain NUL characters"
    course = " ".join(course.split())
    if len(course) > MAX_COURSE_CHARS:
        errors["course"] = f"must be at most {MAX_COURSE_CHARS} characters"

    if errors:
        raise FieldErrors(errors)
    return Inbound(
        company_id=cid,
        phone=phone,
        contact_name=name,
        text=text_value,
        channel=channel or "",
        email=email_value,
        idempotency_key=key,
        external_id=ext,
        source=(source.strip() or "api")[:64],
        consent=consent_given,
        consent_text=consent_text,
        course=course,
    )
