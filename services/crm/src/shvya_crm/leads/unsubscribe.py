"""One-click unsubscribe (RFC 8058): an opaque token per recipient, in every marketing email's
List-Unsubscribe URL. A POST to the URL unsubscribes; a GET only shows a page."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from shvya_crm.leads import consent
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, Lead, UnsubscribeToken
from shvya_rpc.errors import FieldErrors

MAX_TOKEN_CHARS = 64


@dataclass(frozen=True)
class TokenView:
    company_name: str
    masked_address: str
    unsubscribed: bool


def token_for(session: Session, lead: Lead, channel: str, address: str) -> str:
    """The recipient's token, created once and reused in every later email."""
    token = session.execute(
        pg_insert(UnsubscribeToken)
        .values(
            token=secrets.token_urlsafe(24),
            company_id=lead.company_id,
            lead_id=lead.id,
            channel=channel,
            address=address,
            created_at=now_of(session),
        )
        .on_conflict_do_nothing(index_elements=["lead_id", "channel", "address"])
        .returning(UnsubscribeToken.token)
    ).scalar_one_or_none()
    if token is not None:
        return token
    return session.execute(
        select(UnsubscribeToken.token).where(
            UnsubscribeToken.lead_id == lead.id,
            UnsubscribeToken.channel == channel,
            UnsubscribeToken.address == address,
        )
    ).scalar_one()


def mask(address: str) -> str:
    local, _, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def _row(session: Session, token: str, *, lock: bool = False) -> UnsubscribeToken:
    if not token or len(token) > MAX_TOKEN_CHARS or not token.replace("-", "").replace("_", "").isalnum():
        raise FieldErrors({"token": "is not an unsubscribe token"})
    row = session.get(UnsubscribeToken, token, with_for_update=lock)
    if row is None:
        raise LookupError("unknown unsubscribe link")
    return row


def describe(session: Session, token: str) -> TokenView:
    row = _row(session, token)
    lead = session.get(Lead, row.lead_id)
    company = session.get(Company, row.company_id)
    return TokenView(company.name, mask(row.address), lead.status == "opted_out")


def unsubscribe(session: Session, token: str, evidence: dict[str, str]) -> tuple[str, bool]:
    """Opts the lead out (every channel: one suppression record); (company name, changed)."""
    row = _row(session, token, lock=True)
    company = session.get(Company, row.company_id)
    lead = session.get(Lead, row.lead_id)
    if row.used_at is None:
        row.used_at = now_of(session)
    if lead.status == "opted_out":
        return company.name, False
    consent.record(
        session,
        lead.id,
        "opt_out",
        "email_unsubscribe",
        channel=row.channel,
        evidence={"address": row.address, **{k[:64]: v[:500] for k, v in evidence.items()}},
    )
    return company.name, True
