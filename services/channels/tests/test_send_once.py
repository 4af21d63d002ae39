"""Sent once, or in doubt for exactly one protocol round trip: what a crash mid-send can repeat.

A repeat is possible only between the point of no return (the SMTP end-of-data ".", the Graph
API request) and the reading of the answer. These tests pin that window from both sides and
check that what is repeated in it is the same message.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from aiosmtpd.controller import Controller

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya_channels.ledger import Claim, SendLedger
from shvya_testkit.ports import free_port


class GatedSmtp:
    """An aiosmtpd server whose answers to the end of data and to QUIT the test controls."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list[email.message.EmailMessage] = []
        self.took = threading.Event()
        self.quitting = threading.Event()
        # Cleared: the 250 (or the 221 to QUIT) waits until the test sets it.
        self.answer_data = threading.Event()
        self.answer_quit = threading.Event()
        self.answer_data.set()
        self.answer_quit.set()
        # Take the message, then drop the connection without answering: the crash case as
        # the client sees it.
        self.drop_after_data = False
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, ready_timeout=10)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.took.set()
        if self.drop_after_data:
            server.transport.abort()
            return "250 never read"
        await asyncio.get_running_loop().run_in_executor(None, self.answer_data.wait, 10)
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        self.quitting.set()
        await asyncio.get_running_loop().run_in_executor(None, self.answer_quit.wait, 10)
        return "221 Bye"

    def __enter__(self) -> GatedSmtp:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.answer_data.set()
        self.answer_quit.set()
        self._controller.stop()


@pytest.fixture
def gated_smtp():
    with GatedSmtp() as server:
        yield server


@pytest.fixture
def channel_on_gated(gated_smtp, make_settings, start_channels):
    return start_channels(make_settings(smtp_port=gated_smtp.port, smtp_timeout_seconds=5))


def _keys(prefix: str, idempotency_key: str) -> tuple[str, str]:
    return f"{prefix}:channels:send:{idempotency_key}", f"{prefix}:channels:send-doubt:{idempotency_key}"


@pytest.mark.parametrize("message_id", ["0b7e9a52-5d1c-4c39-9f1e-2f6f0a3c1d11", ""])
def test_a_repeat_after_the_answer_to_the_end_of_data_was_lost_carries_the_same_message_id(
    channel_on_gated, gated_smtp, send_request, message_id
):
    # Given a server that takes the message and drops the connection before its 250 is read
    gated_smtp.drop_after_data = True
    first = channel_on_gated.stub.SendMessage(send_request(message_id=message_id))
    assert first.outcome == pb.SEND_OUTCOME_RETRY_LATER

    # When the job runs again and the server answers this time
    gated_smtp.drop_after_data = False
    again = channel_on_gated.stub.SendMessage(send_request(message_id=message_id))

    # Then the copy is the same message: one Message-ID, fixed before the first send
    assert again.outcome == pb.SEND_OUTCOME_SENT
    ids = [m["Message-ID"] for m in gated_smtp.messages]
    assert len(ids) == 2
    assert ids[0] == ids[1] == again.external_id


def test_while_the_answer_to_the_end_of_data_is_awaited_the_send_is_in_doubt_and_held(
    channel_on_gated, gated_smtp, send_request, redis_client, redis_prefix
):
    # Given a send whose message the server has taken but not yet answered
    gated_smtp.answer_data.clear()
    claim_key, doubt_key = _keys(redis_prefix, send_request().idempotency_key)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(channel_on_gated.stub.SendMessage, send_request())
        assert gated_smtp.took.wait(5)

        # Then it is marked in doubt, and still claimed: a second attempt neither sends nor
        # takes the key over
        assert redis_client.exists(doubt_key)
        assert json.loads(redis_client.get(claim_key))["state"] == "inflight"
        second = channel_on_gated.stub.SendMessage(send_request())
        assert second.outcome == pb.SEND_OUTCOME_DEFERRED
        assert len(gated_smtp.messages) == 1

        # When the 250 comes, the send is recorded and no longer in doubt
        gated_smtp.answer_data.set()
        assert first.result(timeout=10).outcome == pb.SEND_OUTCOME_SENT
    assert not redis_client.exists(doubt_key)
    assert json.loads(redis_client.get(claim_key))["state"] == "sent"


