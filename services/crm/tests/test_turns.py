"""AI turns in the crm: what a reply answers, and the outcome applied with it, once."""

from __future__ import annotations

import concurrent.futures
import time
import uuid

import grpc
import psycopg2
import pytest

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.seed import document_id
from shvya_rpc.errors import field_violations

PHONE = "9876543210"


def _say(crm, text: str, phone: str = PHONE) -> leads_pb.IngestInboundMessageResponse:
    return crm.ingest(message_text=text, phone_number=phone)


def _context(crm, said: leads_pb.IngestInboundMessageResponse) -> conversations_pb.GetReplyContextResponse:
    return crm.stub.conversations.GetReplyContext(
        conversations_pb.GetReplyContextRequest(lead_id=said.lead_id, message_id=said.message_id)
    )


def _reply(
    crm,
    said: leads_pb.IngestInboundMessageResponse,
    *,
    answered: list[str] | None = None,
    key: str | None = None,
    purpose=crm_pb.SEND_PURPOSE_REPLY,
    intent: str = "question",
    documents: tuple[str, ...] = (),
    **outcome,
) -> conversations_pb.ReserveReplyResponse:
    return crm.stub.conversations.ReserveReply(
        conversations_pb.ReserveReplyRequest(
            message=conversations_pb.ReserveOutboundMessageRequest(
                lead_id=said.lead_id,
                channel=channel_pb2.CHANNEL_WHATSAPP_WEB,
                text="Hi Rahul, a counsellor will be in touch.",
                idempotency_key=key or f"reply_{said.job_id}",
                job_id=said.job_id,
                purpose=purpose,
                ai_turn=conversations_pb.AiTurn(
                    provider="offline",
                    model="shvya-offline-1",
                    intent=intent,
                    knowledge_document_ids=list(documents),
                    inbound_message_id=said.message_id,
                ),
            ),
            outcome=conversations_pb.TurnOutcome(
                answered_message_ids=answered or [said.message_id], **outcome
            ),
        )
    )


def _lead(crm, lead_id: str) -> crm_pb.Lead:
    return crm.stub.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id)).lead


def _policy(crm, lead_id: str, purpose) -> crm_pb.CheckSendPolicyResponse:
    return crm.stub.leads.CheckSendPolicy(
        leads_pb.CheckSendPolicyRequest(
            lead_id=lead_id, channel=channel_pb2.CHANNEL_WHATSAPP_WEB, purpose=purpose
        )
    )


def _opt_out(crm, lead_id: str) -> None:
    crm.stub.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            lead_id=lead_id,
            action=leads_pb.CONSENT_ACTION_OPT_OUT,
            channel=channel_pb2.CHANNEL_WHATSAPP_WEB,
            source="admin",
        )
    )


# -- what a reply answers -------------------------------------------------------


def test_a_burst_of_messages_is_answered_together_by_the_first_turn(crm):
    first, second, third = (_say(crm, t) for t in ("hi", "i want to know about", "data science fees"))

    context = _context(crm, first)

    assert [m.id for m in context.pending] == [first.message_id, second.message_id, third.message_id]
    assert context.answered_by_message_id == ""
    assert context.replied_before is False


def test_the_job_of_a_message_a_reply_covered_finds_that_reply(crm):
    first, second = _say(crm, "hi"), _say(crm, "what is the fee?")
    reply = _reply(crm, first, answered=[first.message_id, second.message_id])

    context = _context(crm, second)

    assert context.answered_by_message_id == reply.message.id
    assert list(context.pending) == []


def test_after_a_reply_only_later_messages_are_unanswered_and_the_rest_is_history(crm):
    first = _say(crm, "Interested in the Digital Marketing course")
    reply = _reply(crm, first)
    later = _say(crm, "When does it start?")

    context = _context(crm, later)

    assert [m.id for m in context.pending] == [later.message_id]
    assert [m.id for m in context.history] == [first.message_id, reply.message.id]
    assert context.replied_before is True
    assert context.now.seconds > 0


def test_a_failed_send_is_left_out_of_the_history(crm):
    first = _say(crm, "hi")
    reply = _reply(crm, first)
    crm.stub.conversations.MarkMessageFailed(
        conversations_pb.MarkMessageFailedRequest(message_id=reply.message.id, error_message="bounced")
    )

    context = _context(crm, _say(crm, "hello?"))

    assert [m.id for m in context.history] == [first.message_id]
    assert context.replied_before is False


