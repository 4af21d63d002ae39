"""How a user and an API key look in the REST API, and the company a request acts on."""

from __future__ import annotations

import uuid

from fastapi import HTTPException, Request
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel

from shvya.crm.v1 import users_service_pb2 as users_pb


def iso(value: Timestamp, present: bool) -> str | None:
    return value.ToDatetime().isoformat() + "Z" if present else None


class UserView(BaseModel):
    id: str
    company_id: str
    email: str
    name: str
    role: str
    active: bool
    has_password: bool
    created_at: str | None
    last_login_at: str | None


class ApiKeyView(BaseModel):
    id: str
    company_id: str
    name: str
    prefix: str
    scopes: list[str]
    created_by: str
    created_at: str | None
    last_used_at: str | None
    revoked_at: str | None


def user_view(u: users_pb.User) -> UserView:
    return UserView(
        id=u.id,
        company_id=u.company_id,
        email=u.email,
        name=u.name,
        role=u.role,
        active=u.active,
        has_password=u.has_password,
        created_at=iso(u.created_at, u.HasField("created_at")),
        last_login_at=iso(u.last_login_at, u.HasField("last_login_at")),
    )


def api_key_view(k: users_pb.ApiKey) -> ApiKeyView:
    return ApiKeyView(
        id=k.id,
        company_id=k.company_id,
        name=k.name,
        prefix=k.prefix,
        scopes=list(k.scopes),
        created_by=k.created_by,
        created_at=iso(k.created_at, k.HasField("created_at")),
        last_used_at=iso(k.last_used_at, k.HasField("last_used_at")),
        revoked_at=iso(k.revoked_at, k.HasField("revoked_at")),
    )


async def acting_company(request: Request, given: uuid.UUID | None) -> str:
    """The company named in the request, or else the caller's own (a person's or a key's, as the
    crm told require_admin)."""
    if given is not None:
        return str(given)
    me = getattr(request.state, "me", None)
    if me is None or not me.company_id:
        raise HTTPException(
            422,
            [
                {
                    "loc": ["query", "company_id"],
                    "msg": "is required for the platform operator",
                    "type": "missing",
                }
            ],
        )
    return me.company_id
