"""SendMessage over real gRPC, Redis and SMTP: validated, sent at most once per idempotency key."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.errors import field_violations
from shvya_testkit.ports import free_port


def test_a_send_is_delivered_and_answered_with_its_message_id(email_channel, smtp_server, send_request):
    response = email_channel.stub.SendMessage(send_request())

    assert response.outcome == pb.SEND_OUTCOME_SENT
    assert response.duplicate is False
    assert response.external_id == "<0b7e9a52-5d1c-4c39-9f1e-2f6f0a3c1d11@shvya.test>"
    [received] = smtp_server.wait_for(1, timeout=5)
    assert received.message["Message-ID"] == response.external_id
    assert received.message["To"] == "Rahul Kumar <rahul@example.com>"


def test_request_headers_and_thread_ids_reach_the_email(email_channel, smtp_server, send_request):
    email_channel.stub.SendMessage(
        send_request(
            sender_name="Acme Academy",
            in_reply_to="<m1@shvya.test>",
            references=["<m0@shvya.test>", "<m1@shvya.test>"],
            headers={"List-Unsubscribe": "<https://shvya.test/u/1>"},
        )
    )

    [received] = smtp_server.wait_for(1, timeout=5)
    assert received.message["From"] == "Acme Academy <admissions@shvya.test>"
    assert received.message["In-Reply-To"] == "<m1@shvya.test>"
    assert received.message["References"] == "<m0@shvya.test> <m1@shvya.test>"
    assert received.message["List-Unsubscribe"] == "<https://shvya.test/u/1>"


def test_a_repeat_with_the_same_key_sends_one_email_and_reports_a_duplicate(
    email_channel, smtp_server, send_request
):
    # Given an email sent under an idempotency key
    first = email_channel.stub.SendMessage(send_request())

    # When a retried job sends it again
    again = email_channel.stub.SendMessage(send_request())

    # Then the server received one email, and the repeat reports the first send
    assert again.outcome == pb.SEND_OUTCOME_SENT
    assert again.duplicate is True
    assert again.external_id == first.external_id
    assert len(smtp_server.messages) == 1


def test_different_keys_send_separately(email_channel, smtp_server, send_request):
    email_channel.stub.SendMessage(send_request(idempotency_key="k1", message_id="m1"))
    email_channel.stub.SendMessage(send_request(idempotency_key="k2", message_id="m2"))

    assert len(smtp_server.wait_for(2, timeout=5)) == 2


def test_concurrent_sends_with_one_key_send_one_email(
    make_settings, start_smtp, start_channels, send_request
):
    # Given a slow SMTP server, so that the sends overlap
    smtp = start_smtp(data_delay=0.5)
    channel = start_channels(make_settings(smtp_port=smtp.port))
    barrier = threading.Barrier(6)

    def send(_):
        barrier.wait(timeout=10)
        return channel.stub.SendMessage(send_request())

    # When six workers send the same message at the same moment
    with ThreadPoolExecutor(max_workers=6) as pool:
        responses = list(pool.map(send, range(6)))

    # Then one email went out; every other caller was told it is sent, or in progress: deferred
    # (no attempt of theirs spent) until the claim is settled
    assert len(smtp.handler.messages()) == 1
    fresh = [r for r in responses if r.outcome == pb.SEND_OUTCOME_SENT and not r.duplicate]
    assert len(fresh) == 1
    others = [r for r in responses if r is not fresh[0]]
    assert all(
        (r.outcome == pb.SEND_OUTCOME_SENT and r.duplicate) or r.outcome == pb.SEND_OUTCOME_DEFERRED
        for r in others
    )
    assert any(r.outcome == pb.SEND_OUTCOME_DEFERRED and r.retry_after_seconds >= 1 for r in others)


def test_a_failed_send_does_not_poison_the_key(email_channel, smtp_server, send_request):
    # Given a send the server deferred
    smtp_server.refuse_data("451 4.3.0 try again later")
    deferred = email_channel.stub.SendMessage(send_request())
    assert deferred.outcome == pb.SEND_OUTCOME_RETRY_LATER

    # When the server recovers and the job retries with the same key
    smtp_server.refuse_data(None)
    retried = email_channel.stub.SendMessage(send_request())

    # Then the retry is sent, once
    assert retried.outcome == pb.SEND_OUTCOME_SENT
    assert retried.duplicate is False
    assert len(smtp_server.wait_for(1, timeout=5)) == 1
    assert email_channel.stub.SendMessage(send_request()).duplicate is True
    assert len(smtp_server.messages) == 1


def test_a_send_while_the_server_is_down_is_retried_later_then_sent_once(
    email_channel, smtp_server, send_request
):
    # Given the SMTP server is down
    smtp_server.stop()
    down = email_channel.stub.SendMessage(send_request())

    # When it comes back on the same port
    smtp_server.start()
    up = email_channel.stub.SendMessage(send_request())

    assert down.outcome == pb.SEND_OUTCOME_RETRY_LATER
    assert "unreachable" in down.reason
    assert up.outcome == pb.SEND_OUTCOME_SENT
    assert len(smtp_server.wait_for(1, timeout=5)) == 1


def test_a_rejected_recipient_is_reported_and_not_remembered_as_sent(
    email_channel, smtp_server, send_request
):
    smtp_server.refuse_recipients("550 5.1.1 no such user")

    response = email_channel.stub.SendMessage(send_request())

    assert response.outcome == pb.SEND_OUTCOME_REJECTED
    assert response.error_code == "550"
    assert "no such user" in response.reason


@pytest.mark.parametrize(
    ("reply", "invalid"),
    [
        ("550 5.1.1 <x@example.com>: Recipient address rejected: User unknown", True),
        ("550 No such user here", True),
        ("553 5.1.3 Bad recipient address syntax", True),
        ("551 User not local", True),
        ("550 5.7.1 Message rejected as spam", False),  # about the message, not the address
        ("552 5.2.2 Mailbox full", False),
        ("450 4.2.1 Mailbox busy, try later", False),
    ],
)
def test_only_a_refusal_that_says_the_address_does_not_exist_is_a_hard_bounce(
    email_channel, smtp_server, send_request, reply, invalid
):
    smtp_server.refuse_recipients(reply)

    response = email_channel.stub.SendMessage(send_request())

    assert response.address_invalid is invalid
    assert response.outcome == (
        pb.SEND_OUTCOME_RETRY_LATER if reply.startswith("4") else pb.SEND_OUTCOME_REJECTED
    )


def test_the_wrong_channel_for_the_deployment_is_a_failed_precondition(
    email_channel, smtp_server, send_request
):
    with pytest.raises(grpc.RpcError) as caught:
        email_channel.stub.SendMessage(send_request(channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD))

    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "email" in caught.value.details()
    assert smtp_server.messages == []


def test_a_missing_idempotency_key_is_refused(email_channel, smtp_server, send_request):
    with pytest.raises(grpc.RpcError) as caught:
        email_channel.stub.SendMessage(send_request(idempotency_key=" "))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"idempotency_key"}
    assert smtp_server.messages == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"recipient": pb.Recipient(name="Rahul", email="not-an-email")}, "recipient.email"),
        ({"recipient": pb.Recipient(name="Rahul", email="")}, "recipient.email"),
        (
            {"recipient": pb.Recipient(name="Rahul", email="rahul@example.com\r\nBcc: all@example.com")},
            "recipient.email",
        ),
        (
            {"recipient": pb.Recipient(name="Rahul\r\nBcc: all@example.com", email="rahul@example.com")},
            "recipient.name",
        ),
        ({"subject": "Hello\r\nBcc: all@example.com"}, "subject"),
        ({"sender_name": "Acme\r\nBcc: all@example.com"}, "sender_name"),
        ({"in_reply_to": "<m1@x>\r\nBcc: all@example.com"}, "in_reply_to"),
        ({"references": ["<m1@x>\nBcc: all@example.com"]}, "references"),
        ({"message_id": "m1\r\nBcc: all@example.com"}, "message_id"),
        (
            {"headers": {"List-Unsubscribe": "<https://x>\r\nBcc: all@example.com"}},
            "headers.List-Unsubscribe",
        ),
        ({"headers": {"Bcc": "all@example.com"}}, "headers.Bcc"),
        ({"text": "  "}, "text"),
    ],
)
def test_invalid_or_injected_input_is_refused_naming_the_field_and_nothing_is_sent(
    email_channel, smtp_server, send_request, change, field
):
    with pytest.raises(grpc.RpcError) as caught:
        email_channel.stub.SendMessage(send_request(**change))

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in field_violations(caught.value)
    assert smtp_server.messages == []


def test_a_refused_request_leaves_the_key_free_for_a_corrected_one(email_channel, smtp_server, send_request):
    with pytest.raises(grpc.RpcError):
        email_channel.stub.SendMessage(send_request(sender_name="Acme\r\nBcc: all@example.com"))

    corrected = email_channel.stub.SendMessage(send_request(sender_name="Acme"))

    assert corrected.outcome == pb.SEND_OUTCOME_SENT
    assert corrected.duplicate is False
    assert len(smtp_server.wait_for(1, timeout=5)) == 1


def test_every_bad_field_is_reported_at_once(email_channel, send_request):
    with pytest.raises(grpc.RpcError) as caught:
        email_channel.stub.SendMessage(
            send_request(
                recipient=pb.Recipient(email="nope"), subject="a\nb", text="", headers={"Cc": "x@y.z"}
            )
        )

    assert set(field_violations(caught.value)) == {"recipient.email", "subject", "text", "headers.Cc"}


def test_the_email_deployment_describes_itself_as_ready(email_channel):
    described = email_channel.stub.DescribeChannel(pb.DescribeChannelRequest())

    assert described.channel == channel_pb2.CHANNEL_EMAIL
    assert described.ready is True


def test_with_redis_unavailable_nothing_is_sent_and_the_send_is_retried_later(
    smtp_server, make_settings, start_channels, send_request
):
    # Given a deployment whose send ledger points at a closed port
    deployment = start_channels(
        make_settings(smtp_port=smtp_server.port, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    )

    # When a send is asked for
    response = deployment.stub.SendMessage(send_request())

    # Then it is not sent (a duplicate could not be ruled out), to be retried later
    assert response.outcome == pb.SEND_OUTCOME_RETRY_LATER
    assert "ledger" in response.reason
    assert response.retry_after_seconds > 0
    assert smtp_server.messages == []


def test_the_ledger_keys_live_under_the_configured_prefix(
    email_channel, send_request, redis_client, redis_prefix
):
    email_channel.stub.SendMessage(send_request(idempotency_key="reply_job-9"))

    assert redis_client.exists(f"{redis_prefix}:channels:send:reply_job-9") == 1
    assert redis_client.ttl(f"{redis_prefix}:channels:send:reply_job-9") > 0


@pytest.mark.parametrize("service", ["", "shvya.channels.v1.ChannelsService"])
def test_health_reports_serving(email_channel, service):
    response = health_pb2_grpc.HealthStub(email_channel.channel).Check(
        health_pb2.HealthCheckRequest(service=service)
    )

    assert response.status == health_pb2.HealthCheckResponse.SERVING


def test_with_an_internal_token_a_send_without_it_is_unauthenticated(
    smtp_server, make_settings, start_channels, send_request
):
    deployment = start_channels(make_settings(smtp_port=smtp_server.port, internal_token="mesh-token"))

    with pytest.raises(grpc.RpcError) as caught:
        deployment.stub.SendMessage(send_request())

    assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
    assert smtp_server.messages == []


def test_an_adapter_that_raises_releases_the_key_so_a_retry_can_send(redis_client, redis_prefix, smtp_server):
    # Given an adapter that fails unexpectedly once, then works
    from shvya_channels.channel import StubChannel
    from shvya_channels.ledger import SendLedger
    from shvya_channels.outcome import Kind, Outcome
    from shvya_channels.servicer import ChannelsServicer

    ledger = SendLedger(redis_client, prefix=redis_prefix, lease_seconds=120, memory_seconds=60)
    servicer = ChannelsServicer(StubChannel(), ledger)
    calls = []

    def flaky(checkpoint) -> Outcome:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return Outcome.sent("<x@shvya.local>")

    # When it raises, the outcome is a retry, and the key is free again
    assert servicer._send_once("key-1", flaky).kind == Kind.RETRY_LATER
    # Then the retry sends at once instead of waiting out the lease
    assert servicer._send_once("key-1", flaky).kind == Kind.SENT
    assert len(calls) == 2