def test_a_follow_up_question_finds_the_course_named_earlier(demo):
    first = _say(demo, "I am interested in data science")
    _reply(demo, first)

    context = _context(demo, _say(demo, "and what about the timings?"))

    titles = [m.document.title for m in context.knowledge]
    assert "Data Science and AI" in titles


def test_the_knowledge_matches_the_unanswered_messages_together(demo):
    first = _say(demo, "hello")
    _say(demo, "web development")

    context = _context(demo, first)

    assert context.knowledge[0].document.title == "Full-Stack Web Development"


def test_a_message_of_another_lead_is_not_found(crm):
    mine, theirs = _say(crm, "hi"), _say(crm, "hi", phone="9876500000")

    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.GetReplyContext(
            conversations_pb.GetReplyContextRequest(lead_id=mine.lead_id, message_id=theirs.message_id)
        )

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


# -- the outcome of a turn ---------------------------------------------------------


def test_a_suggested_stage_moves_the_lead_forward_with_an_event(crm):
    said = _say(crm, "What is the fee?")

    response = _reply(crm, said, suggested_stage="qualified")

    assert response.lead.stage == "qualified"
    [(data,)] = crm.sql("SELECT data FROM events WHERE type = 'lead.stage_changed'")
    assert (data["from"], data["to"], data["reason"]) == ("new", "qualified", "ai")
    assert data["message_id"] == said.message_id


def test_a_lead_never_moves_backwards(crm):
    said = _say(crm, "What is the fee?")
    _reply(crm, said, suggested_stage="qualified")

    later = _say(crm, "ok")
    response = _reply(crm, later, suggested_stage="contacted")

    assert response.lead.stage == "qualified"
    assert crm.count("events", "type = 'lead.stage_changed'") == 1


def test_a_lost_lead_stops_follow_ups_and_comes_back_when_interested_again(crm):
    said = _say(crm, "not interested")
    lost = _reply(crm, said, suggested_stage="lost", intent="not_interested").lead
    assert (lost.stage, lost.status) == ("lost", "lost")
    assert _policy(crm, said.lead_id, crm_pb.SEND_PURPOSE_FOLLOWUP).decision == crm_pb.SEND_DECISION_SUPPRESS

    back = _reply(crm, _say(crm, "actually, what is the fee?"), suggested_stage="qualified").lead

    assert (back.stage, back.status) == ("qualified", "active")


def test_a_hand_off_stops_the_ai_but_lets_its_notice_out(crm):
    # Given a student asking for a call, and a follow-up already scheduled
    said = _say(crm, "please call me")
    crm.stub.jobs.ScheduleJob(
        jobs_pb.ScheduleJobRequest(
            task_name="followup_bumpup", lead_id=said.lead_id, idempotency_key="bump-1"
        )
    )

    # When the turn hands the lead off
    response = _reply(crm, said, purpose=crm_pb.SEND_PURPOSE_HANDOFF, hand_off=True, hot=True)

    # Then the lead is flagged, the event is recorded, a summary is queued and follow-ups stop
    assert response.lead.status == "handed_off"
    assert crm.event_types("type LIKE 'lead.%%'") == ["lead.created", "lead.handed_off", "lead.hot"]
    assert crm.sql(
        "SELECT task_name, status, payload->>'reason' FROM jobs WHERE task_name <> 'ai_engage'"
    ) in (
        [("followup_bumpup", "cancelled", None), ("ai_summary", "queued", "handoff")],
        [("ai_summary", "queued", "handoff"), ("followup_bumpup", "cancelled", None)],
    )
    # And no AI reply may go out any more, except the hand-off notice itself
    assert _policy(crm, said.lead_id, crm_pb.SEND_PURPOSE_REPLY).decision == crm_pb.SEND_DECISION_SUPPRESS
    assert _policy(crm, said.lead_id, crm_pb.SEND_PURPOSE_HANDOFF).decision == crm_pb.SEND_DECISION_ALLOW
    assert response.message.purpose == crm_pb.SEND_PURPOSE_HANDOFF


