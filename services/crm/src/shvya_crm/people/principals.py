"""Who is calling: a credential resolved to a user, an API key, the platform operator or the system."""

from __future__ import annotations

import hmac
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shvya_crm.people import roles, tokens
from shvya_crm.storage import actor
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import ApiKey, User, UserToken

# An API key's last use is written at most this often: a key used a hundred times a second
# must not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class Unauthenticated(Exception):
    """The credential is unknown, expired or revoked (or a sign-in failed)."""


class PermissionDenied(Exception):
    """The caller is known but may not do this (another company, or above its role)."""


@dataclass(frozen=True)
class Principal:
    kind: str  # "user", "api_key", "platform" or "system"
    actor: str  # as recorded on audit events
    company_id: uuid.UUID | None = None  # None: not bound to a company (platform, system)
    permissions: frozenset[str] = frozenset()
    user_id: uuid.UUID | None = None
    role: str | None = None
    api_key_id: uuid.UUID | None = None
    session_id: uuid.UUID | None = None

    @property
    def unbound(self) -> bool:
        return self.company_id is None

    def may(self, permission: str) -> bool:
        # Anyone who got this far is signed in: an unknown credential never becomes a principal.
        if permission in (roles.PUBLIC, roles.SIGNED_IN) or self.unbound:
            return True
        return permission in self.permissions


SYSTEM = Principal(kind="system", actor=actor.SYSTEM)
PLATFORM = Principal(kind="platform", actor=actor.PLATFORM)

_current: ContextVar[Principal] = ContextVar("shvya_crm_principal", default=SYSTEM)


def current() -> Principal:
    """The principal of the RPC being served (the system outside one)."""
    return _current.get()


def set_current(principal: Principal):
    return _current.set(principal)


def reset_current(token) -> None:
    _current.reset(token)


def for_user(user: User, session_id: uuid.UUID | None = None) -> Principal:
    return Principal(
        kind="user",
        actor=f"user:{user.id}",
        company_id=user.company_id,
        permissions=roles.ROLE_PERMISSIONS.get(user.role, frozenset()),
        user_id=user.id,
        role=user.role,
        session_id=session_id,
    )


def resolve(session: Session, credential: str, admin_token: str | None) -> Principal:
    """The principal a credential stands for; Unauthenticated if it stands for nobody."""
    if admin_token and hmac.compare_digest(credential.encode(), admin_token.encode()):
        return PLATFORM
    now = now_of(session)
    hashed = tokens.digest(credential)
    if credential.startswith(tokens.SESSION_PREFIX):
        row = session.execute(
            select(UserToken.id, User)
            .join(User, User.id == UserToken.user_id)
            .where(
                UserToken.token_hash == hashed,
                UserToken.kind == "session",
                UserToken.used_at.is_(None),
                UserToken.expires_at > now,
                User.is_active.is_(True),
            )
        ).one_or_none()
        if row is None:
            raise Unauthenticated("the session is unknown, expired or signed out")
        return for_user(row[1], session_id=row[0])
    if credential.startswith(tokens.API_KEY_PREFIX):
        key = session.execute(
            select(ApiKey).where(ApiKey.key_hash == hashed, ApiKey.revoked_at.is_(None))
        ).scalar_one_or_none()
        if key is None:
            raise Unauthenticated("the API key is unknown or revoked")
        if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
            session.execute(update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now))
        return Principal(
            kind="api_key",
            actor=f"api_key:{key.id}",
            company_id=key.company_id,
            permissions=frozenset(key.scopes),
            api_key_id=key.id,
        )
    raise Unauthenticated("the credential is not a session token, an API key or the admin token")
