"""GET and POST /webhooks/whatsapp: Meta's WhatsApp Cloud API webhook.

GET is Meta's subscription check: the verify token must match, and the
challenge goes back as plain text. POST carries students' messages, the
statuses of ours and marketing preference changes, signed with the app
secret over the raw body (X-Hub-Signature-256): missing is 401, wrong is 403.

Every item is recorded in the crm before the answer: a student's message
through the same intake as a form (the conversation continues, WhatsApp's
window reopens, ai_engage is queued and dispatched), a status on its message,
a preference change in the consent ledger. The crm de-duplicates on Meta's
ids, so a re-delivered webhook changes nothing. The answer is 200 once all is
recorded, within milliseconds; if the crm is unavailable it is 503, so that
Meta delivers the webhook again and nothing is lost.
"""

from __future__ import annotations

import hmac
import logging
from typing import Annotated

import grpc
from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from grpc import aio

from shvya.channels.v1 import channels_service_pb2 as channels_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_gateway import bounded_json
from shvya_gateway.backends import Backends
from shvya_gateway.deps import BackendsDep, SettingsDep
from shvya_gateway.settings import GatewaySettings
from shvya_gateway.whatsapp_webhook import (
    AccountError,
    InboundMessage,
    PreferenceChange,
    StatusReport,
    parse,
    valid_signature,
)
from shvya_rpc.handover import Leased
from shvya_rpc.log_context import current_trace_id

log = logging.getLogger(__name__)
router = APIRouter(tags=["whatsapp"])

PATH = "/webhooks/whatsapp"
# Meta batches updates into one POST (up to about 3 MB): refusing a batch as too large would
# only make Meta re-deliver it forever, so this route allows more than the API's 64 KiB.
MAX_WEBHOOK_BYTES = 4 * 1024 * 1024
# The same endpoint under the other names webhook guides use, for a callback URL typed by hand.
ALIASES = ("/webhook/whatsapp", "/whatsapp/webhook")

_STATUS = {
    "sent": crm_pb.MESSAGE_STATUS_SENT,
    "delivered": crm_pb.MESSAGE_STATUS_DELIVERED,
    "read": crm_pb.MESSAGE_STATUS_READ,
    "failed": crm_pb.MESSAGE_STATUS_FAILED,
}
# The crm will never accept these items as they stand: log them and answer 200, or
# Meta would re-deliver the webhook for days.
_SKIP = {grpc.StatusCode.INVALID_ARGUMENT, grpc.StatusCode.NOT_FOUND, grpc.StatusCode.FAILED_PRECONDITION}
# Meta's code for "the user stopped marketing messages", in a failed status.
MARKETING_STOPPED = "131050"


async def verify(
    settings: SettingsDep,
    mode: Annotated[str, Query(alias="hub.mode")] = "",
    token: Annotated[str, Query(alias="hub.verify_token")] = "",
    challenge: Annotated[str, Query(alias="hub.challenge", max_length=1024)] = "",
) -> PlainTextResponse:
    expected = settings.whatsapp_verify_token
    if (
        expected is not None
        and mode == "subscribe"
        and challenge
        and hmac.compare_digest(token.encode(), expected.get_secret_value().encode())
    ):
        return PlainTextResponse(challenge)
    return PlainTextResponse("forbidden", status_code=403)


async def receive(
    request: Request, background: BackgroundTasks, backends: BackendsDep, settings: SettingsDep
) -> JSONResponse:
    if settings.whatsapp_app_secret is None:
        # Unverifiable, so not accepted; 503 makes Meta try again once the secret is set.
        log.error("a WhatsApp webhook arrived but WHATSAPP_CLOUD_APP_SECRET is not set")
        return JSONResponse(
            {"detail": "the WhatsApp webhook is not configured (WHATSAPP_CLOUD_APP_SECRET)"},
            status_code=503,
            headers={"Retry-After": "60"},
        )
    raw = await request.body()
    signature = request.headers.get("x-hub-signature-256")
    if not signature:
        return JSONResponse({"detail": "X-Hub-Signature-256 is required"}, status_code=401)
    if not valid_signature(raw, signature, settings.whatsapp_app_secret.get_secret_value()):
        return JSONResponse({"detail": "X-Hub-Signature-256 does not match the body"}, status_code=403)
    try:
        payload = bounded_json.loads(raw)
    except bounded_json.JsonRefused as exc:
        return JSONResponse({"detail": f"the body is not JSON this endpoint reads: {exc}"}, status_code=400)
    update = parse(payload)
    if update.ignored:
        log.info("WhatsApp webhook: ignored %s", "; ".join(update.ignored[:20]))
    recorder = _Recorder(backends, settings)
    try:
        for message in update.messages:
            await recorder.message(message)
        for status in update.statuses:
            await recorder.status(status)
        for preference in update.preferences:
            await recorder.preference(preference)
        for error in update.errors:
            await recorder.account_error(error)
    except aio.AioRpcError as exc:
        log.warning(
            "WhatsApp webhook not recorded (%s: %s); Meta will deliver it again",
            exc.code().name,
            exc.details(),
        )
        failed = True
    else:
        failed = False
    # The messages recorded before a failure have their jobs leased to this request, and Meta's
    # second delivery finds them recorded (no new lease): they are handed over either way.
    if recorder.leased:
        background.add_task(request.app.state.fast_dispatch.hand_over, recorder.leased)
    if failed:
        return JSONResponse(
            {"detail": "the crm is unavailable; try again"},
            status_code=503,
            headers={"Retry-After": "5"},
            background=background,
        )
    return JSONResponse(
        {
            "status": "ok",
            "messages": recorder.recorded_messages,
            "statuses": recorder.applied_statuses,
            "preferences": recorder.recorded_preferences,
            "account_stops": recorder.account_stops,
        },
        background=background,
    )