def test_an_enrolment_stops_follow_ups_and_sequences(crm):
    said = _say(crm, "I have paid the fees")
    for task in ("followup_bumpup", "sequence_step", "email_sequence"):
        crm.stub.jobs.ScheduleJob(
            jobs_pb.ScheduleJobRequest(task_name=task, lead_id=said.lead_id, idempotency_key=f"{task}-1")
        )

    response = _reply(crm, said, enrolled=True, intent="enrolled")

    assert (response.lead.status, response.lead.stage) == ("enrolled", "enrolled")
    [(data,)] = crm.sql("SELECT data FROM events WHERE type = 'lead.enrolled'")
    assert data["to"] == "enrolled"
    assert crm.count("jobs", "task_name <> 'ai_engage' AND status = 'cancelled'") == 3
    assert _policy(crm, said.lead_id, crm_pb.SEND_PURPOSE_FOLLOWUP).decision == crm_pb.SEND_DECISION_SUPPRESS


def test_a_lead_is_hot_once_when_it_first_qualifies(crm):
    _reply(crm, _say(crm, "What is the fee?"), suggested_stage="qualified")
    _reply(crm, _say(crm, "Can you call me?"), hot=True)

    [(data,)] = crm.sql("SELECT data FROM events WHERE type = 'lead.hot'")
    assert data["reason"] == "qualified"


def test_a_question_the_knowledge_base_missed_is_stored_and_listed(crm):
    said = _say(crm, "Is there a hostel?")
    _reply(crm, said, unanswered_question="Is there a hostel?")

    listed = crm.stub.conversations.ListUnansweredQuestions(
        conversations_pb.ListUnansweredQuestionsRequest(company_id=said.company_id)
    )

    [question] = listed.questions
    assert (question.question, question.lead_id, question.message_id) == (
        "Is there a hostel?",
        said.lead_id,
        said.message_id,
    )
    assert crm.event_types("type = 'question.unanswered'") == ["question.unanswered"]
    assert crm.scalar("SELECT unanswered FROM ai_sessions") is True


def test_a_resolved_question_leaves_the_list_but_stays_on_record(crm):
    said = _say(crm, "Is there a hostel?")
    _reply(crm, said, unanswered_question="Is there a hostel?")
    [question] = crm.stub.conversations.ListUnansweredQuestions(
        conversations_pb.ListUnansweredQuestionsRequest(company_id=said.company_id)
    ).questions

    resolved = crm.stub.conversations.ResolveUnansweredQuestion(
        conversations_pb.ResolveUnansweredQuestionRequest(
            question_id=question.id, resolution="added the Hostel FAQ"
        )
    ).question

    assert resolved.resolution == "added the Hostel FAQ"
    assert resolved.HasField("resolved_at")
    open_ = crm.stub.conversations.ListUnansweredQuestions(
        conversations_pb.ListUnansweredQuestionsRequest(company_id=said.company_id)
    )
    every = crm.stub.conversations.ListUnansweredQuestions(
        conversations_pb.ListUnansweredQuestionsRequest(company_id=said.company_id, include_resolved=True)
    )
    assert (len(open_.questions), len(every.questions)) == (0, 1)


def test_listing_questions_of_an_unknown_company_is_not_found(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.ListUnansweredQuestions(
            conversations_pb.ListUnansweredQuestionsRequest(company_id=str(uuid.uuid4()))
        )

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_a_repeated_reservation_applies_the_outcome_once(crm):
    said = _say(crm, "call me")
    first = _reply(crm, said, hand_off=True, hot=True, unanswered_question="x", suggested_stage="qualified")
    before = crm.counts()

    again = _reply(crm, said, hand_off=True, hot=True, unanswered_question="x", suggested_stage="qualified")

    assert again.created is False
    assert again.message.id == first.message.id
    assert crm.counts() == before


def test_an_unknown_stage_is_refused_and_nothing_is_written(crm):
    said = _say(crm, "hi")
    before = crm.counts()

    with pytest.raises(grpc.RpcError) as caught:
        _reply(crm, said, suggested_stage="graduated")

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"outcome.suggested_stage"}
    assert crm.counts() == before


def test_a_summary_is_queued_each_time_the_conversation_grows_by_n_messages(crm):
    said = _say(crm, "hi")
    _reply(crm, said, summarize_every_messages=4)  # 2 messages: not yet
    said = _say(crm, "fees?")
    _reply(crm, said, summarize_every_messages=4)  # 4 messages
    said = _say(crm, "dates?")
    _reply(crm, said, summarize_every_messages=4)  # 6 messages: the same summary window

    keys = [k for (k,) in crm.sql("SELECT idempotency_key FROM jobs WHERE task_name = 'ai_summary'")]
    assert keys == [f"ai_summary_{said.lead_id}_m4"]


