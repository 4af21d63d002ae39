"""The WhatsApp Cloud API channel over real gRPC and Redis, against an HTTP server that answers like
Meta's Graph API: free text in the window, templates outside it, every documented error code mapped,
a kill switch shared by replicas, and pacing per number and per recipient."""

from __future__ import annotations

import time

import grpc
import pytest

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya_channels.meta_errors import CODES, Action
from shvya_rpc.errors import field_violations
from shvya_testkit.ports import free_port


@pytest.fixture
def cloud(cloud_settings, start_channels):
    return start_channels(cloud_settings())


def test_a_reply_in_the_window_goes_as_free_text_and_returns_the_wamid(cloud, graph_api, wa_request):
    response = cloud.stub.SendMessage(wa_request())

    assert response.outcome == pb.SEND_OUTCOME_SENT
    [sent] = graph_api.sends()
    assert sent.path == "/v24.0/106540352242922/messages"
    assert sent.headers["authorization"] == "Bearer EAAG-test-access-token"
    assert sent.body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "919812345678",
        "type": "text",
        "text": {"preview_url": False, "body": "Hi Priya, the fee for Digital Marketing Pro is Rs 24,999."},
    }
    assert response.external_id.startswith("wamid.")


def test_a_link_in_the_text_asks_for_a_preview(cloud, graph_api, wa_request):
    cloud.stub.SendMessage(wa_request(text="Details: https://academy.example/dm"))

    assert graph_api.sends()[0].body["text"]["preview_url"] is True


def test_a_template_is_sent_with_its_language_and_body_parameters(cloud, graph_api, wa_request):
    request = wa_request(
        window_open=False,
        text="Hi Priya, thanks for your interest in Digital Marketing Pro.",
        template=pb.TemplateMessage(
            name="lead_intro_v1", language="en_US", parameters=["Priya", "Digital Marketing Pro"]
        ),
    )

    response = cloud.stub.SendMessage(request)

    assert response.outcome == pb.SEND_OUTCOME_SENT
    assert graph_api.sends()[0].body == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": "919812345678",
        "type": "template",
        "template": {
            "name": "lead_intro_v1",
            "language": {"code": "en_US"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "Priya"},
                        {"type": "text", "text": "Digital Marketing Pro"},
                    ],
                }
            ],
        },
    }


def test_a_template_without_parameters_sends_no_components(cloud, graph_api, wa_request):
    cloud.stub.SendMessage(wa_request(template=pb.TemplateMessage(name="hello_world", language="en_US")))

    assert "components" not in graph_api.sends()[0].body["template"]


def test_the_graph_url_and_version_come_from_the_settings(
    cloud_settings, start_channels, graph_api, wa_request
):
    graph_api.version = "v21.0"
    channel = start_channels(cloud_settings(whatsapp_cloud_api_version="v21.0"))

    assert channel.stub.SendMessage(wa_request()).outcome == pb.SEND_OUTCOME_SENT
    assert graph_api.sends()[0].path == "/v21.0/106540352242922/messages"


def test_a_repeat_with_the_same_key_calls_meta_once(cloud, graph_api, wa_request):
    request = wa_request()
    first = cloud.stub.SendMessage(request)
    again = cloud.stub.SendMessage(request)

    assert again.duplicate is True
    assert again.external_id == first.external_id
    assert len(graph_api.sends()) == 1


# -- Meta's error codes (docs/channels.md, section 1.3) ------------------------------------------

RETRY = [130429, 131056, 131049, 4, 80007]
REJECT = [131047, 131026, 131030, 132000, 132001, 132015, 132016, 131050]
STOP = [368, 190, 131048]


def test_every_code_of_the_spec_has_an_action():
    assert {c for c in RETRY + REJECT + STOP} <= set(CODES)
    assert all(CODES[c].action == Action.RETRY for c in RETRY)
    assert all(CODES[c].action == Action.REJECT for c in REJECT)
    assert all(CODES[c].action == Action.STOP for c in STOP)


