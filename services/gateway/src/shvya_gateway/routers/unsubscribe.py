"""One-click unsubscribe (RFC 8058) at the URL in every marketing email's List-Unsubscribe header.

POST /u/{token} unsubscribes at once, with no login or confirmation, and
answers 200: that is what a mailbox provider's one-click button sends. GET
only shows a page with a button (mail scanners prefetch links, so a GET
must never unsubscribe).
"""

from __future__ import annotations

import html
from typing import Annotated

import grpc
from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse
from grpc import aio

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_gateway.deps import BackendsDep

router = APIRouter(tags=["unsubscribe"])

Token = Annotated[str, Path(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{title}</title></head>
<body style="font-family: sans-serif; max-width: 32rem; margin: 3rem auto; line-height: 1.5">
<h1 style="font-size: 1.4rem">{title}</h1>
{body}
</body></html>
"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=html.escape(title), body=body), status_code=status)


def _not_found() -> HTMLResponse:
    return _page("Link not recognised", "<p>This unsubscribe link is not valid.</p>", 404)


@router.get("/u/{token}", response_class=HTMLResponse, summary="The unsubscribe page (changes nothing)")
async def unsubscribe_page(token: Token, backends: BackendsDep) -> HTMLResponse:
    try:
        view = await backends.crm.leads.DescribeUnsubscribeToken(
            leads_pb.DescribeUnsubscribeTokenRequest(token=token)
        )
    except aio.AioRpcError as exc:
        if exc.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
            return _not_found()
        raise
    company = html.escape(view.company_name)
    if view.unsubscribed:
        return _page("You are unsubscribed", f"<p>{company} will not send you any more messages.</p>")
    address = html.escape(view.masked_address)
    return _page(
        f"Unsubscribe from {view.company_name}",
        f"<p>Stop all messages from {company} to {address}?</p>"
        f'<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
        f'<button type="submit">Unsubscribe</button></form>',
    )


@router.post("/u/{token}", response_class=HTMLResponse, summary="One-click unsubscribe (RFC 8058)")
async def unsubscribe(token: Token, request: Request, backends: BackendsDep) -> HTMLResponse:
    evidence = {"method": "one-click POST", "user_agent": request.headers.get("user-agent", "")[:300]}
    try:
        reply = await backends.crm.leads.UnsubscribeByToken(
            leads_pb.UnsubscribeByTokenRequest(token=token, evidence=evidence),
        )
    except aio.AioRpcError as exc:
        if exc.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
            return _not_found()
        raise
    return _page(
        "You are unsubscribed",
        f"<p>{html.escape(reply.company_name)} will not send you any more messages.</p>",
    )
