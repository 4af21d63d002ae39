"""Signing in and out, a forgotten password, and accepting an invitation."""

from __future__ import annotations

import contextlib
from datetime import UTC
from typing import Annotated
from urllib.parse import urlsplit

import grpc
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from grpc import aio

from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya_console import session, views
from shvya_console.i18n import _
from shvya_rpc import credentials

router = APIRouter()


def _safe_next(value: str | None) -> str:
    """Only a path of this site: a link that signs in and then sends the person elsewhere would
    help a phishing page."""
    if not value:
        return "/inbox"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/inbox"
    return value


def _company(request: Request, given: str) -> str:
    return given.strip() or str(request.app.state.settings.default_company_id)


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/inbox", status_code=303)


@router.get("/sign-in")
async def sign_in_page(request: Request, next: str = "/inbox"):
    return views.render(request, "sign_in.html", {"next": _safe_next(next)})


@router.post("/sign-in")
async def sign_in(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=256)],
    company_id: Annotated[str, Form(max_length=64)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/inbox",
):
    credentials.forward(None)
    try:
        reply = await request.app.state.backends.crm.users.Login(
            users_pb.LoginRequest(
                company_id=_company(request, company_id), email=email.strip(), password=password
            )
        )
    except aio.AioRpcError as error:
        if error.code() not in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.INVALID_ARGUMENT):
            raise
        # Never which of the three was wrong: the page must not tell who has an account.
        message = _("Wrong email or password.")
        context = {"error": message, "email": email, "company_id": company_id, "next": _safe_next(next)}
        return views.render(request, "sign_in.html", context, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    expires = reply.expires_at.ToDatetime(tzinfo=UTC) if reply.HasField("expires_at") else None
    session.set_cookie(response, request, reply.session_token, expires)
    return response


@router.post("/sign-out")
async def sign_out(request: Request):
    token = request.cookies.get(session.COOKIE, "")
    if token.startswith(session.SESSION_PREFIX):
        credentials.forward(token)
        # An ended session is signed out already, and a crm that does not answer must not keep
        # the person signed in on this browser: the cookie goes either way.
        with contextlib.suppress(aio.AioRpcError):
            await request.app.state.backends.crm.users.Logout(users_pb.LogoutRequest())
    response = RedirectResponse("/sign-in", status_code=303)
    session.clear_cookie(response, request)
    return response


@router.get("/forgot-password")
async def forgot_page(request: Request):
    return views.render(
        request, "password_form.html", {"title": _("Forgot your password?"), "mode": "request"}
    )


@router.post("/forgot-password")
async def forgot(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    company_id: Annotated[str, Form(max_length=64)] = "",
):
    credentials.forward(None)
    try:
        await request.app.state.backends.crm.users.RequestPasswordReset(
            users_pb.RequestPasswordResetRequest(
                company_id=_company(request, company_id), email=email.strip()
            )
        )
    except aio.AioRpcError as error:
        if error.code() != grpc.StatusCode.INVALID_ARGUMENT:
            raise
    # The same answer whether the address is known or not: the page must not tell who works here.
    notice = _(
        "If that address belongs to an account, an email with a link to choose a new password is on its way."
    )
    return views.render(
        request,
        "password_form.html",
        {"title": _("Forgot your password?"), "mode": "request", "notice": notice},
    )


@router.get("/reset-password")
async def reset_page(request: Request, token: str = ""):
    context = {
        "title": _("Choose a new password"),
        "mode": "reset",
        "token": token,
        "action": "/reset-password",
    }
    if not token:
        context["error"] = _("This link is incomplete. Ask for a new one.")
    return views.render(request, "password_form.html", context)


@router.post("/reset-password")
async def reset(
    request: Request,
    token: Annotated[str, Form(max_length=512)],
    password: Annotated[str, Form(max_length=256)],
):
    credentials.forward(None)
    context = {
        "title": _("Choose a new password"),
        "mode": "reset",
        "token": token,
        "action": "/reset-password",
    }
    try:
        await request.app.state.backends.crm.users.ConfirmPasswordReset(
            users_pb.ConfirmPasswordResetRequest(token=token, password=password)
        )
    except aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.UNAUTHENTICATED:
            context["error"] = _("This link has expired or was used already. Ask for a new one.")
        elif error.code() == grpc.StatusCode.INVALID_ARGUMENT:
            context["error"] = error.details()
        else:
            raise
        return views.render(request, "password_form.html", context, status_code=400)
    return views.render(
        request, "sign_in.html", {"notice": _("Your password is changed. Sign in with it."), "next": "/inbox"}
    )


@router.get("/accept-invitation")
async def invitation_page(request: Request, token: str = ""):
    context = {
        "title": _("Join your team on Shvya"),
        "mode": "invitation",
        "token": token,
        "action": "/accept-invitation",
    }
    if not token:
        context["error"] = _("This link is incomplete. Ask for a new invitation.")
    return views.render(request, "password_form.html", context)


@router.post("/accept-invitation")
async def accept_invitation(
    request: Request,
    token: Annotated[str, Form(max_length=512)],
    password: Annotated[str, Form(max_length=256)],
    name: Annotated[str, Form(max_length=200)] = "",
):
    credentials.forward(None)
    context = {
        "title": _("Join your team on Shvya"),
        "mode": "invitation",
        "token": token,
        "action": "/accept-invitation",
        "name": name,
    }
    try:
        reply = await request.app.state.backends.crm.users.AcceptInvitation(
            users_pb.AcceptInvitationRequest(token=token, name=name.strip(), password=password)
        )
    except aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.UNAUTHENTICATED:
            context["error"] = _("This invitation has expired or was used already. Ask for a new one.")
        elif error.code() == grpc.StatusCode.INVALID_ARGUMENT:
            context["error"] = error.details()
        else:
            raise
        return views.render(request, "password_form.html", context, status_code=400)
    # The sign-in form comes filled with who they are: only the new password is left to type.
    company_id = reply.user.company_id
    if company_id == str(request.app.state.settings.default_company_id):
        company_id = ""
    context = {
        "notice": _("Welcome! Sign in with your new password."),
        "next": "/inbox",
        "email": reply.user.email,
        "company_id": company_id,
    }
    return views.render(request, "sign_in.html", context)
