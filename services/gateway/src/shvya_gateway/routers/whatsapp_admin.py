"""/admin/whatsapp-web/* and /admin/whatsapp-cloud/*: each WhatsApp account's state, for admins.

WhatsApp Web runs in a headless pod, so linking its number happens here: the
status says whether it needs a QR scan, is logged in, was logged out or
blocked, and /qr serves the QR code as a PNG to scan with the number's phone
(docs/deploy.md, section 3). Both kinds show their kill switch, which /resume lifts
once a human has dealt with its cause.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from google.protobuf.timestamp_pb2 import Timestamp

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya_gateway.deps import AdminDep, BackendsDep, PlatformDep
from shvya_gateway.forms import openapi_body, read_body, validate
from shvya_gateway.schemas import AccountStatusView, ResumeRequest, ResumeResponse

router = APIRouter(tags=["whatsapp"], dependencies=[AdminDep, PlatformDep])

Kind = Literal["whatsapp-web", "whatsapp-cloud"]
KindPath = Annotated[Kind, Path(description="whatsapp-web or whatsapp-cloud")]


def _iso(value: Timestamp, present: bool) -> str | None:
    return value.ToDatetime().isoformat() + "Z" if present else None


def status_view(s: pb.AccountStatus) -> AccountStatusView:
    login = pb.LoginState.Name(s.login_state).removeprefix("LOGIN_STATE_").lower()
    return AccountStatusView(
        account=s.account,
        stopped=s.stopped,
        stop_reason=s.stop_reason or None,
        stop_code=s.stop_code or None,
        stopped_at=_iso(s.stopped_at, s.HasField("stopped_at")),
        login_state=None if login == "unspecified" else login,
        login_detail=s.login_detail or None,
        login_state_since=_iso(s.login_state_since, s.HasField("login_state_since")),
        sent_today=s.sent_today,
        daily_cap=s.daily_cap,
        next_send_at=_iso(s.next_send_at, s.HasField("next_send_at")),
    )


def _stub(backends, kind: Kind):
    return backends.channels[kind.replace("-", "_")]


@router.get(
    "/admin/{kind}/status",
    response_model=AccountStatusView,
    summary="A WhatsApp account's state: login (WhatsApp Web), kill switch, pacing and daily count",
    responses={503: {"description": "The channel is not running"}},
)
async def account_status(kind: KindPath, backends: BackendsDep) -> AccountStatusView:
    reply = await _stub(backends, kind).GetAccountStatus(pb.GetAccountStatusRequest())
    return status_view(reply.status)


@router.get(
    "/admin/whatsapp-web/qr",
    response_class=Response,
    summary="The QR code that links the WhatsApp Web number, as a PNG",
    responses={
        200: {"content": {"image/png": {}}, "description": "Scan it with the number's phone"},
        409: {"description": "No QR code is shown (the number is linked, or the page is loading)"},
        503: {"description": "The channel is not running"},
    },
)
async def login_qr(backends: BackendsDep) -> Response:
    reply = await backends.channels["whatsapp_web"].GetLoginQr(pb.GetLoginQrRequest())
    headers = {"Cache-Control": "no-store"}
    if reply.HasField("captured_at"):
        headers["Last-Modified"] = reply.captured_at.ToDatetime().strftime("%a, %d %b %Y %H:%M:%S GMT")
    return Response(content=reply.png, media_type="image/png", headers=headers)


@router.post(
    "/admin/{kind}/resume",
    response_model=ResumeResponse,
    summary="Lift a WhatsApp account's kill switch once its cause is dealt with",
    openapi_extra=openapi_body(ResumeRequest),
)
async def resume(kind: KindPath, request: Request, backends: BackendsDep) -> ResumeResponse:
    data = await read_body(request) if (await request.body()).strip() else {}
    body = validate(ResumeRequest, data)
    reply = await _stub(backends, kind).ResumeAccount(pb.ResumeAccountRequest(reason=body.reason))
    return ResumeResponse(resumed=reply.resumed, status=status_view(reply.status))
