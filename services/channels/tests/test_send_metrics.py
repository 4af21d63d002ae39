"""Every answered send is counted by channel and outcome."""

from __future__ import annotations

from prometheus_client import REGISTRY

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya_rpc import metrics
from shvya_testkit.ports import free_port


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


def test_a_kill_switch_shows_as_on_until_resumed(
    cloud_settings, start_channels, graph_api, wa_request, monkeypatch
):
    # Given a WhatsApp Cloud deployment serving metrics
    monkeypatch.setenv(metrics.PORT_VARIABLE, str(free_port()))
    cloud = start_channels(cloud_settings())
    labels = {"channel": "whatsapp_cloud", "account": graph_api.phone_id}
    assert REGISTRY.get_sample_value("shvya_channel_kill_switch", labels) == 0

    # When Meta restricts the account, the switch is on and the channel cannot send
    graph_api.fail_next(368)
    cloud.stub.SendMessage(wa_request())
    assert REGISTRY.get_sample_value("shvya_channel_kill_switch", labels) == 1
    assert REGISTRY.get_sample_value("shvya_channel_ready", {"channel": "whatsapp_cloud"}) == 0

    # And once an admin resumes it, it is off again
    cloud.stub.ResumeAccount(pb.ResumeAccountRequest(reason="Meta lifted the restriction"))
    assert REGISTRY.get_sample_value("shvya_channel_kill_switch", labels) == 0
