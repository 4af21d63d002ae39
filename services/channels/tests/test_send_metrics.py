"""Every answered send is counted by channel and outcome."""

from __future__ import annotations

from prometheus_client import REGISTRY

from shvya.channels.v1 import channels_service_pb2 as pb


def sends(outcome: str) -> float:
    return (
        REGISTRY.get_sample_value("shvya_channel_sends_total", {"channel": "email", "outcome": outcome})
        or 0.0
    )


def test_a_delivered_email_is_counted_as_sent(email_channel, smtp_server, send_request):
    before = sends("sent")

    response = email_channel.stub.SendMessage(send_request())

    assert response.outcome == pb.SEND_OUTCOME_SENT
    assert sends("sent") == before + 1


def test_a_refused_recipient_is_counted_as_rejected(email_channel, smtp_server, send_request):
    smtp_server.refuse_recipients("550 5.1.1 no such user")
    before = sends("rejected")

    response = email_channel.stub.SendMessage(send_request())

    assert response.outcome == pb.SEND_OUTCOME_REJECTED
    assert sends("rejected") == before + 1
