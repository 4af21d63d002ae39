"""Who is signed in: the crm session token in a cookie, and what the crm says it belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import quote

import grpc
from fastapi import Depends, Request
from grpc import aio

from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya_rpc import credentials

COOKIE = "shvya_session"
# Only what the crm issued as a person's session is forwarded: an API key or anything else in
# the cookie is treated as no session at all.
SESSION_PREFIX = "shvs_"


class SignInRequired(Exception):
    """Raised when a page needs a person and there is none (or the session has ended)."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass(frozen=True)
class Me:
    """The signed-in person, as the crm describes them. What they may do is shown from
    `permissions` (which links to offer); whether they may do it is the crm's answer to each call."""

    user_id: str
    name: str
    email: str
    role: str
    company_id: str
    permissions: frozenset[str]

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def display_name(self) -> str:
        return self.name or self.email


def set_cookie(response, request: Request, token: str, expires_at: datetime | None) -> None:
    response.set_cookie(
        COOKIE,
        token,
        expires=expires_at,
        httponly=True,
        secure=request.app.state.settings.cookie_secure,
        samesite="lax",
        path="/",
    )


def clear_cookie(response, request: Request) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, secure=request.app.state.settings.cookie_secure, samesite="lax"
    )


def _next_path(request: Request) -> str:
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    return quote(path, safe="/?=&")


async def current(request: Request) -> Me:
    """The signed-in person; SignInRequired when there is none."""
    token = request.cookies.get(COOKIE, "")
    if not token.startswith(SESSION_PREFIX):
        raise SignInRequired(_next_path(request))
    credentials.forward(token)
    try:
        who = await request.app.state.backends.crm.users.WhoAmI(users_pb.WhoAmIRequest())
    except aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.UNAUTHENTICATED:
            credentials.forward(None)
            raise SignInRequired(_next_path(request)) from None
        raise
    me = Me(
        user_id=who.user.id,
        name=who.user.name,
        email=who.user.email,
        role=who.user.role,
        company_id=who.company_id,
        permissions=frozenset(who.permissions),
    )
    request.state.me = me
    return me


MeDep = Annotated[Me, Depends(current)]