@pytest.mark.parametrize("code", RETRY)
def test_throughput_and_rate_codes_are_retried_later(cloud, graph_api, wa_request, code):
    graph_api.fail_next(code)

    response = cloud.stub.SendMessage(wa_request())

    assert response.outcome == pb.SEND_OUTCOME_RETRY_LATER
    assert response.error_code == str(code)
    assert response.retry_after_seconds >= CODES[code].after > 0


def test_a_per_user_marketing_limit_waits_at_least_a_day(cloud, graph_api, wa_request):
    graph_api.fail_next(131049)

    response = cloud.stub.SendMessage(wa_request())

    assert response.retry_after_seconds >= 24 * 3600


@pytest.mark.parametrize("code", REJECT)
def test_undeliverable_and_template_codes_are_never_retried_and_say_why(cloud, graph_api, wa_request, code):
    graph_api.fail_next(code)

    response = cloud.stub.SendMessage(wa_request())

    assert response.outcome == pb.SEND_OUTCOME_REJECTED
    assert response.error_code == str(code)
    assert CODES[code].meaning in response.reason


def test_a_rejection_carries_metas_own_details(cloud, graph_api, wa_request):
    graph_api.fail_next(131026)

    response = cloud.stub.SendMessage(wa_request())

    assert "not on WhatsApp" in response.reason
    assert "Message Undeliverable." in response.reason


@pytest.mark.parametrize("code", STOP)
def test_account_codes_stop_the_account(cloud, graph_api, wa_request, code):
    graph_api.fail_next(code)

    response = cloud.stub.SendMessage(wa_request())

    assert response.outcome == pb.SEND_OUTCOME_ACCOUNT_BLOCKED
    assert response.error_code == str(code)
    status = cloud.stub.GetAccountStatus(pb.GetAccountStatusRequest()).status
    assert status.stopped is True
    assert status.stop_code == str(code)


def test_a_stopped_account_refuses_every_send_without_calling_meta(cloud, graph_api, wa_request):
    graph_api.fail_next(368)
    cloud.stub.SendMessage(wa_request())

    later = cloud.stub.SendMessage(wa_request(recipient=pb.Recipient(phone_number="+919811111111")))

    assert later.outcome == pb.SEND_OUTCOME_ACCOUNT_BLOCKED
    assert len(graph_api.sends()) == 1


def test_a_stop_is_shared_by_every_replica(cloud_settings, start_channels, graph_api, wa_request, caplog):
    one = start_channels(cloud_settings())
    two = start_channels(cloud_settings())
    graph_api.fail_next(131048)

    one.stub.SendMessage(wa_request())
    response = two.stub.SendMessage(wa_request(recipient=pb.Recipient(phone_number="+919811111111")))

    assert response.outcome == pb.SEND_OUTCOME_ACCOUNT_BLOCKED
    assert len(graph_api.sends()) == 1
    assert any("ALERT" in r.getMessage() for r in caplog.records if r.levelname == "CRITICAL")


def test_resume_lifts_the_stop(cloud, graph_api, wa_request):
    graph_api.fail_next(368)
    cloud.stub.SendMessage(wa_request())

    resumed = cloud.stub.ResumeAccount(pb.ResumeAccountRequest(reason="Meta lifted the restriction"))

    assert resumed.resumed is True
    assert resumed.status.stopped is False
    assert cloud.stub.SendMessage(wa_request()).outcome == pb.SEND_OUTCOME_SENT


def test_an_expired_token_stop_lifts_when_the_token_is_replaced(
    cloud_settings, start_channels, graph_api, wa_request
):
    # Given a deployment whose token Meta refuses
    graph_api.token = "EAAG-new-token"
    old = start_channels(cloud_settings(whatsapp_cloud_token="EAAG-expired-token"))
    assert old.stub.SendMessage(wa_request()).outcome == pb.SEND_OUTCOME_ACCOUNT_BLOCKED
    assert old.stub.SendMessage(wa_request()).outcome == pb.SEND_OUTCOME_ACCOUNT_BLOCKED

    # When it is redeployed with a new token
    new = start_channels(cloud_settings(whatsapp_cloud_token="EAAG-new-token"))

    # Then it sends again
    assert new.stub.SendMessage(wa_request()).outcome == pb.SEND_OUTCOME_SENT


