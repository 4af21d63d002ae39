"""Sign-in: /auth/login, /auth/logout, /auth/me, password resets and accepting an invitation."""

# The crm checks every credential; the gateway keeps nothing about people.

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import grpc
from fastapi import APIRouter, HTTPException, Response
from grpc import aio
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep
from shvya_gateway.routers.people_views import ApiKeyView, UserView, api_key_view, iso, user_view

router = APIRouter(prefix="/auth", tags=["sign-in"])


@asynccontextmanager
async def _refused_as_401() -> AsyncIterator[None]:
    """On these routes the caller brings no credential: a crm that refuses what they typed (a wrong
    password, a spent token) is a 401 for them, not an upstream failure."""
    try:
        yield
    except aio.AioRpcError as exc:
        if exc.code() == grpc.StatusCode.UNAUTHENTICATED:
            raise HTTPException(401, exc.details() or "not recognised") from None
        raise


Password = Annotated[str, Field(min_length=1, max_length=256)]


class LoginBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "company_id": "00000000-0000-4000-8000-000000000001",
                    "email": "owner@academy.example",
                    "password": "correct horse battery",
                }
            ]
        },
    )

    company_id: uuid.UUID
    email: Annotated[str, Field(min_length=1, max_length=320)]
    password: Password


class LoginView(BaseModel):
    session_token: str = Field(description="Send as `Authorization: Bearer <token>`; shown only here.")
    expires_at: str | None
    user: UserView


class ResetRequestBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"company_id": "00000000-0000-4000-8000-000000000001", "email": "neha@academy.example"}
            ]
        },
    )

    company_id: uuid.UUID
    email: EmailStr


class ResetConfirmBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"token": "shvt_2Jk9...", "password": "a new long password"}]},
    )

    token: Annotated[str, Field(min_length=1, max_length=200)]
    password: Password


class AcceptInvitationBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"token": "shvt_8Qw1...", "name": "Neha Sharma", "password": "a long password"}]
        },
    )

    token: Annotated[str, Field(min_length=1, max_length=200)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    password: Password


class MeView(BaseModel):
    kind: str = Field(description="user, api_key, platform or system")
    actor: str = Field(description="As recorded on audit events.")
    company_id: str | None
    user: UserView | None
    api_key: ApiKeyView | None
    permissions: list[str]


@router.post("/login", response_model=LoginView, summary="Sign in: a session token for a person")
async def login(body: LoginBody, backends: BackendsDep, settings: SettingsDep) -> LoginView:
    async with _refused_as_401():
        reply = await backends.crm.users.Login(
            users_pb.LoginRequest(company_id=str(body.company_id), email=body.email, password=body.password),
            timeout=settings.request_timeout_seconds,
        )
    return LoginView(
        session_token=reply.session_token,
        expires_at=iso(reply.expires_at, reply.HasField("expires_at")),
        user=user_view(reply.user),
    )


@router.post("/logout", status_code=204, summary="Sign out: ends the session", dependencies=[AdminDep])
async def logout(backends: BackendsDep, settings: SettingsDep) -> Response:
    await backends.crm.users.Logout(users_pb.LogoutRequest(), timeout=settings.request_timeout_seconds)
    return Response(status_code=204)


@router.get("/me", response_model=MeView, summary="Who the credential is", dependencies=[AdminDep])
async def me(backends: BackendsDep, settings: SettingsDep) -> MeView:
    reply = await backends.crm.users.WhoAmI(
        users_pb.WhoAmIRequest(), timeout=settings.request_timeout_seconds
    )
    return MeView(
        kind=reply.kind,
        actor=reply.actor,
        company_id=reply.company_id or None,
        user=user_view(reply.user) if reply.HasField("user") else None,
        api_key=api_key_view(reply.api_key) if reply.HasField("api_key") else None,
        permissions=list(reply.permissions),
    )


@router.post(
    "/password-reset",
    status_code=202,
    summary="Email a password-reset token (the same answer whether or not the address exists)",
)
async def request_password_reset(
    body: ResetRequestBody, backends: BackendsDep, settings: SettingsDep
) -> dict:
    await backends.crm.users.RequestPasswordReset(
        users_pb.RequestPasswordResetRequest(company_id=str(body.company_id), email=body.email),
        timeout=settings.request_timeout_seconds,
    )
    return {"detail": "if the address belongs to a user of the company, a reset email is on its way"}


@router.post("/password-reset/confirm", status_code=204, summary="Set a new password with a reset token")
async def confirm_password_reset(
    body: ResetConfirmBody, backends: BackendsDep, settings: SettingsDep
) -> Response:
    async with _refused_as_401():
        await backends.crm.users.ConfirmPasswordReset(
            users_pb.ConfirmPasswordResetRequest(token=body.token, password=body.password),
            timeout=settings.request_timeout_seconds,
        )
    return Response(status_code=204)


@router.post(
    "/invitations/accept", response_model=UserView, summary="Accept an invitation: name and password"
)
async def accept_invitation(
    body: AcceptInvitationBody, backends: BackendsDep, settings: SettingsDep
) -> UserView:
    async with _refused_as_401():
        reply = await backends.crm.users.AcceptInvitation(
            users_pb.AcceptInvitationRequest(token=body.token, name=body.name, password=body.password),
            timeout=settings.request_timeout_seconds,
        )
    return user_view(reply.user)
