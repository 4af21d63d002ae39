"""Delivery truth: channel reports move an outbound message forward only (sent < delivered < read,
failed with the channel's reason), once per report, even when a report overtakes its send."""

from __future__ import annotations

from datetime import UTC, datetime

import grpc
import pytest

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.errors import field_violations

WA_CLOUD = channel_pb2.CHANNEL_WHATSAPP_CLOUD
WAMID = "wamid.HBgMOTE5ODEyMzQ1Njc4FQIAERgSQkU3RjJBMEQxNUY1NjQwMDU4AA=="


def _outbound(crm, *, external_id: str | None = WAMID) -> crm_pb.Message:
    """A reply on the Cloud API, reserved and (with an external id) marked sent."""
    turn = crm.ingest(channel=WA_CLOUD)
    message = crm.stub.conversations.ReserveOutboundMessage(
        conversations_pb.ReserveOutboundMessageRequest(
            lead_id=turn.lead_id,
            channel=WA_CLOUD,
            text="Hi Rahul, the fee is Rs 24,999.",
            idempotency_key=f"reply_{turn.job_id}",
            job_id=turn.job_id,
        )
    ).message
    if external_id is None:
        return message
    return crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=message.id, external_id=external_id)
    ).message


def _report(crm, status, external_id: str = WAMID, **fields) -> leads_pb.ApplyDeliveryStatusResponse:
    request = leads_pb.ApplyDeliveryStatusRequest(
        channel=WA_CLOUD, external_id=external_id, status=status, **fields
    )
    return crm.stub.leads.ApplyDeliveryStatus(request)


def _status(crm, message_id: str) -> crm_pb.Message:
    return crm.stub.leads.GetMessage(leads_pb.GetMessageRequest(message_id=message_id)).message


def test_delivered_then_read_move_the_message_forward_with_their_times(crm):
    message = _outbound(crm)

    delivered = _report(crm, crm_pb.MESSAGE_STATUS_DELIVERED)
    read = _report(crm, crm_pb.MESSAGE_STATUS_READ)

    assert delivered.applied
    assert read.applied
    final = _status(crm, message.id)
    assert final.status == crm_pb.MESSAGE_STATUS_READ
    assert final.HasField("delivered_at")
    assert final.HasField("read_at")
    assert crm.event_types("entity_id = %s AND type LIKE 'message.%%'", (message.id,)) == [
        "message.queued",
        "message.sent",
        "message.delivered",
        "message.read",
    ]


def test_read_without_delivered_implies_delivered(crm):
    message = _outbound(crm)

    _report(crm, crm_pb.MESSAGE_STATUS_READ)

    final = _status(crm, message.id)
    assert final.status == crm_pb.MESSAGE_STATUS_READ
    assert final.HasField("delivered_at")


def test_a_late_delivered_after_read_does_not_move_the_status_back(crm):
    message = _outbound(crm)
    _report(crm, crm_pb.MESSAGE_STATUS_READ)

    late = _report(crm, crm_pb.MESSAGE_STATUS_DELIVERED)

    assert late.applied is False
    assert _status(crm, message.id).status == crm_pb.MESSAGE_STATUS_READ


def test_a_late_sent_after_delivered_changes_nothing(crm):
    message = _outbound(crm)
    _report(crm, crm_pb.MESSAGE_STATUS_DELIVERED)

    late = _report(crm, crm_pb.MESSAGE_STATUS_SENT)

    assert late.applied is False
    assert _status(crm, message.id).status == crm_pb.MESSAGE_STATUS_DELIVERED


def test_failed_records_the_channels_code_and_reason(crm):
    message = _outbound(crm)

    _report(
        crm,
        crm_pb.MESSAGE_STATUS_FAILED,
        error_code="131026",
        error_message="Message undeliverable: Message Undeliverable.",
    )

    final = _status(crm, message.id)
    assert final.status == crm_pb.MESSAGE_STATUS_FAILED
    assert final.error_message == "131026: Message undeliverable: Message Undeliverable."
    assert final.HasField("failed_at")


