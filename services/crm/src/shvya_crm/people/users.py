"""Users of a company: invitations, sign-in and sign-out, password resets, roles and deactivation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shvya_crm.people import passwords, roles, tokens
from shvya_crm.people.principals import PermissionDenied, Principal, Unauthenticated
from shvya_crm.storage import events
from shvya_crm.storage.clock import now_of
from shvya_crm.storage.models import Company, User, UserToken
from shvya_rpc.errors import FieldErrors

SESSION = "session"
INVITATION = "invitation"
RESET = "reset"


@dataclass(frozen=True)
class Lifetimes:
    session: timedelta
    invitation: timedelta
    reset: timedelta


@dataclass(frozen=True)
class Issued:
    """A secret just made: the only moment it exists outside its hash."""

    secret: str
    expires_at: datetime
    user: User


def normalise_email(value: str, field: str = "email") -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise FieldErrors({field: str(exc)}) from None


def check_role(role: str, field: str = "role") -> str:
    if role not in roles.ROLES:
        raise FieldErrors({field: f"must be one of {', '.join(roles.ROLES)}"})
    return role


def _may_grant(by: Principal, role: str) -> None:
    """Nobody hands out more than they hold: only an owner (or the platform) makes an owner."""
    if role == roles.OWNER and by.role not in (None, roles.OWNER):
        raise PermissionDenied("only an owner can make or change an owner")


def _issue(session: Session, user: User, kind: str, lifetime: timedelta) -> Issued:
    secret = tokens.new(tokens.SESSION_PREFIX if kind == SESSION else tokens.ONE_TIME_PREFIX)
    expires_at = now_of(session) + lifetime
    session.add(
        UserToken(user_id=user.id, kind=kind, token_hash=tokens.digest(secret), expires_at=expires_at)
    )
    session.flush()
    return Issued(secret, expires_at, user)


def _redeem(session: Session, secret: str, kind: str) -> User:
    """Uses a one-time token: it works once, before it expires."""
    now = now_of(session)
    row = session.execute(
        select(UserToken)
        .where(
            UserToken.token_hash == tokens.digest(secret.strip()),
            UserToken.kind == kind,
            UserToken.used_at.is_(None),
            UserToken.expires_at > now,
        )
        .with_for_update()
    ).scalar_one_or_none()
    if row is None:
        raise FieldErrors({"token": "is unknown, expired or already used"})
    row.used_at = now
    return session.get(User, row.user_id, with_for_update=True)


def _end_sessions(session: Session, user_id: uuid.UUID) -> None:
    session.execute(
        update(UserToken)
        .where(UserToken.user_id == user_id, UserToken.kind == SESSION, UserToken.used_at.is_(None))
        .values(used_at=now_of(session))
    )


def _record(session: Session, type_: str, user: User, data: dict | None = None) -> None:
    events.record(session, type_, "user", user.id, company_id=user.company_id, data=data or {})


def invite(
    session: Session,
    by: Principal,
    company_id: uuid.UUID,
    email: str,
    role: str,
    name: str,
    lifetimes: Lifetimes,
) -> Issued:
    email = normalise_email(email)
    check_role(role)
    _may_grant(by, role)
    if session.get(Company, company_id) is None:
        raise LookupError(f"no company {company_id}")
    user = session.execute(
        select(User).where(User.company_id == company_id, User.email == email)
    ).scalar_one_or_none()
    if user is not None and user.password_hash is not None:
        raise FieldErrors({"email": "already belongs to a user of this company"})
    if user is None:
        # Inactive until accepted: a pending invitation signs nobody in.
        user = User(company_id=company_id, email=email, name=name.strip(), role=role, is_active=False)
        session.add(user)
    else:
        user.role, user.name = role, name.strip() or user.name
    session.flush()
    issued = _issue(session, user, INVITATION, lifetimes.invitation)
    _record(session, "user.invited", user, {"email": email, "role": role})
    return issued


def accept_invitation(session: Session, token: str, name: str, password: str) -> User:
    passwords.check_new(password)
    if not name.strip():
        raise FieldErrors({"name": "is required"})
    user = _redeem(session, token, INVITATION)
    user.name = name.strip()
    user.password_hash = passwords.hash_password(password)
    user.is_active = True
    user.updated_at = now_of(session)
    _record(session, "user.joined", user)
    return user


def create_owner(session: Session, company_id: uuid.UUID, email: str, password: str, name: str = "") -> User:
    """The first owner of a company (from the command line); refuses an email already in use."""
    email = normalise_email(email)
    passwords.check_new(password)
    if session.get(Company, company_id) is None:
        raise LookupError(f"no company {company_id}")
    existing = session.execute(
        select(User).where(User.company_id == company_id, User.email == email)
    ).scalar_one_or_none()
    if existing is not None:
        raise FieldErrors({"email": "already belongs to a user of this company"})
    user = User(
        company_id=company_id,
        email=email,
        name=name or email.partition("@")[0],
        role=roles.OWNER,
        is_active=True,
        password_hash=passwords.hash_password(password),
    )
    session.add(user)
    session.flush()
    _record(session, "user.created", user, {"email": email, "role": roles.OWNER})
    return user


def login(session: Session, company_id: uuid.UUID, email: str, password: str, lifetimes: Lifetimes) -> Issued:
    try:
        email = normalise_email(email)
    except FieldErrors:
        raise Unauthenticated("wrong email or password") from None
    user = session.execute(
        select(User).where(User.company_id == company_id, User.email == email, User.is_active.is_(True))
    ).scalar_one_or_none()
    if not passwords.verify(user.password_hash if user else None, password):
        raise Unauthenticated("wrong email or password")
    user.last_login_at = now_of(session)
    issued = _issue(session, user, SESSION, lifetimes.session)
    _record(session, "user.logged_in", user)
    return issued


def logout(session: Session, principal: Principal) -> None:
    if principal.session_id is None:
        raise FieldErrors({"credential": "is not a session (only a session signs out)"})
    session.execute(
        update(UserToken).where(UserToken.id == principal.session_id).values(used_at=now_of(session))
    )
    user = session.get(User, principal.user_id)
    if user is not None:
        _record(session, "user.logged_out", user)


def request_reset(session: Session, company_id: uuid.UUID, email: str, lifetimes: Lifetimes) -> Issued | None:
    """A reset token for an active user with a password; None (and nothing written) otherwise."""
    try:
        email = normalise_email(email)
    except FieldErrors:
        return None
    user = session.execute(
        select(User).where(User.company_id == company_id, User.email == email, User.is_active.is_(True))
    ).scalar_one_or_none()
    if user is None or user.password_hash is None:
        return None
    issued = _issue(session, user, RESET, lifetimes.reset)
    _record(session, "user.password_reset_requested", user)
    return issued


def confirm_reset(session: Session, token: str, password: str) -> User:
    passwords.check_new(password)
    user = _redeem(session, token, RESET)
    user.password_hash = passwords.hash_password(password)
    user.updated_at = now_of(session)
    _end_sessions(session, user.id)
    _record(session, "user.password_reset", user)
    return user


def list_users(session: Session, company_id: uuid.UUID) -> list[User]:
    return list(
        session.execute(
            select(User).where(User.company_id == company_id).order_by(User.created_at, User.email)
        )
        .scalars()
        .all()
    )


def update_user(
    session: Session,
    by: Principal,
    user_id: uuid.UUID,
    *,
    role: str | None,
    name: str | None,
    active: bool | None,
) -> User:
    if role is not None:
        check_role(role)
    user = session.get(User, user_id, with_for_update=True)
    if user is None:
        raise LookupError(f"no user {user_id}")
    _may_grant(by, user.role)
    if role is not None:
        _may_grant(by, role)
    if by.user_id == user.id and (role not in (None, user.role) or active is False):
        # A company must not lock itself out by accident: another owner or admin does this.
        raise FieldErrors({"user_id": "you cannot change your own role or deactivate yourself"})
    changes: dict[str, object] = {}
    if role is not None and role != user.role:
        changes["role"] = [user.role, role]
        user.role = role
    if name is not None and name.strip() != user.name:
        changes["name"] = [user.name, name.strip()]
        user.name = name.strip()
    if active is not None and active != user.is_active:
        changes["active"] = [user.is_active, active]
        user.is_active = active
        if not active:
            _end_sessions(session, user.id)
    if changes:
        user.updated_at = now_of(session)
        _record(session, "user.updated", user, changes)
    return user
