"""The ChannelsService gRPC interface: checks a send, runs it once under the ledger, through the
deployment's one channel adapter (shvya_channels.channel)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import grpc

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya.channels.v1 import channels_service_pb2_grpc as pb_grpc
from shvya.type.v1 import channel_pb2
from shvya_channels import send_metrics
from shvya_channels.channel import Channel, Unsupported
from shvya_channels.ledger import Claim, LedgerUnavailable, SendLedger
from shvya_channels.outcome import Kind, Outcome
from shvya_channels.settings import ChannelKind
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


class ChannelsServicer(pb_grpc.ChannelsServiceServicer):
    def __init__(self, channel: Channel, ledger: SendLedger) -> None:
        self._channel = channel
        self._ledger = ledger

    def _configured(self) -> bool:
        if self._kind == ChannelKind.WHATSAPP_CLOUD:
            return self._cloud is not None and self._cloud.configured
        return {ChannelKind.EMAIL: self._email, ChannelKind.WHATSAPP_WEB: self._web}[self._kind] is not None

    def DescribeChannel(self, request, context):
        ready, detail = self._channel.readiness()
        return pb.DescribeChannelResponse(
            channel=KIND_TO_ENUM[self._channel.kind],
            ready=ready,
            detail=detail,
            configured=self._channel.configured,
        )

    def SendMessage(self, request: pb.SendMessageRequest, context: grpc.ServicerContext):
        if request.channel != KIND_TO_ENUM[self._channel.kind]:
            context.abort(
                grpc.StatusCode.FAILED_PRECONDITION,
                f"this deployment serves the {self._channel.kind.value} channel only",
            )
        if not request.idempotency_key.strip():
            abort_invalid(context, {"idempotency_key": "is required"})
        send, errors = self._channel.prepare(request)
        if send is None:
            abort_invalid(context, errors)
        outcome = self._send_once(request.idempotency_key, send)
        send_metrics.sends().labels(self._channel.kind.value, outcome.kind.value).inc()
        return to_response(outcome)

    def _send_once(self, key: str, send: Callable[[Claim], Outcome]) -> Outcome:
        try:
            claim = self._ledger.begin(key)
        except LedgerUnavailable as exc:
            return Outcome.retry(f"send ledger unavailable, not sending: {exc}", after=5.0, code="ledger")
        if isinstance(claim, Outcome):
            return claim
        if claim.in_doubt:
            # An earlier attempt died between handing the message over and reading the answer.
            # The adapter applies its channel's decision (docs/channels.md, "Sent once").
            log.warning("send %s: the previous attempt's outcome is unknown (in doubt)", key)
            send_metrics.in_doubt().labels(self._channel.kind.value).inc()
        try:
            outcome = send(claim)
        except Exception as exc:
            # An adapter bug must not leave the key claimed until the lease
            # expires: release it and let the job retry.
            log.exception("send %s raised", key)
            outcome = Outcome.retry(
                f"the adapter failed: {type(exc).__name__}: {exc}",
                code="adapter",
                in_doubt=claim.committed,
            )
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
        status = pb.AccountStatus(channel=KIND_TO_ENUM[self._channel.kind], account=self._channel.account)
        self._channel.describe(status)
        switch = self._channel.current_stop()
        if switch is not None:
            status.stopped = True
            status.stop_reason = switch.reason
            status.stop_code = switch.code
            status.stopped_at.FromDatetime(switch.at)
        return status

    @property
    def kind(self) -> str:
        return self._channel.kind.value

    def account_status(self) -> pb.AccountStatus:
        return self._status()

    def can_send(self) -> bool:
        return self._channel.readiness()[0]

    def GetAccountStatus(self, request, context):
        return pb.GetAccountStatusResponse(status=self._status())

    def GetLoginQr(self, request, context):
        try:
            png, at = self._channel.login_qr()
        except Unsupported as exc:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, str(exc))
        except LookupError as exc:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
        response = pb.GetLoginQrResponse(png=png)
        response.captured_at.FromDatetime(at)
        return response

    def ReportDeliveryError(self, request: pb.ReportDeliveryErrorRequest, context):
        try:
            stopped = self._channel.report_error(
                request.error_code.strip(), request.error_message.strip(), request.external_id.strip()
            )
        except Unsupported as exc:
            context.abort(grpc.StatusCode.UNIMPLEMENTED, str(exc))
        except ValueError as exc:
            abort_invalid(context, {"error_code": str(exc)})
        return pb.ReportDeliveryErrorResponse(status=self._status(), stopped=stopped)

    def ResumeAccount(self, request: pb.ResumeAccountRequest, context):
        why = request.reason.strip() or "resumed by an admin"
        switch = self._channel.killswitch
        resumed = switch.resume(why) if switch is not None else False
        return pb.ResumeAccountResponse(status=self._status(), resumed=resumed)