def test_failed_after_delivered_is_ignored(crm):
    message = _outbound(crm)
    _report(crm, crm_pb.MESSAGE_STATUS_DELIVERED)

    failed = _report(crm, crm_pb.MESSAGE_STATUS_FAILED, error_code="131026", error_message="undeliverable")

    assert failed.applied is False
    final = _status(crm, message.id)
    assert final.status == crm_pb.MESSAGE_STATUS_DELIVERED
    assert final.error_message == ""


def test_a_repeated_report_is_a_duplicate_and_writes_nothing(crm):
    message = _outbound(crm)
    _report(crm, crm_pb.MESSAGE_STATUS_DELIVERED)
    events_before = crm.count("events")

    again = _report(crm, crm_pb.MESSAGE_STATUS_DELIVERED)

    assert again.duplicate is True
    assert again.applied is False
    assert again.message.id == message.id
    assert crm.count("events") == events_before
    assert crm.count("delivery_receipts") == 1


def test_a_report_that_overtakes_its_send_is_applied_when_the_send_is_recorded(crm):
    # Given Meta's status webhooks arrive before the send's answer was recorded
    message = _outbound(crm, external_id=None)
    sent = _report(crm, crm_pb.MESSAGE_STATUS_SENT)
    delivered = _report(crm, crm_pb.MESSAGE_STATUS_DELIVERED)
    assert sent.pending
    assert delivered.pending
    assert not delivered.HasField("message")

    # When the conductor records the send with that wamid
    marked = crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=message.id, external_id=WAMID)
    )

    # Then the message is already delivered, and the reports point at it
    assert marked.message.status == crm_pb.MESSAGE_STATUS_DELIVERED
    assert crm.count("delivery_receipts", "message_id = %s", (message.id,)) == 2


def test_the_reports_occurred_at_is_kept_with_the_report(crm):
    _outbound(crm)
    request = leads_pb.ApplyDeliveryStatusRequest(
        channel=WA_CLOUD, external_id=WAMID, status=crm_pb.MESSAGE_STATUS_DELIVERED, recipient="919812345678"
    )
    request.occurred_at.FromDatetime(datetime(2026, 6, 15, 23, 27, 53, tzinfo=UTC))

    crm.stub.leads.ApplyDeliveryStatus(request)

    [(occurred, recipient)] = crm.sql("SELECT occurred_at, recipient FROM delivery_receipts")
    assert occurred == datetime(2026, 6, 15, 23, 27, 53, tzinfo=UTC)
    assert recipient == "919812345678"


def test_a_report_on_another_channel_does_not_touch_the_message(crm):
    message = _outbound(crm)

    other = crm.stub.leads.ApplyDeliveryStatus(
        leads_pb.ApplyDeliveryStatusRequest(
            channel=channel_pb2.CHANNEL_WHATSAPP_WEB, external_id=WAMID, status=crm_pb.MESSAGE_STATUS_READ
        )
    )

    assert other.pending is True
    assert _status(crm, message.id).status == crm_pb.MESSAGE_STATUS_SENT


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"external_id": "", "status": crm_pb.MESSAGE_STATUS_READ}, "external_id"),
        ({"external_id": WAMID, "status": crm_pb.MESSAGE_STATUS_QUEUED}, "status"),
        ({"external_id": WAMID, "status": crm_pb.MESSAGE_STATUS_UNSPECIFIED}, "status"),
        ({"external_id": "x" * 256, "status": crm_pb.MESSAGE_STATUS_READ}, "external_id"),
    ],
)
def test_an_invalid_report_names_the_field_and_writes_nothing(crm, fields, field):
    _outbound(crm)
    before = crm.counts()

    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.leads.ApplyDeliveryStatus(leads_pb.ApplyDeliveryStatusRequest(channel=WA_CLOUD, **fields))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in field_violations(caught.value)
    assert crm.counts() == before
    assert crm.count("delivery_receipts") == 0