def test_an_unknown_server_error_is_retried(cloud, graph_api, wa_request):
    graph_api.fail_next(999999, http_status=503)

    response = cloud.stub.SendMessage(wa_request())

    assert response.outcome == pb.SEND_OUTCOME_RETRY_LATER


def test_an_unreachable_graph_api_is_retried_later(cloud_settings, start_channels, wa_request):
    channel = start_channels(cloud_settings(whatsapp_cloud_graph_url=f"http://127.0.0.1:{free_port()}"))

    response = channel.stub.SendMessage(wa_request())

    assert response.outcome == pb.SEND_OUTCOME_RETRY_LATER
    assert response.error_code == "connection"


def test_without_credentials_the_account_cannot_send(cloud_settings, start_channels, graph_api, wa_request):
    channel = start_channels(cloud_settings(whatsapp_cloud_token=None))

    response = channel.stub.SendMessage(wa_request())
    described = channel.stub.DescribeChannel(pb.DescribeChannelRequest())

    assert response.outcome == pb.SEND_OUTCOME_ACCOUNT_BLOCKED
    assert described.ready is False
    assert "WHATSAPP_CLOUD_TOKEN" in described.detail
    assert graph_api.sends() == []


def test_a_deployment_without_credentials_says_it_is_not_configured(cloud_settings, start_channels):
    channel = start_channels(cloud_settings(whatsapp_cloud_token=None))

    described = channel.stub.DescribeChannel(pb.DescribeChannelRequest())

    assert described.configured is False
    assert "WHATSAPP_CLOUD_TOKEN" in described.detail


def test_a_deployment_with_credentials_is_configured(cloud_settings, start_channels):
    channel = start_channels(cloud_settings())

    assert channel.stub.DescribeChannel(pb.DescribeChannelRequest()).configured is True


# -- pacing ----------------------------------------------------------------------------------------


def test_a_second_message_to_the_same_person_waits_for_the_pair_gap(cloud, graph_api, wa_request):
    cloud.stub.SendMessage(wa_request())

    again = cloud.stub.SendMessage(wa_request(text="And the EMI is Rs 2,199 a month."))

    assert again.outcome == pb.SEND_OUTCOME_DEFERRED
    assert 0 < again.retry_after_seconds <= 6.0
    assert len(graph_api.sends()) == 1


def test_the_pair_gap_is_shared_by_every_replica(cloud_settings, start_channels, graph_api, wa_request):
    one = start_channels(cloud_settings())
    two = start_channels(cloud_settings())

    one.stub.SendMessage(wa_request())
    again = two.stub.SendMessage(wa_request())

    assert again.outcome == pb.SEND_OUTCOME_DEFERRED


def test_another_person_is_not_held_up_by_the_pair_gap(cloud, graph_api, wa_request):
    cloud.stub.SendMessage(wa_request())

    other = cloud.stub.SendMessage(wa_request(recipient=pb.Recipient(phone_number="+919811111111")))

    assert other.outcome == pb.SEND_OUTCOME_SENT


def test_the_numbers_throughput_per_second_is_enforced(cloud_settings, start_channels, graph_api, wa_request):
    channel = start_channels(cloud_settings(whatsapp_cloud_mps=2))
    outcomes = [
        channel.stub.SendMessage(wa_request(recipient=pb.Recipient(phone_number=f"+91981111111{i}"))).outcome
        for i in range(3)
    ]

    # Three sends within one second: two go, the third waits for the next second
    # (or, if the second changed in between, goes too).
    assert outcomes[:2] == [pb.SEND_OUTCOME_SENT, pb.SEND_OUTCOME_SENT]
    assert outcomes[2] in (pb.SEND_OUTCOME_DEFERRED, pb.SEND_OUTCOME_SENT)
    assert len(graph_api.sends()) == outcomes.count(pb.SEND_OUTCOME_SENT)


def test_with_human_pacing_off_the_pair_gap_does_not_apply(cloud_settings, start_channels, wa_request):
    channel = start_channels(cloud_settings(whatsapp_human_pacing=False))
    channel.stub.SendMessage(wa_request())

    assert channel.stub.SendMessage(wa_request()).outcome == pb.SEND_OUTCOME_SENT