def test_the_send_is_recorded_as_soon_as_the_250_is_read_before_quit(
    channel_on_gated, gated_smtp, send_request, redis_client, redis_prefix
):
    # Given a server that accepts the message but is slow to answer QUIT
    gated_smtp.answer_quit.clear()
    claim_key, doubt_key = _keys(redis_prefix, send_request().idempotency_key)
    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(channel_on_gated.stub.SendMessage, send_request())
        assert gated_smtp.quitting.wait(5)

        # Then, by the time QUIT is sent, a crash could no longer repeat it: it is recorded
        assert json.loads(redis_client.get(claim_key))["state"] == "sent"
        assert not redis_client.exists(doubt_key)
        gated_smtp.answer_quit.set()
        assert first.result(timeout=10).outcome == pb.SEND_OUTCOME_SENT


def test_a_server_slow_to_answer_the_end_of_data_is_waited_for_not_sent_to_again(
    gated_smtp, make_settings, start_channels, send_request
):
    # Given a server that takes longer to answer the end of data than any other command may
    channel = start_channels(
        make_settings(smtp_port=gated_smtp.port, smtp_timeout_seconds=0.5, smtp_data_timeout_seconds=5)
    )
    gated_smtp.answer_data.clear()
    threading.Timer(1.5, gated_smtp.answer_data.set).start()

    # Then its answer is awaited: one copy, sent
    assert channel.stub.SendMessage(send_request()).outcome == pb.SEND_OUTCOME_SENT
    assert len(gated_smtp.messages) == 1


def _ledger(redis_client, redis_prefix, lease: int = 1) -> SendLedger:
    return SendLedger(redis_client, prefix=redis_prefix, lease_seconds=lease, memory_seconds=60)


def test_a_crash_before_the_point_of_no_return_leaves_no_doubt(redis_client, redis_prefix):
    ledger = _ledger(redis_client, redis_prefix)
    # Given an attempt that died after claiming, before committing (its lease then runs out)
    assert isinstance(ledger.begin("k"), Claim)
    time.sleep(1.1)

    # Then the next attempt sends as if for the first time
    again = ledger.begin("k")
    assert isinstance(again, Claim)
    assert again.in_doubt is False


def test_a_crash_after_the_point_of_no_return_leaves_the_next_attempt_in_doubt(redis_client, redis_prefix):
    ledger = _ledger(redis_client, redis_prefix)
    # Given an attempt that died after committing, before the answer was read
    claim = ledger.begin("k")
    assert claim.commit()
    time.sleep(1.1)

    # Then the next attempt knows the message may have gone
    again = ledger.begin("k")
    assert isinstance(again, Claim)
    assert again.in_doubt is True


def test_an_attempt_whose_claim_was_taken_over_cannot_commit(redis_client, redis_prefix):
    ledger = _ledger(redis_client, redis_prefix)
    # Given a slow attempt whose lease ran out, and another that took the key
    slow = ledger.begin("k")
    time.sleep(1.1)
    assert isinstance(ledger.begin("k"), Claim)

    # Then the slow one may not cross the point of no return
    assert slow.commit() is False


def test_a_graph_api_call_without_an_answer_is_in_doubt_and_sent_again(
    cloud_settings, start_channels, graph_api, wa_request, redis_client, redis_prefix
):
    # Given a Graph API that takes the request but answers after the channel stopped waiting
    cloud = start_channels(cloud_settings(whatsapp_cloud_timeout_seconds=0.5, whatsapp_human_pacing=False))
    graph_api.latency = 1.5
    request = wa_request()
    first = cloud.stub.SendMessage(request)
    assert first.outcome == pb.SEND_OUTCOME_RETRY_LATER
    assert redis_client.exists(_keys(redis_prefix, request.idempotency_key)[1])

    # When the job runs again: the decision for the Cloud API is to send again
    graph_api.latency = 0.0
    again = cloud.stub.SendMessage(request)
    assert again.outcome == pb.SEND_OUTCOME_SENT
    assert len(graph_api.sends()) == 2
    assert not redis_client.exists(_keys(redis_prefix, request.idempotency_key)[1])
