"""The team: the company's people (invitations, roles, who may sign in, who takes new leads) and
its API keys. Only an owner or admin gets here; the crm refuses everyone else with a 403."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

import grpc
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from grpc import aio

from shvya.crm.v1 import assignment_service_pb2 as assignment_pb
from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya_console import refusals, views
from shvya_console.i18n import _
from shvya_console.session import Me, MeDep

router = APIRouter()

ROLES = ("owner", "admin", "counsellor")
# What an integration's key may be given (never people or keys).
API_KEY_SCOPES = ("leads:read", "leads:write", "intake", "knowledge:read", "knowledge:write", "settings:read")


def _done_messages() -> dict[str, str]:
    return {
        "invited": _("Invitation sent: they get an email with a link to choose their password."),
        "role": _("Role changed."),
        "deactivated": _("Deactivated: they are signed out and cannot sign in."),
        "activated": _("They can sign in again."),
        "available": _("Takes new leads now."),
        "unavailable": _("Takes no new leads now."),
        "revoked": _("Key revoked: it no longer works."),
    }


def _role_labels() -> dict[str, str]:
    return {"owner": _("Owner"), "admin": _("Admin"), "counsellor": _("Counsellor")}


def _scope_labels() -> dict[str, str]:
    return {
        "leads:read": _("Read leads"),
        "leads:write": _("Change leads"),
        "intake": _("Send in new leads (forms)"),
        "knowledge:read": _("Read the knowledge base"),
        "knowledge:write": _("Change the knowledge base"),
        "settings:read": _("Read settings"),
    }


def _id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise HTTPException(404) from None


async def _context(request: Request, me: Me, **more) -> dict:
    crm = request.app.state.backends.crm
    users, keys, assignment = await asyncio.gather(
        crm.users.ListUsers(users_pb.ListUsersRequest(company_id=me.company_id)),
        crm.users.ListApiKeys(users_pb.ListApiKeysRequest(company_id=me.company_id)),
        crm.assignment.GetAssignmentSettings(
            assignment_pb.GetAssignmentSettingsRequest(company_id=me.company_id)
        ),
    )
    available = {c.id: c.available for c in assignment.counsellors}
    people = sorted(
        users.users, key=lambda u: (not u.active, ROLES.index(u.role) if u.role in ROLES else 9, u.email)
    )
    return {
        "section": "people",
        "people": people,
        "available": available,
        "keys": sorted(keys.api_keys, key=lambda k: (k.HasField("revoked_at"), k.name.lower())),
        # Only an owner makes owners; the crm refuses it from anyone else anyway.
        "roles": [(r, label) for r, label in _role_labels().items() if r != "owner" or me.role == "owner"],
        "role_labels": _role_labels(),
        "scopes": _scope_labels(),
        "invite": {"email": "", "name": "", "role": "counsellor"},
        "key_form": {"name": "", "scopes": ["leads:read", "intake"]},
        **more,
    }


@router.get("/people")
async def people(request: Request, me: MeDep, done: str = ""):
    context = await _context(request, me, flash=_done_messages().get(done, ""))
    return views.render(request, "people.html", context)


def _back(done: str) -> RedirectResponse:
    return RedirectResponse(f"/people?done={done}", status_code=303)


@router.post("/people/invite")
async def invite(
    request: Request,
    me: MeDep,
    email: Annotated[str, Form(max_length=320)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=32)] = "counsellor",
):
    try:
        # The crm emails the invitation with its link; the token in the answer is not shown here.
        await request.app.state.backends.crm.users.InviteUser(
            users_pb.InviteUserRequest(
                company_id=me.company_id, email=email.strip(), role=role, name=name.strip()
            )
        )
    except aio.AioRpcError as error:
        if error.code() == grpc.StatusCode.ALREADY_EXISTS:
            message = _("Someone with this email is already in the team.")
        else:
            message = refusals.refusal(error)
        context = await _context(request, me, invite_error=message)
        context["invite"] = {"email": email, "name": name, "role": role}
        return views.render(request, "people.html", context, status_code=refusals.status(request))
    return _back("invited")


@router.post("/people/{user_id}/role")
async def change_role(request: Request, me: MeDep, user_id: str, role: Annotated[str, Form(max_length=32)]):
    await request.app.state.backends.crm.users.UpdateUser(
        users_pb.UpdateUserRequest(user_id=_id(user_id), role=role)
    )
    return _back("role")


@router.post("/people/{user_id}/active")
async def set_active(
    request: Request, me: MeDep, user_id: str, active: Annotated[str, Form(max_length=8)] = ""
):
    on = active == "1"
    await request.app.state.backends.crm.users.UpdateUser(
        users_pb.UpdateUserRequest(user_id=_id(user_id), active=on)
    )
    return _back("activated" if on else "deactivated")


@router.post("/people/{user_id}/availability")
async def set_availability(
    request: Request, me: MeDep, user_id: str, available: Annotated[str, Form(max_length=8)] = ""
):
    on = available == "1"
    reply = await request.app.state.backends.crm.assignment.UpdateUserAvailability(
        assignment_pb.UpdateUserAvailabilityRequest(
            user_id=_id(user_id), available=on, actor=f"user:{me.user_id}"
        )
    )
    done = "available" if on else "unavailable"
    if views.is_htmx(request):
        # The switch alone, as the crm now has it; the rest of the page is unchanged.
        context = {"u": reply.user, "on": reply.user.available, "switch_flash": _done_messages()[done]}
        return views.render(request, "partials/availability_switch.html", context)
    return _back(done)


@router.post("/people/keys")
async def create_key(request: Request, me: MeDep):
    form = await request.form()
    name = (form.get("name") or "").strip()
    scopes = [s for s in form.getlist("scopes") if s in API_KEY_SCOPES]
    try:
        reply = await request.app.state.backends.crm.users.CreateApiKey(
            users_pb.CreateApiKeyRequest(company_id=me.company_id, name=name, scopes=scopes)
        )
    except aio.AioRpcError as error:
        context = await _context(request, me, key_error=refusals.refusal(error))
        context["key_form"] = {"name": name, "scopes": scopes}
        return views.render(request, "people.html", context, status_code=refusals.status(request))
    # The key itself is in this answer only: the crm keeps its hash.
    context = await _context(request, me, new_key=reply.key, new_key_name=reply.api_key.name)
    return views.render(request, "people.html", context)


@router.post("/people/keys/{api_key_id}/revoke")
async def revoke_key(request: Request, me: MeDep, api_key_id: str):
    await request.app.state.backends.crm.users.RevokeApiKey(
        users_pb.RevokeApiKeyRequest(api_key_id=_id(api_key_id))
    )
    return _back("revoked")