def test_a_deferred_send_is_sent_when_asked_again_after_the_wait(cloud_settings, start_channels, wa_request):
    channel = start_channels(cloud_settings(whatsapp_cloud_pair_gap_seconds=2.0))
    channel.stub.SendMessage(wa_request())
    request = wa_request()
    deferred = channel.stub.SendMessage(request)
    assert deferred.outcome == pb.SEND_OUTCOME_DEFERRED

    time.sleep(deferred.retry_after_seconds + 0.05)

    assert channel.stub.SendMessage(request).outcome == pb.SEND_OUTCOME_SENT


# -- requests and the account ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recipient": pb.Recipient(phone_number="")}, "recipient.phone_number"),
        ({"recipient": pb.Recipient(phone_number="98123 45678")}, "recipient.phone_number"),
        ({"text": "  "}, "text"),
        ({"text": "x" * 4097}, "text"),
        ({"template": pb.TemplateMessage(name="Lead Intro", language="en")}, "template.name"),
        ({"template": pb.TemplateMessage(name="lead_intro", language="english")}, "template.language"),
        (
            {"template": pb.TemplateMessage(name="lead_intro", language="en", parameters=["Priya\nSharma"])},
            "template.parameters[0]",
        ),
    ],
)
def test_an_invalid_request_names_the_field_and_sends_nothing(cloud, graph_api, wa_request, overrides, field):
    with pytest.raises(grpc.RpcError) as caught:
        cloud.stub.SendMessage(wa_request(**overrides))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in field_violations(caught.value)
    assert graph_api.sends() == []


def test_the_account_status_names_the_phone_number_id(cloud):
    status = cloud.stub.GetAccountStatus(pb.GetAccountStatusRequest()).status

    assert status.account == "106540352242922"
    assert status.stopped is False
    assert cloud.stub.DescribeChannel(pb.DescribeChannelRequest()).ready is True


def test_the_cloud_channel_has_no_qr_code(cloud):
    with pytest.raises(grpc.RpcError) as caught:
        cloud.stub.GetLoginQr(pb.GetLoginQrRequest())

    assert caught.value.code() == grpc.StatusCode.UNIMPLEMENTED


@pytest.mark.parametrize("code", STOP)
def test_an_account_code_reported_late_stops_the_account(cloud, graph_api, wa_request, code):
    response = cloud.stub.ReportDeliveryError(
        pb.ReportDeliveryErrorRequest(error_code=str(code), error_message="Restricted", external_id="wamid.X")
    )

    assert response.stopped is True
    assert (response.status.stopped, response.status.stop_code) == (True, str(code))
    assert cloud.stub.SendMessage(wa_request()).outcome == pb.SEND_OUTCOME_ACCOUNT_BLOCKED
    assert graph_api.sends() == []


@pytest.mark.parametrize("code", ["131026", "131047", "130429", "999999"])
def test_a_message_level_code_reported_late_does_not_stop_the_account(cloud, code):
    response = cloud.stub.ReportDeliveryError(pb.ReportDeliveryErrorRequest(error_code=code))

    assert (response.stopped, response.status.stopped) == (False, False)


def test_a_late_report_keeps_the_first_cause_of_a_stop(cloud):
    cloud.stub.ReportDeliveryError(pb.ReportDeliveryErrorRequest(error_code="368"))

    again = cloud.stub.ReportDeliveryError(pb.ReportDeliveryErrorRequest(error_code="131048"))

    assert (again.stopped, again.status.stop_code) == (False, "368")


def test_a_report_without_a_numeric_code_is_refused_and_changes_nothing(cloud):
    with pytest.raises(grpc.RpcError) as caught:
        cloud.stub.ReportDeliveryError(pb.ReportDeliveryErrorRequest(error_code="spam"))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field_violations(caught.value) == {
        "error_code": "must be Meta's numeric error code, for example 368"
    }
    assert cloud.stub.GetAccountStatus(pb.GetAccountStatusRequest()).status.stopped is False