# -- the record of turns ---------------------------------------------------------------


def test_turns_list_intent_outcome_and_the_documents_relied_on(demo):
    said = _say(demo, "What is the fee for data science?")
    doc = str(document_id("Data Science and AI"))
    reply = _reply(demo, said, documents=(doc,), suggested_stage="qualified")

    [turn] = demo.stub.conversations.ListAiTurns(
        conversations_pb.ListAiTurnsRequest(lead_id=said.lead_id)
    ).turns

    assert turn.reply_message_id == reply.message.id
    assert list(turn.answered_message_ids) == [said.message_id]
    assert (turn.intent, turn.suggested_stage, turn.provider) == ("question", "qualified", "offline")
    assert [(d.id, d.title) for d in turn.knowledge_documents] == [(doc, "Data Science and AI")]


def test_a_summary_is_stored_on_the_lead_with_its_usage(crm):
    said = _say(crm, "hi")

    lead = crm.stub.conversations.UpdateLeadSummary(
        conversations_pb.UpdateLeadSummaryRequest(
            lead_id=said.lead_id,
            summary="Asked about fees; wants a call.",
            usage=conversations_pb.AiTurn(provider="offline", model="shvya-offline-1", prompt_tokens=3),
        )
    ).lead

    assert lead.summary == "Asked about fees; wants a call."
    assert crm.sql("SELECT kind, provider, prompt_tokens FROM ai_sessions") == [("summary", "offline", 3)]
    assert crm.event_types("type = 'lead.summary_updated'") == ["lead.summary_updated"]
    assert (
        list(
            crm.stub.conversations.ListAiTurns(
                conversations_pb.ListAiTurnsRequest(lead_id=said.lead_id)
            ).turns
        )
        == []
    )


