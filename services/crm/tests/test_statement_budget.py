"""How many SQL statements the crm spends on one first reply, call by call.

Every statement costs the crm's CPU and a round trip, and a first reply is the
path that must keep up with a burst of forms (README "Performance"). The budgets
are what each call issues today; a change that adds a statement fails here and
must raise the budget on purpose. Counted in this process: the test session's
crm server runs in it (conftest).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2

# A form that names a catalogue course: the reply moves the lead to qualified, which makes it
# hot, and schedules the first follow-up; the busiest first reply there is. ReserveReply reads the
# company's users once, to assign the hot lead to a counsellor (the demo company has none).
BUDGET = {
    "IngestInboundMessage": 4,
    "StartJob": 4,
    "GetReplyContext": 11,
    "ReserveReply": 14,
    "MarkMessageSent": 13,
}


@contextmanager
def counted(calls: Counter, name: str) -> Iterator[None]:
    def count(*_args) -> None:
        calls[name] += 1

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def _first_reply(crm, phone: str, calls: Counter) -> conversations_pb.MarkMessageSentResponse:
    with counted(calls, "IngestInboundMessage"):
        said = crm.ingest(
            phone_number=phone,
            channel=channel_pb2.CHANNEL_EMAIL,
            email=f"student.{phone}@example.com",
            message_text="What is the fee for the Digital Marketing course?",
            dispatch_lease_seconds=30,
        )
    with counted(calls, "StartJob"):
        crm.stub.jobs.StartJob(jobs_pb.StartJobRequest(job_id=said.job_id, lease_seconds=60))
    with counted(calls, "GetReplyContext"):
        context = crm.stub.conversations.GetReplyContext(
            conversations_pb.GetReplyContextRequest(
                lead_id=said.lead_id, message_id=said.message_id, policy_purpose=crm_pb.SEND_PURPOSE_REPLY
            )
        )
    with counted(calls, "ReserveReply"):
        reserved = crm.stub.conversations.ReserveReply(
            conversations_pb.ReserveReplyRequest(
                message=conversations_pb.ReserveOutboundMessageRequest(
                    lead_id=said.lead_id,
                    channel=channel_pb2.CHANNEL_EMAIL,
                    text="Hi Priya, the fee is Rs 24,999.",
                    idempotency_key=f"ai_engage_{said.job_id}:reply",
                    job_id=said.job_id,
                    ai_turn=conversations_pb.AiTurn(
                        provider="offline", model="shvya-offline-1", intent="question"
                    ),
                    purpose=crm_pb.SEND_PURPOSE_REPLY,
                ),
                outcome=conversations_pb.TurnOutcome(
                    answered_message_ids=[m.id for m in context.pending],
                    suggested_stage="qualified",
                    summarize_every_messages=6,
                ),
            )
        )
    with counted(calls, "MarkMessageSent"):
        return crm.stub.conversations.MarkMessageSent(
            conversations_pb.MarkMessageSentRequest(
                message_id=reserved.message.id,
                external_id=f"<{phone}@shvya.local>",
                complete_job_id=said.job_id,
            )
        )


def test_a_first_reply_stays_within_its_statement_budget(demo):
    # Given the demo catalogue, and one student answered already (so nothing is counted that
    # only the first call after a start does)
    _first_reply(demo, "9876543210", Counter())
    calls: Counter = Counter()

    # When a second student's form is answered
    sent = _first_reply(demo, "9812345678", calls)

    # Then the reply went out and moved the lead as a real one does
    assert sent.message.status == crm_pb.MESSAGE_STATUS_SENT
    lead_id = sent.message.lead_id
    assert demo.event_types("lead_id = %s AND type IN ('lead.hot', 'lead.stage_changed')", (lead_id,)) == [
        "lead.stage_changed",
        "lead.hot",
    ]
    assert demo.count("jobs", "lead_id = %s AND task_name = 'followup_bumpup'", (lead_id,)) == 1
    # And no call spent more statements than its budget
    over = {name: n for name, n in calls.items() if n > BUDGET[name]}
    assert not over, f"over budget: {over} (budget {BUDGET})"
    assert set(calls) == set(BUDGET)
