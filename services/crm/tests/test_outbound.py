"""Outbound messages: reserved under their key before they leave, then marked sent (completing
the job and advancing a new lead) or failed."""

from __future__ import annotations

import grpc
import pytest

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.errors import field_violations


@pytest.fixture
def turn(crm):
    """A lead's inbound message and its ai_engage job, as intake leaves them."""
    return crm.ingest()


def _reserve(crm, turn, *, key: str | None = None, text: str = "Hi Rahul, the fee is Rs 24,999.", ai=True):
    request = conversations_pb.ReserveOutboundMessageRequest(
        lead_id=turn.lead_id,
        channel=channel_pb2.CHANNEL_WHATSAPP_WEB,
        text=text,
        idempotency_key=key or f"reply_{turn.job_id}",
        job_id=turn.job_id,
    )
    if ai:
        request.ai_turn.CopyFrom(
            conversations_pb.AiTurn(
                provider="offline",
                model="shvya-offline-1",
                prompt_tokens=120,
                completion_tokens=40,
                latency_ms=7,
                intent="question",
                knowledge_document_ids=["doc-1"],
                inbound_message_id=turn.message_id,
            )
        )
    return crm.stub.conversations.ReserveOutboundMessage(request)


def _stage(crm, lead_id: str) -> str:
    return crm.stub.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id)).lead.stage


def test_reserve_records_a_queued_outbound_message_and_its_ai_session(crm, turn):
    response = _reserve(crm, turn)

    message = response.message
    assert response.created is True
    assert message.direction == crm_pb.MESSAGE_DIRECTION_OUTBOUND
    assert message.status == crm_pb.MESSAGE_STATUS_QUEUED
    assert message.job_id == turn.job_id
    sessions = crm.sql(
        "SELECT provider, model, prompt_tokens, completion_tokens, latency_ms, intent, kb_doc_ids, "
        "inbound_message_id::text, reply_message_id::text FROM ai_sessions"
    )
    assert sessions == [
        ("offline", "shvya-offline-1", 120, 40, 7, "question", ["doc-1"], turn.message_id, message.id)
    ]


def test_reserving_the_same_key_again_returns_the_earlier_record_and_writes_nothing(crm, turn):
    # Given a reply reserved under its key
    first = _reserve(crm, turn)
    before = crm.counts()

    # When a retried job reserves it again
    again = _reserve(crm, turn, text="A different wording on the retry")

    # Then it gets the first record back, and no second message or AI session exists
    assert again.created is False
    assert again.message.id == first.message.id
    assert again.message.text == first.message.text
    assert crm.counts() == before
    assert crm.count("ai_sessions") == 1


def test_reserve_refuses_an_empty_text_and_a_missing_key_at_once(crm, turn):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.ReserveOutboundMessage(
            conversations_pb.ReserveOutboundMessageRequest(
                lead_id=turn.lead_id, channel=channel_pb2.CHANNEL_EMAIL, text=" ", idempotency_key=""
            )
        )

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"text", "idempotency_key"}


def test_reserve_for_an_unknown_lead_is_not_found(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.ReserveOutboundMessage(
            conversations_pb.ReserveOutboundMessageRequest(
                lead_id="00000000-0000-4000-8000-0000000000aa",
                channel=channel_pb2.CHANNEL_EMAIL,
                text="hello",
                idempotency_key="k",
            )
        )

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_mark_sent_records_the_external_id_and_completes_the_job_in_the_same_transaction(crm, turn):
    # Given a reserved reply and the running job that produced it
    crm.stub.jobs.StartJob(jobs_pb.StartJobRequest(job_id=turn.job_id, lease_seconds=60))
    reserved = _reserve(crm, turn).message

    # When the channel accepted it
    sent = crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(
            message_id=reserved.id, external_id="<abc@shvya.local>", complete_job_id=turn.job_id
        )
    ).message

    # Then the message is sent with its id, the job completed, by one transaction
    assert sent.status == crm_pb.MESSAGE_STATUS_SENT
    assert sent.external_id == "<abc@shvya.local>"
    assert sent.HasField("sent_at")
    job = crm.stub.jobs.GetJob(jobs_pb.GetJobRequest(job_id=turn.job_id)).job
    assert job.status == jobs_pb.JOB_STATUS_COMPLETED
    writers = {
        crm.scalar("SELECT xmin::text FROM messages WHERE id = %s", (reserved.id,)),
        crm.scalar("SELECT xmin::text FROM jobs WHERE id = %s", (turn.job_id,)),
    }
    assert len(writers) == 1


