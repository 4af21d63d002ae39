"""The people of a company: GET/POST /users (list, invite) and PATCH /users/{id} (role, name, active)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep
from shvya_gateway.routers.people_views import UserView, acting_company, iso, user_view

router = APIRouter(prefix="/users", tags=["users"], dependencies=[AdminDep])

Role = Literal["owner", "admin", "counsellor"]
CompanyQuery = Annotated[
    uuid.UUID | None, Query(description="Defaults to the caller's company; required with ADMIN_TOKEN.")
]


class InviteBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"email": "neha@academy.example", "role": "counsellor", "name": "Neha"}]
        },
    )

    email: EmailStr
    role: Role
    name: Annotated[str, Field(max_length=200)] = ""
    company_id: uuid.UUID | None = Field(None, description="Defaults to the caller's company.")


class InvitationView(BaseModel):
    user: UserView
    invitation_token: str = Field(description="Also emailed to the person; shown only here.")
    expires_at: str | None


class UserChanges(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"role": "admin"}, {"active": False}]}
    )

    role: Role | None = None
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    active: bool | None = None


@router.get("", response_model=list[UserView], summary="The company's users")
async def list_users(
    request: Request, company_id: CompanyQuery, backends: BackendsDep, settings: SettingsDep
) -> list[UserView]:
    company = await acting_company(request, company_id)
    reply = await backends.crm.users.ListUsers(
        users_pb.ListUsersRequest(company_id=company), timeout=settings.request_timeout_seconds
    )
    return [user_view(u) for u in reply.users]


@router.post("", response_model=InvitationView, status_code=201, summary="Invite a person with a role")
async def invite(
    request: Request, body: InviteBody, backends: BackendsDep, settings: SettingsDep
) -> InvitationView:
    company = await acting_company(request, body.company_id)
    reply = await backends.crm.users.InviteUser(
        users_pb.InviteUserRequest(company_id=company, email=body.email, role=body.role, name=body.name),
        timeout=settings.request_timeout_seconds,
    )
    return InvitationView(
        user=user_view(reply.user),
        invitation_token=reply.invitation_token,
        expires_at=iso(reply.expires_at, reply.HasField("expires_at")),
    )


@router.patch(
    "/{user_id}", response_model=UserView, summary="Change a user's role, name or whether they may sign in"
)
async def update_user(
    user_id: Annotated[uuid.UUID, Path()], body: UserChanges, backends: BackendsDep, settings: SettingsDep
) -> UserView:
    request = users_pb.UpdateUserRequest(user_id=str(user_id))
    if body.role is not None:
        request.role = body.role
    if body.name is not None:
        request.name = body.name
    if body.active is not None:
        request.active = body.active
    reply = await backends.crm.users.UpdateUser(request, timeout=settings.request_timeout_seconds)
    return user_view(reply.user)
