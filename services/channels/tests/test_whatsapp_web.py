"""The WhatsApp Web channel: the real adapter in headless Chromium against a local page that behaves
like WhatsApp Web (QR until scanned, the send deep link, a contenteditable composer, ticks, the
invalid-number dialog, incoming messages), over real gRPC and Redis."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import grpc
import pytest
import redis

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya.type.v1 import channel_pb2
from shvya_testkit.ports import free_port

pytestmark = pytest.mark.browser

PRIYA = "+919812345678"


def wait_until(predicate: Callable[[], object], timeout: float = 15.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def status(channel) -> pb.AccountStatus:
    return channel.stub.GetAccountStatus(pb.GetAccountStatusRequest()).status


def wait_for_login(channel, state, timeout: float = 20.0) -> pb.AccountStatus:
    return wait_until(
        lambda: (s := status(channel)).login_state == state and s,
        timeout,
        f"login state {pb.LoginState.Name(state)}",
    )


def request(**overrides) -> pb.SendMessageRequest:
    values = {
        "channel": channel_pb2.CHANNEL_WHATSAPP_WEB,
        "idempotency_key": f"message:{time.monotonic_ns()}",
        "message_id": "7d9f6c2e-0000-4000-8000-000000000001",
        "recipient": pb.Recipient(name="Priya Sharma", phone_number=PRIYA),
        "text": "Hi Priya, the fee is Rs 24,999.",
        "recipient_wrote_first": True,
    }
    values.update(overrides)
    return pb.SendMessageRequest(**values)


def outbox(settings) -> list[dict]:
    """What the channel has queued for the crm (nothing listens at CRM_ADDR in these tests)."""
    client = redis.Redis.from_url(settings.redis_url)
    try:
        key = f"{settings.redis_prefix}:channels:whatsapp_web:{settings.whatsapp_web_account}:to-crm"
        return [json.loads(raw) for raw in client.lrange(key, 0, -1)]
    finally:
        client.close()


@pytest.fixture
def linked(web_settings, start_channels, whatsapp_web_page):
    """A deployment whose number has been linked by scanning the QR code."""

    def start(**overrides):
        settings = web_settings(**overrides)
        channel = start_channels(settings)
        channel.settings = settings
        wait_for_login(channel, pb.LOGIN_STATE_NEEDS_QR)
        whatsapp_web_page.scan()
        wait_for_login(channel, pb.LOGIN_STATE_LOGGED_IN)
        return channel

    return start


# -- login ---------------------------------------------------------------------------------------


def test_an_unlinked_number_needs_a_qr_scan_and_serves_the_qr_as_a_png(web_settings, start_channels):
    channel = start_channels(web_settings())

    state = wait_for_login(channel, pb.LOGIN_STATE_NEEDS_QR)
    qr = channel.stub.GetLoginQr(pb.GetLoginQrRequest())

    assert state.stopped is False
    assert qr.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert channel.stub.DescribeChannel(pb.DescribeChannelRequest()).ready is False


def test_an_unreachable_whatsapp_web_is_one_warning_line_without_a_traceback(
    web_settings, start_channels, caplog
):
    # Given a machine that cannot reach WhatsApp Web (nothing listens where its page should be)
    caplog.set_level("DEBUG", logger="shvya_channels.whatsapp_web_browser")
    channel = start_channels(web_settings(whatsapp_web_url=f"http://127.0.0.1:{free_port()}/"))

    # When the browser has tried to load it three times (after 0, 1 and 2 s)
    wait_until(
        lambda: sum("still cannot be reached" in r.getMessage() for r in caplog.records) >= 2,
        timeout=30,
        what="two retries",
    )

    # Then one warning says how to link the number once it can, and nothing carries a traceback
    browser = [r for r in caplog.records if r.name == "shvya_channels.whatsapp_web_browser"]
    warnings = [r for r in browser if r.levelname in ("WARNING", "ERROR")]
    assert [r.getMessage() for r in warnings] == [warnings[0].getMessage()]
    assert "cannot be reached" in warnings[0].getMessage()
    assert "/admin/whatsapp-web/qr" in warnings[0].getMessage()
    assert not any(r.exc_info for r in browser)
    assert status(channel).login_state == pb.LOGIN_STATE_STARTING


def test_scanning_the_qr_logs_the_number_in(linked):
    channel = linked()

    assert channel.stub.DescribeChannel(pb.DescribeChannelRequest()).ready is True
    with pytest.raises(grpc.RpcError) as caught:
        channel.stub.GetLoginQr(pb.GetLoginQrRequest())
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION


def test_the_link_survives_a_restart_through_the_persistent_profile(
    linked, web_settings, start_channels, whatsapp_web_page
):
    # Given a linked number whose channel is stopped
    first = linked()
    first.__exit__(None, None, None)

    # When the channel starts again on the same session directory
    again = start_channels(web_settings())

    # Then it is logged in without a new scan
    wait_for_login(again, pb.LOGIN_STATE_LOGGED_IN)


def test_a_logout_stops_the_account_until_the_number_is_linked_again(linked, whatsapp_web_page):
    channel = linked()

    whatsapp_web_page.logout()
    out = wait_for_login(channel, pb.LOGIN_STATE_LOGGED_OUT)
    blocked = channel.stub.SendMessage(request())

    assert out.stopped is True
    assert blocked.outcome == pb.SEND_OUTCOME_ACCOUNT_BLOCKED
    assert channel.stub.GetLoginQr(pb.GetLoginQrRequest()).png.startswith(b"\x89PNG")

    whatsapp_web_page.scan()
    back = wait_for_login(channel, pb.LOGIN_STATE_LOGGED_IN)
    assert back.stopped is False
    assert channel.stub.SendMessage(request()).outcome == pb.SEND_OUTCOME_SENT


def test_a_ban_stops_the_account(linked, whatsapp_web_page):
    channel = linked()

    whatsapp_web_page.ban()
    banned = wait_for_login(channel, pb.LOGIN_STATE_BLOCKED)

    assert banned.stopped is True
    assert banned.stop_code == "banned"
    assert channel.stub.SendMessage(request()).outcome == pb.SEND_OUTCOME_ACCOUNT_BLOCKED
    assert whatsapp_web_page.sent() == []


# -- sending ---------------------------------------------------------------------------------------


def test_a_reply_is_typed_into_the_chat_and_sent(linked, whatsapp_web_page):
    channel = linked()

    response = channel.stub.SendMessage(request(text="Hi Priya!\nThe fee is Rs 24,999."))

    assert response.outcome == pb.SEND_OUTCOME_SENT
    [sent] = whatsapp_web_page.sent()
    assert sent.to == "919812345678"
    assert sent.text == "Hi Priya!\nThe fee is Rs 24,999."
    assert response.external_id == sent.id
    assert response.external_id.startswith("true_919812345678@c.us_")


def test_human_pacing_types_one_key_at_a_time_at_a_persons_speed(linked, whatsapp_web_page):
    channel = linked(whatsapp_human_pacing=True)

    started = time.monotonic()
    channel.stub.SendMessage(request(text="Hi Priya, fee is Rs 24,999"))
    took = time.monotonic() - started

    [sent] = whatsapp_web_page.sent()
    intervals = sent.key_intervals[1:]
    assert len(sent.key_intervals) == len("Hi Priya, fee is Rs 24,999")
    assert min(intervals) >= 45  # 50-150 ms a key (the browser's clock is a little coarse)
    assert took >= 26 * 0.05 + 0.5  # the keys, and the pause before sending


def test_a_bubble_without_an_id_is_still_recognised_as_sent_once(linked, whatsapp_web_page):
    whatsapp_web_page.bubble_ids = False
    channel = linked()

    response = channel.stub.SendMessage(request())

    assert response.outcome == pb.SEND_OUTCOME_SENT
    assert response.external_id.startswith("wa-web:")
    assert len(whatsapp_web_page.sent()) == 1


def test_a_number_not_on_whatsapp_is_a_permanent_rejection(linked, whatsapp_web_page):
    channel = linked()
    whatsapp_web_page.mark_invalid("919800000001")

    response = channel.stub.SendMessage(request(recipient=pb.Recipient(phone_number="+919800000001")))

    assert response.outcome == pb.SEND_OUTCOME_REJECTED
    assert response.error_code == "not-on-whatsapp"
    assert "not on WhatsApp" in response.reason
    assert whatsapp_web_page.sent() == []
    assert channel.stub.SendMessage(request()).outcome == pb.SEND_OUTCOME_SENT


def test_a_lead_who_neither_wrote_first_nor_opted_in_is_never_messaged(linked, whatsapp_web_page):
    channel = linked()

    response = channel.stub.SendMessage(request(recipient_wrote_first=False, recipient_opted_in=False))

    assert response.outcome == pb.SEND_OUTCOME_REJECTED
    assert response.error_code == "no-consent"
    assert whatsapp_web_page.sent() == []


def test_a_lead_with_a_recorded_opt_in_may_be_messaged(linked):
    channel = linked()

    response = channel.stub.SendMessage(request(recipient_wrote_first=False, recipient_opted_in=True))

    assert response.outcome == pb.SEND_OUTCOME_SENT


def test_a_second_send_within_the_gap_is_deferred_without_waiting(linked, whatsapp_web_page):
    channel = linked(
        whatsapp_human_pacing=True, whatsapp_web_gap_seconds=60, whatsapp_web_gap_jitter_seconds=15
    )
    channel.stub.SendMessage(request(text="Hi"))

    started = time.monotonic()
    second = channel.stub.SendMessage(request(text="Ok"))

    assert time.monotonic() - started < 2.0
    assert second.outcome == pb.SEND_OUTCOME_DEFERRED
    assert 40 <= second.retry_after_seconds <= 75
    assert len(whatsapp_web_page.sent()) == 1
    assert status(channel).HasField("next_send_at")


def test_the_daily_cap_defers_until_tomorrow(linked, whatsapp_web_page):
    channel = linked(whatsapp_web_daily_cap=1)
    channel.stub.SendMessage(request(text="Hi"))

    capped = channel.stub.SendMessage(request(text="Ok"))

    assert capped.outcome == pb.SEND_OUTCOME_DEFERRED
    assert "daily cap" in capped.reason
    assert 0 < capped.retry_after_seconds <= 24 * 3600
    account = status(channel)
    assert (account.sent_today, account.daily_cap) == (1, 1)


def test_ticks_on_our_message_are_reported_for_the_crm(linked, whatsapp_web_page):
    channel = linked()
    sent = channel.stub.SendMessage(request())

    whatsapp_web_page.deliver(sent.external_id)
    wait_until(lambda: "delivered" in [e.get("status") for e in outbox(channel.settings)], what="delivered")
    whatsapp_web_page.read(sent.external_id)
    wait_until(lambda: "read" in [e.get("status") for e in outbox(channel.settings)], what="read")

    reports = [(e["id"], e["status"]) for e in outbox(channel.settings) if e["kind"] == "status"]
    # "sent" (one tick) shows only if the page is watched before the phone receives it.
    assert {message_id for message_id, _ in reports} == {sent.external_id}
    assert [status for _, status in reports if status != "sent"] == ["delivered", "read"]


# -- incoming --------------------------------------------------------------------------------------


def test_a_reply_in_the_open_chat_is_captured_for_the_crm(linked, whatsapp_web_page):
    channel = linked()
    channel.stub.SendMessage(request())

    message_id = whatsapp_web_page.receive("919812345678", "Priya Sharma", "What about EMI?")

    captured = wait_until(
        lambda: [e for e in outbox(channel.settings) if e["kind"] == "message"], what="the captured message"
    )
    assert captured == [
        {
            "kind": "message",
            "id": message_id,
            "phone": PRIYA,
            "name": "Priya Sharma",
            "text": "What about EMI?",
        }
    ]


def test_a_message_in_another_chat_is_opened_captured_and_marked_seen(linked, whatsapp_web_page):
    channel = linked()

    message_id = whatsapp_web_page.receive("919811122233", "Arjun Mehta", "Is there a weekend batch?")

    captured = wait_until(
        lambda: [e for e in outbox(channel.settings) if e["kind"] == "message"], what="the captured message"
    )
    assert captured[0]["id"] == message_id
    assert captured[0]["phone"] == "+919811122233"
    assert captured[0]["name"] == "Arjun Mehta"
    wait_until(lambda: whatsapp_web_page.unread("919811122233") == 0, what="the chat to be read")


def test_earlier_messages_in_a_chat_opened_to_send_are_not_captured_again(linked, whatsapp_web_page):
    channel = linked()
    first = whatsapp_web_page.receive("919812345678", "Priya Sharma", "Hello")
    wait_until(
        lambda: [e for e in outbox(channel.settings) if e["kind"] == "message"], what="the first message"
    )

    channel.stub.SendMessage(request())
    time.sleep(1.0)

    messages = [e["id"] for e in outbox(channel.settings) if e["kind"] == "message"]
    assert messages == [first]


# -- a send in doubt -----------------------------------------------------------------------------


def crashed_after_sending(settings, key: str) -> None:
    """Leaves `key` as an attempt leaves it that died after pressing send, before the answer."""
    from shvya_channels.ledger import SendLedger

    client = redis.Redis.from_url(settings.redis_url)
    try:
        ledger = SendLedger(client, prefix=settings.redis_prefix, lease_seconds=1, memory_seconds=60)
        assert ledger.begin(key).commit()
        time.sleep(1.1)  # its lease runs out
    finally:
        client.close()


def test_an_in_doubt_message_found_in_the_chat_is_not_sent_again(linked, whatsapp_web_page):
    channel = linked()
    # Given a message that reached the chat, by an attempt that died before recording it
    first = channel.stub.SendMessage(request(idempotency_key="message:shown"))
    assert first.outcome == pb.SEND_OUTCOME_SENT
    crashed_after_sending(channel.settings, "message:again")

    # When the job runs again under the in-doubt key
    again = channel.stub.SendMessage(request(idempotency_key="message:again"))

    # Then the bubble in the chat settles the doubt: sent, once
    assert again.outcome == pb.SEND_OUTCOME_SENT
    assert again.external_id == first.external_id
    assert len(whatsapp_web_page.sent()) == 1


def test_an_in_doubt_message_missing_from_the_chat_is_sent(linked, whatsapp_web_page):
    channel = linked()
    crashed_after_sending(channel.settings, "message:lost")

    response = channel.stub.SendMessage(request(idempotency_key="message:lost"))

    assert response.outcome == pb.SEND_OUTCOME_SENT
    assert [s.text for s in whatsapp_web_page.sent()] == ["Hi Priya, the fee is Rs 24,999."]
