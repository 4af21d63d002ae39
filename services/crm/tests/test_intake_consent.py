"""Consent and the course at intake: a ticked box is an opt-in with its text; a reply cancels the
waiting follow-up; an opted-out lead is never enrolled."""

from __future__ import annotations

import grpc
import pytest

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.errors import field_violations

TEXT = "Yes, Shvya Demo Academy may contact me on WhatsApp and email about courses."


def test_a_ticked_consent_box_is_recorded_as_an_opt_in_with_its_source_time_and_text(crm):
    result = crm.ingest(consent=True, consent_text=TEXT)
    [(action, source, channel, text_shown, created, received)] = crm.sql(
        "SELECT c.action, c.source, c.channel, c.text_shown, c.created_at, m.created_at "
        "FROM consents c JOIN messages m ON m.id = %s WHERE c.lead_id = %s",
        (result.message_id, result.lead_id),
    )
    assert (action, source, channel, text_shown) == ("opt_in", "form", "wa_web", TEXT)
    assert created == received
    consents = crm.stub.leads.ListConsents(leads_pb.ListConsentsRequest(lead_id=result.lead_id)).consents
    assert consents[0].evidence["message_id"] == result.message_id


def test_no_consent_box_records_nothing(crm):
    result = crm.ingest()
    assert crm.count("consents", "lead_id = %s", (result.lead_id,)) == 0


def test_the_course_named_in_the_form_is_kept_on_the_lead(crm):
    result = crm.ingest(course="  Data   Science and AI ")
    assert (
        crm.scalar("SELECT profile->>'course' FROM leads WHERE id = %s", (result.lead_id,))
        == "Data Science and AI"
    )
    crm.ingest(message_text="And the fee?", course="UI/UX Design")
    assert (
        crm.scalar("SELECT profile->>'course' FROM leads WHERE id = %s", (result.lead_id,)) == "UI/UX Design"
    )


def test_an_overlong_consent_text_or_course_is_refused_naming_the_field(crm):
    with pytest.raises(grpc.RpcError) as refused:
        crm.ingest(consent=True, consent_text="x" * 2001, course="y" * 201)
    assert set(field_violations(refused.value)) == {"consent_text", "course"}
    assert crm.count("leads") == 0


def _waiting_follow_up(crm):
    """A lead, and the follow-up scheduled to bump it tomorrow (its ScheduleJob reply)."""
    first = crm.ingest()
    return crm.stub.jobs.ScheduleJob(
        jobs_pb.ScheduleJobRequest(
            task_name="followup_bumpup",
            lead_id=first.lead_id,
            delay_seconds=86400,
            idempotency_key=f"followup_bumpup_{first.lead_id}_x",
        )
    )


def test_a_message_from_the_lead_cancels_the_waiting_follow_up(crm):
    _waiting_follow_up(crm)
    crm.ingest(message_text="Sorry for the delay, what is the fee?")
    assert crm.sql("SELECT status, error_message FROM jobs WHERE task_name = 'followup_bumpup'") == [
        ("cancelled", "the lead replied")
    ]


def test_the_cancelled_follow_up_is_logged_with_the_reason(crm):
    bump = _waiting_follow_up(crm)
    crm.ingest(message_text="Sorry for the delay, what is the fee?")
    assert crm.sql(
        "SELECT data->>'task_name', data->>'reason' FROM events WHERE type = 'job.cancelled' AND entity_id = %s",
        (bump.job.id,),
    ) == [("followup_bumpup", "the lead replied")]


def _keyword_sequence(crm, company_id: str, *, active: bool = True, keywords=("fee",)) -> None:
    template = crm.stub.outreach.UpsertTemplate(
        outreach_pb.UpsertTemplateRequest(
            template=outreach_pb.Template(
                company_id=company_id, name="hello", channel=channel_pb2.CHANNEL_WHATSAPP_WEB, body="Hi"
            )
        )
    ).template
    crm.stub.outreach.UpsertSequence(
        outreach_pb.UpsertSequenceRequest(
            sequence=outreach_pb.Sequence(
                company_id=company_id,
                name="Fee askers",
                active=active,
                trigger=outreach_pb.SequenceTrigger(keywords=list(keywords)),
                steps=[
                    outreach_pb.SequenceStep(
                        channel=channel_pb2.CHANNEL_WHATSAPP_WEB, template_id=template.id
                    )
                ],
            )
        )
    )


def test_a_rule_added_after_the_companys_first_form_enrols_the_next_form(crm):
    # Given a company whose first form found no sequence with a rule
    company_id = crm.ingest(message_text="hello").company_id
    assert crm.count("sequence_enrolments") == 0
    # When a rule-based sequence is added and another student asks about the fee
    _keyword_sequence(crm, company_id)
    result = crm.ingest(phone_number="+919812345678", message_text="what is the fee")
    # Then that student is enrolled
    assert crm.sql("SELECT lead_id::text, source FROM sequence_enrolments") == [(result.lead_id, "rule")]


def test_a_company_whose_only_rule_based_sequence_is_inactive_enrols_no_one(crm):
    company_id = crm.ingest(message_text="hello").company_id
    _keyword_sequence(crm, company_id, active=False)
    crm.ingest(phone_number="+919812345678", message_text="what is the fee")
    assert crm.count("sequence_enrolments") == 0


def test_an_opted_out_lead_writing_again_is_not_enrolled_by_a_rule(crm):
    company_id = crm.ingest(message_text="STOP").company_id
    _keyword_sequence(crm, company_id)
    crm.ingest(message_text="what is the fee")
    assert crm.count("sequence_enrolments") == 0


@pytest.mark.parametrize("text", ["मैसेज मत भेजो", "enakku message anuppa vendam", "আমাকে মেসেজ পাঠাবেন না"])
def test_an_opt_out_in_an_indian_language_suppresses_the_lead_at_intake(crm, text):
    result = crm.ingest(message_text=text)

    assert crm.scalar("SELECT status FROM leads WHERE id = %s", (result.lead_id,)) == "opted_out"


def test_a_negated_stop_does_not_suppress_the_lead(crm):
    result = crm.ingest(message_text="Don't stop sending me updates, what is the fee?")

    assert crm.scalar("SELECT status FROM leads WHERE id = %s", (result.lead_id,)) != "opted_out"


def test_a_wrong_number_suppresses_the_lead_and_records_a_wrong_number_event(crm):
    result = crm.ingest(message_text="गलत नंबर है, मैं राहुल नहीं हूँ")

    assert crm.scalar("SELECT status FROM leads WHERE id = %s", (result.lead_id,)) == "opted_out"
    assert crm.scalar("SELECT source FROM consents WHERE lead_id = %s", (result.lead_id,)) == "wrong_number"
    assert "lead.wrong_number" in crm.event_types("lead_id = %s", (result.lead_id,))


def test_a_payment_claim_is_recorded_as_an_event_for_a_counsellor(crm):
    result = crm.ingest(message_text="I have made the payment via UPI")

    assert "lead.payment_claimed" in crm.event_types("lead_id = %s", (result.lead_id,))
    assert crm.scalar("SELECT status FROM leads WHERE id = %s", (result.lead_id,)) != "opted_out"