def test_an_empty_summary_is_refused(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.UpdateLeadSummary(
            conversations_pb.UpdateLeadSummaryRequest(lead_id=_say(crm, "hi").lead_id, summary=" ")
        )

    assert set(field_violations(caught.value)) == {"summary"}


def test_every_bad_field_of_a_reply_is_reported_at_once(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.ReserveReply(
            conversations_pb.ReserveReplyRequest(
                message=conversations_pb.ReserveOutboundMessageRequest(
                    lead_id="not-a-uuid", channel=channel_pb2.CHANNEL_EMAIL, text="Hi", idempotency_key="k"
                ),
                outcome=conversations_pb.TurnOutcome(answered_message_ids=["also-not-a-uuid"]),
            )
        )

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"message.lead_id", "outcome.answered_message_ids"}


def test_a_reply_naming_no_lead_is_refused_naming_message_lead_id(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.ReserveReply(
            conversations_pb.ReserveReplyRequest(
                message=conversations_pb.ReserveOutboundMessageRequest(
                    channel=channel_pb2.CHANNEL_EMAIL, text="Hi", idempotency_key="k"
                )
            )
        )

    assert set(field_violations(caught.value)) == {"message.lead_id"}


# -- the send policy, asked with the context and decided with the reservation ------------


def test_the_context_carries_the_send_policy_for_the_purpose_asked(crm):
    said = _say(crm, "What is the fee?")

    context = crm.stub.conversations.GetReplyContext(
        conversations_pb.GetReplyContextRequest(
            lead_id=said.lead_id, message_id=said.message_id, policy_purpose=crm_pb.SEND_PURPOSE_REPLY
        )
    )

    assert context.HasField("policy")
    assert context.policy == _policy(crm, said.lead_id, crm_pb.SEND_PURPOSE_REPLY)
    assert context.policy.decision == crm_pb.SEND_DECISION_ALLOW
    # Not asked: not computed
    assert not _context(crm, said).HasField("policy")


def test_the_context_of_a_suppressed_lead_says_so(crm):
    said = _say(crm, "What is the fee?")
    _reply(crm, said, purpose=crm_pb.SEND_PURPOSE_HANDOFF, hand_off=True)
    later = _say(crm, "hello?")

    context = crm.stub.conversations.GetReplyContext(
        conversations_pb.GetReplyContextRequest(
            lead_id=later.lead_id, message_id=later.message_id, policy_purpose=crm_pb.SEND_PURPOSE_REPLY
        )
    )

    assert context.policy.decision == crm_pb.SEND_DECISION_SUPPRESS
    assert context.policy.lead_status == "handed_off"


def test_an_unknown_policy_purpose_is_refused(crm):
    said = _say(crm, "What is the fee?")
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.GetReplyContext(
            conversations_pb.GetReplyContextRequest(
                lead_id=said.lead_id, message_id=said.message_id, policy_purpose=99
            )
        )
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "policy_purpose" in field_violations(caught.value)


def test_the_reservation_decides_the_send_policy_after_its_outcome(crm):
    # A plain reply may go
    said = _say(crm, "What is the fee?")
    assert _reply(crm, said).policy.decision == crm_pb.SEND_DECISION_ALLOW
    # A hand-off suppresses further AI replies, but the notice that goes with it is allowed
    again = _say(crm, "please call me")
    handed = _reply(crm, again, purpose=crm_pb.SEND_PURPOSE_HANDOFF, hand_off=True)
    assert handed.policy == _policy(crm, again.lead_id, crm_pb.SEND_PURPOSE_HANDOFF)
    assert handed.policy.decision == crm_pb.SEND_DECISION_ALLOW


def _reply_while_held(crm, said, change: str, **outcome) -> conversations_pb.ReserveReplyResponse:
    """Reserves a reply while another transaction holds the lead's row after `change` (SQL with
    one parameter, the lead's id); checks the reservation waits for it, then commits it."""
    blocker = psycopg2.connect(crm.database_url)
    try:
        with blocker.cursor() as cur:
            cur.execute(change, (said.lead_id,))
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pending = pool.submit(_reply, crm, said, **outcome)
            time.sleep(0.5)
            assert not pending.done()
            blocker.commit()
            return pending.result(timeout=10)
    finally:
        blocker.close()


def test_an_opt_out_committed_while_the_reservation_waits_wins(crm):
    """The reservation loads the lead, then waits for its lock: the status it decides on must be
    the one committed meanwhile, not the copy it loaded first."""
    said = _say(crm, "What is the fee?")
    # The reservation starts while the opt-out holds the lead's row, and waits for it
    reserved = _reply_while_held(crm, said, "UPDATE leads SET status = 'opted_out' WHERE id = %s")

    assert reserved.policy.decision == crm_pb.SEND_DECISION_SUPPRESS
    assert reserved.policy.lead_status == "opted_out"
    # And the outcome did not write the stale status back over the opt-out
    assert _lead(crm, said.lead_id).status == "opted_out"


def test_a_stage_move_committed_while_the_reservation_waits_is_the_stage_it_judges_from(crm):
    """The lead's stage is read with its lock: a move committed while the reservation waited
    for it is where the outcome's move starts, so the lead never moves backwards."""
    said = _say(crm, "What is the fee?")
    # The reservation, suggesting 'contacted', starts while the move holds the lead's row
    reserved = _reply_while_held(
        crm,
        said,
        "UPDATE leads SET stage_id = (SELECT s.id FROM stages s WHERE s.pipeline_id = "
        "leads.pipeline_id AND s.key = 'qualified') WHERE id = %s",
        suggested_stage="contacted",
    )

    assert reserved.lead.stage == "qualified"
    assert _lead(crm, said.lead_id).stage == "qualified"
    assert crm.event_types("lead_id = %s AND type = 'lead.stage_changed'", (said.lead_id,)) == []


def test_a_repeated_reservation_is_judged_by_the_purpose_it_was_made_with(crm):
    """A retry that asks with another purpose gets the earlier message back, and the policy
    for what that message is: an AI reply to an opted-out lead may not go as a confirmation."""
    said = _say(crm, "What is the fee?")
    first = _reply(crm, said, key="reply-once")
    _opt_out(crm, said.lead_id)

    again = _reply(crm, said, key="reply-once", purpose=crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION)

    assert (again.created, again.message.id) == (False, first.message.id)
    assert again.message.purpose == crm_pb.SEND_PURPOSE_REPLY
    assert again.policy.decision == crm_pb.SEND_DECISION_SUPPRESS


def test_a_reservation_made_after_an_opt_out_is_told_not_to_send(crm):
    said = _say(crm, "What is the fee?")
    _opt_out(crm, said.lead_id)

    reserved = _reply(crm, said)

    assert reserved.policy.decision == crm_pb.SEND_DECISION_SUPPRESS
    assert reserved.policy.lead_status == "opted_out"