def test_the_first_reply_moves_a_new_lead_to_contacted(crm, turn):
    # Given a lead in the new stage
    assert _stage(crm, turn.lead_id) == "new"
    reserved = _reserve(crm, turn).message

    # When the first reply is sent
    crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=reserved.id, external_id="x1")
    )

    # Then the lead is contacted, the move is logged, and it has an outbound time
    lead = crm.stub.leads.GetLead(leads_pb.GetLeadRequest(lead_id=turn.lead_id)).lead
    assert lead.stage == "contacted"
    assert lead.HasField("last_outbound_at")
    moves = crm.sql(
        "SELECT data->>'from', data->>'to' FROM events WHERE type = 'lead.stage_changed' AND lead_id = %s",
        (turn.lead_id,),
    )
    assert moves == [("new", "contacted")]


def test_marking_sent_twice_logs_one_send_and_one_stage_change(crm, turn):
    reserved = _reserve(crm, turn).message
    crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=reserved.id, external_id="x1")
    )

    again = crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=reserved.id, external_id="x2")
    )

    assert again.message.external_id == "x1"
    assert crm.event_types("type IN ('message.sent', 'lead.stage_changed')") == [
        "message.sent",
        "lead.stage_changed",
    ]


def test_a_reply_to_a_qualified_lead_leaves_its_stage_alone(crm, turn):
    # Given a lead a counsellor already qualified
    crm.sql(
        "UPDATE leads SET stage_id = (SELECT id FROM stages WHERE key = 'qualified' AND pipeline_id = leads.pipeline_id) "
        "WHERE id = %s",
        (turn.lead_id,),
    )
    reserved = _reserve(crm, turn).message

    crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=reserved.id, external_id="x1")
    )

    assert _stage(crm, turn.lead_id) == "qualified"
    assert crm.event_types("type = 'lead.stage_changed'") == []


def test_mark_failed_records_the_reason_and_logs_it(crm, turn):
    reserved = _reserve(crm, turn).message

    failed = crm.stub.conversations.MarkMessageFailed(
        conversations_pb.MarkMessageFailedRequest(message_id=reserved.id, error_message="550 no such user")
    ).message

    assert failed.status == crm_pb.MESSAGE_STATUS_FAILED
    assert failed.error_message == "550 no such user"
    assert failed.HasField("failed_at")
    assert crm.event_types("type = 'message.failed'") == ["message.failed"]
    assert _stage(crm, turn.lead_id) == "new"


def test_a_failed_message_sent_on_a_later_attempt_becomes_sent(crm, turn):
    reserved = _reserve(crm, turn).message
    crm.stub.conversations.MarkMessageFailed(
        conversations_pb.MarkMessageFailedRequest(message_id=reserved.id, error_message="451 later")
    )

    sent = crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=reserved.id, external_id="x1")
    ).message

    assert sent.status == crm_pb.MESSAGE_STATUS_SENT
    assert sent.error_message == ""


def test_a_sent_message_is_not_marked_failed_afterwards(crm, turn):
    reserved = _reserve(crm, turn).message
    crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=reserved.id, external_id="x1")
    )

    after = crm.stub.conversations.MarkMessageFailed(
        conversations_pb.MarkMessageFailedRequest(message_id=reserved.id, error_message="late bounce")
    ).message

    assert after.status == crm_pb.MESSAGE_STATUS_SENT
    assert crm.event_types("type = 'message.failed'") == []


def test_an_inbound_message_cannot_be_marked_sent(crm, turn):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.MarkMessageSent(
            conversations_pb.MarkMessageSentRequest(message_id=turn.message_id, external_id="x")
        )

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_the_conversation_lists_inbound_and_reply_oldest_first(crm, turn):
    reserved = _reserve(crm, turn).message

    messages = crm.stub.leads.ListLeadMessages(
        leads_pb.ListLeadMessagesRequest(lead_id=turn.lead_id)
    ).messages

    assert [m.id for m in messages] == [turn.message_id, reserved.id]


def test_list_lead_messages_returns_the_newest_limit_oldest_first(crm):
    texts = ["first", "second", "third", "fourth"]
    ids = [crm.ingest(message_text=t).message_id for t in texts]
    lead_id = crm.scalar("SELECT id::text FROM leads")

    messages = crm.stub.leads.ListLeadMessages(
        leads_pb.ListLeadMessagesRequest(lead_id=lead_id, limit=2)
    ).messages

    assert [m.id for m in messages] == ids[2:]
