"""The emails Shvya sends to the people who work in it (not to students): invitations and resets."""

from __future__ import annotations

from urllib.parse import quote

from shvya_crm.people.users import Issued


def _link(console_url: str, page: str, secret: str) -> str:
    return f"{console_url.rstrip('/')}/{page}?token={quote(secret)}"


def invitation(issued: Issued, company_name: str, console_url: str) -> dict[str, str]:
    user = issued.user
    return {
        "to": user.email,
        "name": user.name,
        "subject": f"You are invited to {company_name} on Shvya",
        "text": (
            f"You have been invited to {company_name} on Shvya as {user.role}.\n\n"
            f"Accept the invitation and choose a password: {_link(console_url, 'accept-invitation', issued.secret)}\n"
            f"(or send this token to POST /auth/invitations/accept: {issued.secret})\n\n"
            f"The invitation expires at {issued.expires_at:%Y-%m-%d %H:%M} UTC."
        ),
    }


def password_reset(issued: Issued, console_url: str) -> dict[str, str]:
    user = issued.user
    return {
        "to": user.email,
        "name": user.name,
        "subject": "Reset your Shvya password",
        "text": (
            "Someone asked to reset the password of this Shvya account. If it was not you, ignore "
            "this email: the password stays as it is.\n\n"
            f"Choose a new password: {_link(console_url, 'reset-password', issued.secret)}\n"
            f"(or send this token to POST /auth/password-reset/confirm: {issued.secret})\n\n"
            f"The link works once and expires at {issued.expires_at:%Y-%m-%d %H:%M} UTC."
        ),
    }
