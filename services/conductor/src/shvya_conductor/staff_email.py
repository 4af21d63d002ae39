"""staff_email: an email to a person who works in Shvya (an invitation, a password reset)."""

# Sent through the email channel; not a conversation with a student, so no crm message is recorded.

from __future__ import annotations

import logging

import grpc

from shvya.channels.v1 import channels_service_pb2 as ch_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.type.v1 import channel_pb2
from shvya_conductor.runner import Permanent, RetryLater, TaskContext

log = logging.getLogger(__name__)


def send_staff_email(ctx: TaskContext, job: jobs_pb.Job) -> bool:
    payload = dict(job.payload)
    if not payload.get("to") or not payload.get("text"):
        raise Permanent("staff email without a recipient or a text")
    request = ch_pb.SendMessageRequest(
        channel=channel_pb2.CHANNEL_EMAIL,
        # The job's key: a retried job is the same send, which the channel does once.
        idempotency_key=job.idempotency_key,
        recipient=ch_pb.Recipient(name=payload.get("name", ""), email=payload["to"]),
        subject=payload.get("subject", ""),
        text=payload["text"],
        company_id=job.company_id,
        sender_name="Shvya",
    )
    stub = ctx.clients.channels[channel_pb2.CHANNEL_EMAIL]
    try:
        result = stub.SendMessage(request, timeout=ctx.settings.channels_timeout_seconds)
    except grpc.RpcError as exc:
        if exc.code() == grpc.StatusCode.UNAVAILABLE:
            raise RetryLater("email channel unreachable") from exc
        raise
    if result.outcome == ch_pb.SEND_OUTCOME_SENT:
        log.info("job %s: staff email sent (%s)", job.id, payload.get("subject", ""))
        return False
    if result.outcome in (ch_pb.SEND_OUTCOME_RETRY_LATER, ch_pb.SEND_OUTCOME_DEFERRED):
        raise RetryLater(f"email: {result.reason or 'retry later'}", result.retry_after_seconds)
    raise Permanent(f"email: {result.reason or ch_pb.SendOutcome.Name(result.outcome)}")
