"""The inbox: the conversations that need a person first, kept current by a live stream."""

from __future__ import annotations

import asyncio

import grpc
from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from grpc import aio

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_console import views
from shvya_console.i18n import _
from shvya_console.session import MeDep
from shvya_rpc import credentials

router = APIRouter()


# What each reason is called on the page, most urgent first (the crm orders them so).
def reason_labels() -> dict[int, tuple[str, str]]:
    return {
        leads_pb.INBOX_REASON_HANDED_OFF: ("handed-off", _("Handed off")),
        leads_pb.INBOX_REASON_HOT: ("hot", _("Hot lead")),
        leads_pb.INBOX_REASON_UNANSWERED_QUESTION: ("question", _("Unanswered question")),
        leads_pb.INBOX_REASON_DELIVERY_FAILED: ("failed", _("Delivery failed")),
        leads_pb.INBOX_REASON_ASSIGNED: ("assigned", _("Assigned to you")),
    }


async def _items(request: Request, me, page_token: str = "") -> leads_pb.ListInboxResponse:
    return await request.app.state.backends.crm.leads.ListInbox(
        leads_pb.ListInboxRequest(company_id=me.company_id, page_size=50, page_token=page_token)
    )


@router.get("/inbox")
async def inbox(request: Request, me: MeDep, page_token: str = ""):
    reply = await _items(request, me, page_token)
    context = {
        "items": reply.items,
        "next_page_token": reply.next_page_token,
        "previous_page_token": reply.previous_page_token,
        "page_token": page_token,
        "reasons": reason_labels(),
    }
    template = "partials/inbox_list.html" if views.is_htmx(request) else "inbox.html"
    return views.render(request, template, context)


@router.get("/live")
async def live(request: Request, me: MeDep):
    """Server-sent events: `changed` whenever the company's conversations change (a student
    writes, a reply is delivered, a lead moves). The page then asks for what it shows again."""
    token = credentials.forwarded()
    crm = request.app.state.backends.crm
    interval = request.app.state.settings.live_poll_seconds

    async def events():
        credentials.forward(token)
        last = None
        # Browsers reconnect by themselves after this many milliseconds when the stream drops.
        yield "retry: 3000\n\n"
        quiet = 0.0
        while not await request.is_disconnected():
            try:
                reply = await crm.leads.GetActivity(leads_pb.GetActivityRequest(company_id=me.company_id))
            except aio.AioRpcError as error:
                if error.code() in (grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED):
                    yield "event: signed-out\ndata: \n\n"
                    return
                reply = None
            if reply is not None and last is not None and reply.watermark != last:
                yield f"event: changed\ndata: {reply.watermark}\n\n"
                quiet = 0.0
            if reply is not None:
                last = reply.watermark
            quiet += interval
            # A comment now and then keeps proxies from closing an idle stream.
            if quiet >= 15:
                yield ": keep-alive\n\n"
                quiet = 0.0
            await asyncio.sleep(interval)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
