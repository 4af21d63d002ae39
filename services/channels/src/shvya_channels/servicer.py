"""The ChannelsService gRPC interface: validates a send, de-duplicates it, hands it to the adapter."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import grpc
from email_validator import EmailNotValidError, validate_email
from google.protobuf import timestamp_pb2

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya.channels.v1 import channels_service_pb2_grpc as pb_grpc
from shvya.type.v1 import channel_pb2
from shvya_channels import send_metrics, whatsapp_cloud, whatsapp_web
from shvya_channels.ledger import LedgerUnavailable, SendLedger
from shvya_channels.outcome import Kind, Outcome
from shvya_channels.settings import ChannelKind
from shvya_channels.smtp import ALLOWED_EXTRA_HEADERS, Email, SmtpAdapter
from shvya_channels.whatsapp_cloud import CloudAdapter
from shvya_channels.whatsapp_web import WebAdapter
from shvya_channels.whatsapp_web_browser import LoginState
from shvya_rpc.errors import abort_invalid

log = logging.getLogger(__name__)

KIND_TO_ENUM = {
    ChannelKind.EMAIL: channel_pb2.CHANNEL_EMAIL,
    ChannelKind.WHATSAPP_CLOUD: channel_pb2.CHANNEL_WHATSAPP_CLOUD,
    ChannelKind.WHATSAPP_WEB: channel_pb2.CHANNEL_WHATSAPP_WEB,
}
_OUTCOME = {
    Kind.SENT: pb.SEND_OUTCOME_SENT,
    Kind.RETRY_LATER: pb.SEND_OUTCOME_RETRY_LATER,
    Kind.REJECTED: pb.SEND_OUTCOME_REJECTED,
    Kind.ACCOUNT_BLOCKED: pb.SEND_OUTCOME_ACCOUNT_BLOCKED,
    Kind.DEFERRED: pb.SEND_OUTCOME_DEFERRED,
}


_LOGIN_STATE = {
    LoginState.STARTING: pb.LOGIN_STATE_STARTING,
    LoginState.NEEDS_QR: pb.LOGIN_STATE_NEEDS_QR,
    LoginState.LOGGED_IN: pb.LOGIN_STATE_LOGGED_IN,
    LoginState.LOGGED_OUT: pb.LOGIN_STATE_LOGGED_OUT,
    LoginState.BLOCKED: pb.LOGIN_STATE_BLOCKED,
}


def _ts(value) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    out = timestamp_pb2.Timestamp()
    out.FromDatetime(value)
    return out


def to_response(outcome: Outcome) -> pb.SendMessageResponse:
    return pb.SendMessageResponse(
        outcome=_OUTCOME[outcome.kind],
        external_id=outcome.external_id,
        retry_after_seconds=outcome.retry_after_seconds,
        reason=outcome.reason,
        error_code=outcome.error_code,
        duplicate=outcome.duplicate,
        address_invalid=outcome.address_invalid,
    )


def _email_request(request: pb.SendMessageRequest) -> tuple[Email | None, dict[str, str]]:
    errors: dict[str, str] = {}
    address = ""
    try:
        address = validate_email(request.recipient.email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        errors["recipient.email"] = (
            f"is not a valid email address ({exc})" if request.recipient.email else "is required"
        )
    if not request.text.strip():
        errors["text"] = "must not be empty"
    # Every field that lands in a header must be one line: a line break would
    # inject headers, and the email package refuses it only mid-send, as an
    # unexplained error raised after the send's key was claimed.
    single_line = {
        "recipient.name": request.recipient.name,
        "subject": request.subject,
        "sender_name": request.sender_name,
        "in_reply_to": request.in_reply_to,
        "message_id": request.message_id,
    }
    for name, value in single_line.items():
        if any(c in value for c in "\r\n"):
            errors[name] = "must be a single line"
    if any(c in reference for reference in request.references for c in "\r\n"):
        errors["references"] = "each reference must be a single line"
    for name, value in request.headers.items():
        if name.lower() not in ALLOWED_EXTRA_HEADERS:
            errors[f"headers.{name}"] = (
                f"is not allowed (allowed: {', '.join(sorted(ALLOWED_EXTRA_HEADERS))})"
            )
        elif any(c in value for c in "\r\n"):
            errors[f"headers.{name}"] = "must be a single line"
    if errors:
        return None, errors
    return (
        Email(
            to_address=address,
            to_name=request.recipient.name,
            subject=request.subject.strip() or "Your enquiry",
            text=request.text,
            message_id=request.message_id,
            sender_name=request.sender_name,
            in_reply_to=request.in_reply_to,
            references=tuple(request.references),
            headers=dict(request.headers),
        ),
        {},
    )


class ChannelsServicer(pb_grpc.ChannelsServiceServicer):
    def __init__(
        self,
        kind: ChannelKind,
        ledger: SendLedger,
        email: SmtpAdapter | None = None,
        cloud: CloudAdapter | None = None,
        web: WebAdapter | None = None,
    ) -> None:
        self._kind = kind
        self._ledger = ledger
        self._email = email
        self._cloud = cloud
        self._web = web

    def _readiness(self) -> tuple[bool, str]:
        if self._kind == ChannelKind.EMAIL and self._email is not None:
            return True, ""
        if self._kind == ChannelKind.WHATSAPP_CLOUD and self._cloud is not None:
            return self._cloud.readiness()
        if self._kind == ChannelKind.WHATSAPP_WEB and self._web is not None:
            return self._web.readiness()
        return False, f"no {self._kind.value} adapter is configured in this deployment"

    def _configured(self) -> bool:
        if self._kind == ChannelKind.WHATSAPP_CLOUD:
            return self._cloud is not None and self._cloud.configured
        return {ChannelKind.EMAIL: self._email, ChannelKind.WHATSAPP_WEB: self._web}[self._kind] is not None

    def DescribeChannel(self, request, context):
        ready, detail = self._readiness()
        return pb.DescribeChannelResponse(
            channel=KIND_TO_ENUM[self._kind], ready=ready, detail=detail, configured=self._configured()
        )

    def SendMessage(self, request: pb.SendMessageRequest, context: grpc.ServicerContext):
        if request.channel != KIND_TO_ENUM[self._kind]:
            context.abort(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"this deployment serves the {self._kind.value} channel only",
            )
        if not request.idempotency_key.strip():
            abort_invalid(context, {"idempotency_key": "is required"})
        send: Callable[[], Outcome]
        if self._kind == ChannelKind.EMAIL and self._email is not None:
            email, errors = _email_request(request)
            if errors:
                abort_invalid(context, errors)
            adapter = self._email

            def send() -> Outcome:
                return adapter.send(email)
        elif self._kind == ChannelKind.WHATSAPP_CLOUD and self._cloud is not None:
            message, errors = whatsapp_cloud.prepare(request)
            if errors:
                abort_invalid(context, errors)
            cloud = self._cloud

            def send() -> Outcome:
                return cloud.send(message)
        elif self._kind == ChannelKind.WHATSAPP_WEB and self._web is not None:
            web_message, errors = whatsapp_web.prepare(request)
            if errors:
                abort_invalid(context, errors)
            web = self._web

            def send() -> Outcome:
                return web.send(web_message)
        else:
            return to_response(
                Outcome.rejected(f"no {self._kind.value} adapter is configured in this deployment")
            )
        outcome = self._send_once(request.idempotency_key, send)
        send_metrics.sends().labels(self._kind.value, outcome.kind.value).inc()
        return to_response(outcome)

    def _send_once(self, key: str, send: Callable[[], Outcome]) -> Outcome:
        try:
            claim = self._ledger.begin(key)
        except LedgerUnavailable as exc:
            return Outcome.retry(f"send ledger unavailable, not sending: {exc}", after=5.0, code="ledger")
        if isinstance(claim, Outcome):
            return claim
        try:
            outcome = send()
        except Exception as exc:
            # An adapter bug must not leave the key claimed until the lease
            # expires: release it and let the job retry.
            log.exception("send %s raised", key)
            outcome = Outcome.retry(f"the adapter failed: {type(exc).__name__}: {exc}", code="adapter")
        for attempt in range(3):
            try:
                self._ledger.finish(claim, outcome)
                break
            except LedgerUnavailable as exc:
                # A sent message that the ledger cannot record could be sent
                # again once the claim expires: try hard, then shout.
                log.error("could not record outcome of send %s (attempt %d): %s", key, attempt + 1, exc)
                time.sleep(0.2 * (attempt + 1))
        return outcome

    # -- the sending account ------------------------------------------------------------

    def _status(self) -> pb.AccountStatus:
        status = pb.AccountStatus(channel=KIND_TO_ENUM[self._kind])
        switch = None
        if self._cloud is not None:
            status.account = self._cloud.account
            switch = self._cloud.stopped()
        elif self._web is not None:
            web = self._web
            status.account = web.account
            switch = web.killswitch.current()
            status.login_state = _LOGIN_STATE[web.browser.state]
            status.login_detail = web.browser.detail
            status.login_state_since.CopyFrom(_ts(web.browser.since))
            status.sent_today = web.pacing.sent_today()
            status.daily_cap = web.pacing.daily_cap
            next_at = web.next_send_at()
            if next_at is not None:
                status.next_send_at.CopyFrom(_ts(next_at))
        elif self._email is not None:
            status.account = self._email.sender
        if switch is not None:
            status.stopped = True
            status.stop_reason = switch.reason
            status.stop_code = switch.code
            status.stopped_at.CopyFrom(_ts(switch.at))
        return status

    @property
    def kind(self) -> str:
        return self._kind.value

    def account_status(self) -> pb.AccountStatus:
        return self._status()

    def can_send(self) -> bool:
        return self._readiness()[0]

    def GetAccountStatus(self, request, context):
        return pb.GetAccountStatusResponse(status=self._status())

    def GetLoginQr(self, request, context):
        if self._web is None:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, "only the whatsapp_web channel shows a QR code")
        shown = self._web.browser.qr()
        if shown is None:
            context.abort(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"no QR code is shown: WhatsApp Web is {self._web.browser.state.value} ({self._web.browser.detail})",
            )
        png, at = shown
        return pb.GetLoginQrResponse(png=png, captured_at=_ts(at))

    def ReportDeliveryError(self, request: pb.ReportDeliveryErrorRequest, context):
        if self._cloud is None:
            context.abort(
                grpc.StatusCode.UNIMPLEMENTED, "only the whatsapp_cloud channel takes Meta's delivery errors"
            )
        code = request.error_code.strip()
        if not code.isdigit():
            abort_invalid(context, {"error_code": "must be Meta's numeric error code, for example 368"})
        stopped = self._cloud.report_error(code, request.error_message.strip(), request.external_id.strip())
        return pb.ReportDeliveryErrorResponse(status=self._status(), stopped=stopped)

    def ResumeAccount(self, request: pb.ResumeAccountRequest, context):
        why = request.reason.strip() or "resumed by an admin"
        switch = self._cloud.killswitch if self._cloud is not None else None
        switch = self._web.killswitch if self._web is not None else switch
        resumed = switch.resume(why) if switch is not None else False
        return pb.ResumeAccountResponse(status=self._status(), resumed=resumed)
