"""Operations: the company's queue, its dead letters and their replay, and the WhatsApp accounts
(status, the QR code that links WhatsApp Web, resuming after the kill switch)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import grpc
from fastapi import APIRouter, Form, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from grpc import aio

from shvya.channels.v1 import channels_service_pb2 as channels_pb
from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya_console import views
from shvya_console.i18n import _
from shvya_console.session import Me, MeDep

router = APIRouter()

CHANNELS = ("whatsapp_web", "whatsapp_cloud")
# A channel that does not answer within this is shown as not running (a local channel answers
# in milliseconds; one that is down costs the client's retries up to this deadline).
_CHANNEL_TIMEOUT = 1.0


def _login_labels() -> dict[int, str]:
    return {
        channels_pb.LOGIN_STATE_STARTING: _("Starting"),
        channels_pb.LOGIN_STATE_NEEDS_QR: _("Not linked: scan the QR code"),
        channels_pb.LOGIN_STATE_LOGGED_IN: _("Linked"),
        channels_pb.LOGIN_STATE_LOGGED_OUT: _("Logged out by WhatsApp: link it again"),
        channels_pb.LOGIN_STATE_BLOCKED: _("Blocked by WhatsApp"),
    }


async def _may_manage_channels(request: Request, me: Me) -> bool:
    """The crm's answer: may this person manage the WhatsApp numbers of the company that owns them?"""
    settings = request.app.state.settings
    company = settings.whatsapp_company_id or settings.default_company_id
    reply = await request.app.state.backends.crm.users.CheckAccess(
        users_pb.CheckAccessRequest(permission="channels:manage", company_id=str(company))
    )
    return reply.allowed


async def _account(request: Request, channel: str) -> dict:
    stub = request.app.state.backends.channels[channel]
    try:
        reply = await stub.GetAccountStatus(channels_pb.GetAccountStatusRequest(), timeout=_CHANNEL_TIMEOUT)
    except aio.AioRpcError as error:
        return {"channel": channel, "status": None, "error": error.code().name}
    return {"channel": channel, "status": reply.status, "error": None}


async def _whatsapp_context(request: Request, me: Me) -> dict:
    if not await _may_manage_channels(request, me):
        return {"whatsapp_allowed": False, "accounts": []}
    accounts = await asyncio.gather(*(_account(request, c) for c in CHANNELS))
    return {"whatsapp_allowed": True, "accounts": accounts, "login_labels": _login_labels()}


async def _dead_letters(request: Request, me: Me, page_token: str) -> jobs_pb.ListDeadJobsResponse:
    return await request.app.state.backends.crm.jobs.ListDeadJobs(
        jobs_pb.ListDeadJobsRequest(company_id=me.company_id, page_size=50, page_token=page_token)
    )


@router.get("/operations")
async def operations(request: Request, me: MeDep, page_token: str = ""):
    crm = request.app.state.backends.crm
    # The WhatsApp numbers load after the page (and every few seconds): a channel that is down
    # or not deployed must not hold up the queue and the dead letters.
    counts, dead = await asyncio.gather(
        crm.jobs.GetJobCounts(jobs_pb.GetJobCountsRequest(company_id=me.company_id)),
        _dead_letters(request, me, page_token),
    )
    context = {"counts": counts, "dead": dead.jobs, "next_page_token": dead.next_page_token}
    return views.render(request, "operations.html", context)


@router.get("/operations/whatsapp")
async def whatsapp_section(request: Request, me: MeDep):
    """The accounts' part of the page, which the page asks for again every few seconds while a
    number waits to be linked (a new QR code every 20 seconds or so)."""
    template = "partials/whatsapp_accounts.html" if views.is_htmx(request) else "operations_whatsapp.html"
    return views.render(request, template, await _whatsapp_context(request, me))


@router.get("/operations/whatsapp-web/qr.png")
async def whatsapp_qr(request: Request, me: MeDep):
    if not await _may_manage_channels(request, me):
        raise HTTPException(403)
    try:
        reply = await request.app.state.backends.channels["whatsapp_web"].GetLoginQr(
            channels_pb.GetLoginQrRequest(), timeout=_CHANNEL_TIMEOUT
        )
    except aio.AioRpcError as error:
        if error.code() in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.UNAVAILABLE):
            raise HTTPException(404) from None
        raise
    return Response(reply.png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.post("/operations/whatsapp/{channel}/resume")
async def resume(request: Request, me: MeDep, channel: str):
    if channel not in CHANNELS:
        raise HTTPException(404)
    if not await _may_manage_channels(request, me):
        raise HTTPException(403)
    await request.app.state.backends.channels[channel].ResumeAccount(
        channels_pb.ResumeAccountRequest(reason=f"resumed by {me.email} in the console"),
        timeout=_CHANNEL_TIMEOUT,
    )
    if views.is_htmx(request):
        return views.render(request, "partials/whatsapp_accounts.html", await _whatsapp_context(request, me))
    return RedirectResponse("/operations", status_code=303)


@router.post("/operations/replay")
async def replay(
    request: Request,
    me: MeDep,
    job_ids: Annotated[list[str] | None, Form(max_length=100)] = None,
    everything: Annotated[str, Form(max_length=5)] = "",
):
    """Replays the selected dead letters, or all of them ("everything"), through the conductor,
    which has the crm requeue them as this person and dispatches them at once."""
    selected = [j for j in (job_ids or []) if j]
    if not selected and everything != "yes":
        raise HTTPException(400, _("Select the dead letters to replay."))
    request_pb = conductor_pb.ReplayDeadLettersRequest(company_id=me.company_id)
    if selected:
        request_pb.job_ids.extend(selected[:1000])
    else:
        request_pb.max_jobs = 1000
    reply = await request.app.state.backends.conductor.ReplayDeadLetters(request_pb)
    count = len(reply.job_ids)
    if views.is_htmx(request):
        crm = request.app.state.backends.crm
        counts, dead = await asyncio.gather(
            crm.jobs.GetJobCounts(jobs_pb.GetJobCountsRequest(company_id=me.company_id)),
            _dead_letters(request, me, ""),
        )
        message = _("%(n)d job(s) replayed.") % {"n": count}
        return views.render(
            request,
            "partials/queue.html",
            {"counts": counts, "dead": dead.jobs, "next_page_token": dead.next_page_token, "flash": message},
        )
    return RedirectResponse("/operations", status_code=303)
