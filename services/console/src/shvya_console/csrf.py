"""Anti-forgery tokens for every form and every htmx request that changes something.

A random value lives in an HttpOnly, SameSite=Strict cookie; each form carries an HMAC of it under
the console's secret key (a hidden `csrf_token` field, or the `X-CSRF-Token` header that htmx adds
from the page's meta tag). Another site can make a browser send the cookie (not with Strict, but
older browsers) yet can never read it or compute the HMAC, so its posts are refused. It works
before sign-in too, which the sign-in and password-reset forms need."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request

COOKIE = "shvya_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_cookie_value() -> str:
    return secrets.token_urlsafe(32)


def token_for(secret_key: bytes, cookie_value: str) -> str:
    return hmac.new(secret_key, cookie_value.encode(), hashlib.sha256).hexdigest()


def cookie_value(request: Request) -> str:
    """The request's cookie value, or the one the response is about to set on a first visit."""
    return request.cookies.get(COOKIE) or request.state.new_csrf_cookie


async def verify(request: Request) -> None:
    """Refuses an unsafe request without a valid token (403), before its form is used."""
    if request.method in SAFE_METHODS:
        return
    cookie = request.cookies.get(COOKIE)
    given = request.headers.get(HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(FIELD)
            given = value if isinstance(value, str) else None
    expected = token_for(request.app.state.secret_key, cookie) if cookie else None
    if not given or expected is None or not hmac.compare_digest(given, expected):
        raise HTTPException(403, "csrf")
