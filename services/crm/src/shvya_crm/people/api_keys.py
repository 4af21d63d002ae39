"""A company's API keys for integrations: created (shown once), listed, revoked."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from shvya_crm.people import roles, tokens
from shvya_crm.people.principals import Principal
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import ApiKey, Company
from shvya_rpc.errors import FieldErrors


def create(
    session: Session, by: Principal, company_id: uuid.UUID, name: str, scopes: list[str]
) -> tuple[ApiKey, str]:
    errors = {}
    if not name.strip() or len(name) > 200:
        errors["name"] = "is required (at most 200 characters)"
    unknown = sorted(set(scopes) - set(roles.API_KEY_SCOPES))
    if unknown or not scopes:
        errors["scopes"] = f"must be one or more of {', '.join(roles.API_KEY_SCOPES)}"
    if errors:
        raise FieldErrors(errors)
    if session.get(Company, company_id) is None:
        raise LookupError(f"no company {company_id}")
    secret = tokens.new(tokens.API_KEY_PREFIX)
    key = ApiKey(
        company_id=company_id,
        name=name.strip(),
        prefix=secret[: len(tokens.API_KEY_PREFIX) + 6],
        key_hash=tokens.digest(secret),
        scopes=sorted(set(scopes)),
        created_by=by.actor,
        created_at=now_of(session),
    )
    session.add(key)
    session.flush()
    events.record(
        session, "api_key.created", "api_key", key.id, company_id=company_id, data={"scopes": key.scopes}
    )
    return key, secret


def list_for(session: Session, company_id: uuid.UUID) -> list[ApiKey]:
    return list(
        session.execute(select(ApiKey).where(ApiKey.company_id == company_id).order_by(ApiKey.created_at))
        .scalars()
        .all()
    )


def revoke(session: Session, key_id: uuid.UUID) -> ApiKey:
    key = session.get(ApiKey, key_id, with_for_update=True)
    if key is None:
        raise LookupError(f"no API key {key_id}")
    if key.revoked_at is None:
        key.revoked_at = now_of(session)
        events.record(session, "api_key.revoked", "api_key", key.id, company_id=key.company_id)
    return key
