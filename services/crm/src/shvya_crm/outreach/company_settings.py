"""A company's settings for follow-ups and proactive sends, kept in companies.settings.

Stored values are merged with the defaults when read, so a company that
never changed anything follows up after 24 hours, at most three times, and
never during 21:00-09:00 in the lead's time zone.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from shvya_crm.leads.companies import ensure_company
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company
from shvya_rpc.errors import FieldErrors

DEFAULT_FOLLOWUP_DELAY_SECONDS = 24 * 3600
DEFAULT_MAX_BUMPS = 3
DEFAULT_QUIET_START = "21:00"
DEFAULT_QUIET_END = "09:00"
DEFAULT_FOLLOWUP_TEMPLATE = "followup"

MIN_DELAY_SECONDS = 60
MAX_DELAY_SECONDS = 30 * 24 * 3600
MAX_BUMPS_LIMIT = 10
# A job's attempts and the longest wait between two, per company. Unset, the conductor's own
# settings hold; the bounds keep a company from dead-lettering at once or retrying for ever.
ATTEMPTS_RANGE = (1, 20)
RETRY_MAX_RANGE = (10, 86400)
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,200}$")

# Keys of companies.settings that are not settings a caller sees.
PRIVATE_KEYS = ("webhook_secret",)


@dataclass(frozen=True)
class Settings:
    company_id: uuid.UUID
    name: str
    timezone: str
    followup_delay_seconds: int
    max_bumps: int
    quiet_hours_enabled: bool
    quiet_hours_start: str
    quiet_hours_end: str
    followup_template: str
    # None: the conductor's defaults.
    max_attempts: int | None = None
    retry_max_seconds: int | None = None


def effective(company: Company) -> Settings:
    stored = company.settings or {}
    quiet = stored.get("quiet_hours", {})
    enabled = quiet is not None and quiet is not False
    quiet = quiet if isinstance(quiet, dict) else {}
    return Settings(
        company_id=company.id,
        name=company.name,
        timezone=company.timezone,
        followup_delay_seconds=int(stored.get("followup_delay_seconds", DEFAULT_FOLLOWUP_DELAY_SECONDS)),
        max_bumps=int(stored.get("max_bumps", DEFAULT_MAX_BUMPS)),
        quiet_hours_enabled=enabled,
        quiet_hours_start=quiet.get("start", DEFAULT_QUIET_START),
        quiet_hours_end=quiet.get("end", DEFAULT_QUIET_END),
        followup_template=stored.get("followup_template", DEFAULT_FOLLOWUP_TEMPLATE),
        max_attempts=stored.get("max_attempts"),
        retry_max_seconds=stored.get("retry_max_seconds"),
    )


def get(session: Session, company_id: uuid.UUID) -> Settings:
    company = session.get(Company, company_id)
    if company is None:
        raise LookupError(f"company {company_id} not found")
    return effective(company)


def validate(changes: dict[str, Any]) -> None:
    """Checks every present field; reports all problems at once, named as in the request."""
    errors: dict[str, str] = {}
    if "name" in changes and not 1 <= len(changes["name"].strip()) <= 200:
        errors["settings.name"] = "must be 1 to 200 characters"
    if "timezone" in changes:
        try:
            ZoneInfo(changes["timezone"])
        except (ZoneInfoNotFoundError, ValueError):
            errors["settings.timezone"] = "must be an IANA time zone such as Asia/Kolkata"
    delay = changes.get("followup_delay_seconds")
    if delay is not None and not MIN_DELAY_SECONDS <= delay <= MAX_DELAY_SECONDS:
        errors["settings.followup_delay_seconds"] = (
            f"must be between {MIN_DELAY_SECONDS} seconds and {MAX_DELAY_SECONDS // 86400} days"
        )
    bumps = changes.get("max_bumps")
    if bumps is not None and not 0 <= bumps <= MAX_BUMPS_LIMIT:
        errors["settings.max_bumps"] = f"must be between 0 and {MAX_BUMPS_LIMIT}"
    for key, (low, high) in (("max_attempts", ATTEMPTS_RANGE), ("retry_max_seconds", RETRY_MAX_RANGE)):
        value = changes.get(key)
        if value is not None and not low <= value <= high:
            errors[f"settings.{key}"] = f"must be between {low} and {high}"
    for key in ("quiet_hours_start", "quiet_hours_end"):
        if key in changes and not _HHMM.match(changes[key]):
            errors[f"settings.{key}"] = "must be a time of day as HH:MM (24-hour)"
    if "followup_template" in changes and not _TEMPLATE_NAME.match(changes["followup_template"]):
        errors["settings.followup_template"] = "must be a template name of a-z, 0-9 and _"
    if errors:
        raise FieldErrors(errors)


def update(
    session: Session, company_id: uuid.UUID, changes: dict[str, Any], default_name: str
) -> tuple[Settings, bool]:
    """Applies the present fields; creates the company when it does not exist yet."""
    validate(changes)
    _, created = ensure_company(session, company_id, changes.get("name", "").strip() or default_name)
    company = session.get(Company, company_id, with_for_update=True, populate_existing=True)
    stored = dict(company.settings or {})
    before = effective(company)
    if "name" in changes:
        company.name = changes["name"].strip()
    if "timezone" in changes:
        company.timezone = changes["timezone"]
    for key in (
        "followup_delay_seconds",
        "max_bumps",
        "followup_template",
        "max_attempts",
        "retry_max_seconds",
    ):
        if key in changes:
            stored[key] = changes[key]
    quiet_keys = ("quiet_hours_enabled", "quiet_hours_start", "quiet_hours_end")
    if any(k in changes for k in quiet_keys):
        enabled = changes.get("quiet_hours_enabled", before.quiet_hours_enabled)
        window = {
            "start": changes.get("quiet_hours_start", before.quiet_hours_start),
            "end": changes.get("quiet_hours_end", before.quiet_hours_end),
        }
        # consent.quiet_hours reads None as "switched off".
        stored["quiet_hours"] = window if enabled else None
    company.settings = stored
    company.updated_at = now_of(session)
    session.flush()
    after = effective(company)
    events.record(
        session,
        "company.settings_changed",
        "company",
        company_id,
        company_id=company_id,
        data={"changed": sorted(changes)},
    )
    return after, created