for path in (PATH, *ALIASES):
    hidden = path != PATH
    router.add_api_route(
        path,
        verify,
        methods=["GET"],
        response_class=PlainTextResponse,
        include_in_schema=not hidden,
        summary="Meta's webhook verification: echoes hub.challenge when hub.verify_token matches",
        responses={403: {"description": "Wrong mode or verify token"}},
    )
    router.add_api_route(
        path,
        receive,
        methods=["POST"],
        max_body_size=MAX_WEBHOOK_BYTES,
        include_in_schema=not hidden,
        summary="Meta's WhatsApp webhook: students' messages, statuses of ours, preference changes",
        responses={
            400: {"description": "The body is not JSON"},
            401: {"description": "No X-Hub-Signature-256"},
            403: {"description": "X-Hub-Signature-256 does not match the raw body"},
            503: {"description": "Not recorded (crm unavailable, or no app secret); Meta delivers it again"},
        },
    )


class _Recorder:
    def __init__(self, backends: Backends, settings: GatewaySettings) -> None:
        self._crm = backends.crm
        self._cloud = backends.channels["whatsapp_cloud"]
        self._company_id = settings.whatsapp_cloud_company_id
        self._lease_seconds = settings.dispatch_lease_seconds
        self.leased: list[Leased] = []
        self.recorded_messages = 0
        self.applied_statuses = 0
        self.recorded_preferences = 0
        self.account_stops = 0

    async def _call(self, method, request, what: str):
        try:
            return await method(request)
        except aio.AioRpcError as exc:
            if exc.code() in _SKIP:
                log.warning("WhatsApp webhook: %s refused by the crm: %s", what, exc.details())
                return None
            raise

    async def message(self, message: InboundMessage) -> None:
        result = await self._call(
            self._crm.leads.IngestInboundMessage,
            leads_pb.IngestInboundMessageRequest(
                company_id=self._company_id,
                phone_number=f"+{message.phone}",
                contact_name=message.name,
                message_text=message.text,
                channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
                external_message_id=message.wamid,
                source="whatsapp_cloud_webhook",
                dispatch_lease_seconds=self._lease_seconds,
            ),
            f"message {message.wamid}",
        )
        if result is None:
            return
        self.recorded_messages += 1
        leased = Leased.of(result, current_trace_id())
        if leased is not None:
            self.leased.append(leased)

    async def status(self, status: StatusReport) -> None:
        request = leads_pb.ApplyDeliveryStatusRequest(
            channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
            external_id=status.wamid,
            status=_STATUS[status.status],
            error_code=status.error_code,
            error_message=status.error_message,
            recipient=status.recipient,
        )
        if status.timestamp is not None:
            request.occurred_at.FromDatetime(status.timestamp)
        result = await self._call(
            self._crm.leads.ApplyDeliveryStatus, request, f"status {status.status} of {status.wamid}"
        )
        if result is not None and result.applied:
            self.applied_statuses += 1
        if status.status == "failed" and status.error_code:
            await self._report(status.error_code, status.error_message, status.wamid)
        if status.status == "failed" and status.error_code == MARKETING_STOPPED and status.recipient:
            await self._consent(
                status.recipient,
                leads_pb.CONSENT_ACTION_OPT_OUT,
                "whatsapp_error_131050",
                {"wamid": status.wamid, "detail": status.error_message},
                key=f"wa-131050:{status.wamid}",
            )

    async def account_error(self, error: AccountError) -> None:
        await self._report(error.code, error.message, "")

    async def _report(self, code: str, message: str, wamid: str) -> None:
        """Tells the Cloud API channel of an error Meta reported late: one that means the
        account cannot send (368, 131048, 190) turns its kill switch on. Best effort: if the
        channel is unreachable the next send meets the same error from Meta and stops there."""
        if not code.isdigit():
            return
        try:
            result = await self._cloud.ReportDeliveryError(
                channels_pb.ReportDeliveryErrorRequest(
                    error_code=code, error_message=message, external_id=wamid
                ),
            )
        except aio.AioRpcError as exc:
            log.warning(
                "WhatsApp webhook: Meta error %s not passed to the whatsapp_cloud channel (%s: %s)",
                code,
                exc.code().name,
                exc.details(),
            )
            return
        if result.stopped:
            self.account_stops += 1
            log.critical("WhatsApp webhook: Meta error %s stopped the Cloud API account: %s", code, message)

    async def preference(self, preference: PreferenceChange) -> None:
        action = (
            leads_pb.CONSENT_ACTION_OPT_OUT if preference.value == "stop" else leads_pb.CONSENT_ACTION_OPT_IN
        )
        recorded = await self._consent(
            preference.phone,
            action,
            "whatsapp_user_preferences",
            {
                "category": preference.category,
                "value": preference.value,
                "detail": preference.detail,
                "timestamp": preference.timestamp,
            },
            key=f"wa-prefs:{preference.phone}:{preference.category}:{preference.value}:{preference.timestamp}",
        )
        if recorded:
            self.recorded_preferences += 1

    async def _consent(self, phone: str, action, source: str, evidence: dict, key: str) -> bool:
        result = await self._call(
            self._crm.leads.RecordConsent,
            leads_pb.RecordConsentRequest(
                company_id=self._company_id,
                phone_number=f"+{phone.lstrip('+')}",
                action=action,
                channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
                source=source,
                evidence={k: v for k, v in evidence.items() if v},
                idempotency_key=key[:255],
            ),
            f"{source} for {phone}",
        )
        return result is not None
