"""The consent ledger and the send-time policy that every send path asks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import grpc
import pytest

from shvya.crm.v1 import clock_service_pb2 as clock_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.leads.consent import is_opt_in_keyword, is_opt_out_keyword, seconds_until_allowed
from shvya_crm.server import run_server
from shvya_rpc.client import connect
from shvya_rpc.crm_client import CrmClient

IST = ZoneInfo("Asia/Kolkata")
EMAIL = channel_pb2.CHANNEL_EMAIL
WA_CLOUD = channel_pb2.CHANNEL_WHATSAPP_CLOUD


@pytest.fixture
def timed(crm, make_crm_settings) -> Iterator:
    """The crm with a test clock, on the same (emptied) database as `crm`."""
    settings = make_crm_settings(crm.database_url, test_clock=True)
    with run_server(settings, port=0) as server, connect(f"127.0.0.1:{server.port}") as channel:
        crm.stub = CrmClient.over(channel)
        yield crm


def policy(
    crm, lead_id: str, purpose=crm_pb.SEND_PURPOSE_REPLY, channel=WA_CLOUD
) -> crm_pb.CheckSendPolicyResponse:
    return crm.stub.leads.CheckSendPolicy(
        leads_pb.CheckSendPolicyRequest(lead_id=lead_id, channel=channel, purpose=purpose)
    )


def move_clock_to(crm, local: datetime) -> None:
    request = clock_pb.SetClockRequest()
    request.at.FromDatetime(local.astimezone(UTC))
    crm.stub.clock.SetClock(request)


def next_local(hour: int, minute: int = 0) -> datetime:
    """The next time it is hour:minute in India, at least an hour from now."""
    now = datetime.now(IST) + timedelta(hours=1)
    at = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return at if at > now else at + timedelta(days=1)


@pytest.mark.parametrize(
    "text",
    ["STOP", "stop.", "Unsubscribe", "please stop", "band karo", "Band kar do", "mat bhejo", "message mat bhejo",
     "Please stop messaging me", "don't contact me", "opt out", "msg band karo please"],
)  # fmt: skip
def test_opt_out_keywords_are_recognised(text):
    assert is_opt_out_keyword(text)


@pytest.mark.parametrize(
    "text",
    ["When does the batch start?", "How do I stop the EMI after the course?", "Is there a bus stop nearby?",
     "Can I pause and resume later?", "band baaja", "Interested in Digital Marketing"],
)  # fmt: skip
def test_ordinary_messages_are_not_opt_outs(text):
    assert not is_opt_out_keyword(text)


@pytest.mark.parametrize(
    "text",
    ["stop msgs", "STOP MESSAGES", "stop the messages", "Stop promotions", "stop marketing messages",
     "band karo yaar", "mat bhejo bhai", "ab band karo", "band kro", "bandh kr do", "plz stop", "STOP pls!",
     "no more msgs", "no more messages please", "message na bhejo", "msg na bheje", "messages mat karo bhai",
     "block kar dunga agar message kiya", "unsubscribe me now", "mujhe mat bhejo", "quit messaging me",
     "Please do not send me any more messages", "mera number delete karo"],
)  # fmt: skip
def test_opt_out_keywords_with_shorthand_and_fillers_are_recognised(text):
    # When the AI does not run for the message (a lead handed to a counsellor),
    # these keywords are the only thing between the student and the next send.
    assert is_opt_out_keyword(text)


@pytest.mark.parametrize(
    "text",
    ["stop the EMI", "when will the ads module stop?", "no more questions, when is the batch?", "bhai fees?",
     "seat block kar do", "please call", "yaar batao course kab start hoga", "message na bheja kya?"],
)  # fmt: skip
def test_shorthand_and_fillers_do_not_make_ordinary_messages_opt_outs(text):
    assert not is_opt_out_keyword(text)


def test_start_alone_is_an_opt_in_but_a_sentence_about_starting_is_not():
    assert is_opt_in_keyword("START")
    assert not is_opt_in_keyword("when can I start the course?")


def test_a_stop_message_suppresses_the_lead_and_cancels_its_pending_jobs(crm):
    first = crm.ingest()
    pending = crm.stub.jobs.ScheduleJob(
        jobs_pb.ScheduleJobRequest(
            task_name="followup_bumpup", lead_id=first.lead_id, delay_seconds=3600, idempotency_key="bump-1"
        )
    ).job
    stop = crm.ingest(message_text="STOP")
    assert crm.scalar("SELECT status FROM leads WHERE id = %s", (first.lead_id,)) == "opted_out"
    assert crm.scalar("SELECT status FROM jobs WHERE id = %s", (pending.id,)) == "cancelled"
    assert crm.scalar("SELECT status FROM jobs WHERE id = %s", (first.job_id,)) == "cancelled"
    # The STOP message's own job stays, to send the one confirmation.
    assert crm.scalar("SELECT payload->>'opt_out' FROM jobs WHERE id = %s", (stop.job_id,)) == "true"
    [(source, action)] = crm.sql("SELECT source, action FROM consents WHERE lead_id = %s", (first.lead_id,))
    assert (source, action) == ("keyword", "opt_out")


def test_after_an_opt_out_only_the_confirmation_is_allowed(crm):
    lead_id = crm.ingest(message_text="band karo").lead_id
    assert policy(crm, lead_id).decision == crm_pb.SEND_DECISION_SUPPRESS
    assert policy(crm, lead_id, crm_pb.SEND_PURPOSE_FOLLOWUP).decision == crm_pb.SEND_DECISION_SUPPRESS
    assert (
        policy(crm, lead_id, crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION).decision == crm_pb.SEND_DECISION_ALLOW
    )


def test_the_confirmation_is_allowed_once(crm):
    lead_id = crm.ingest(message_text="STOP").lead_id
    message = crm.stub.conversations.ReserveOutboundMessage(
        conversations_pb.ReserveOutboundMessageRequest(
            lead_id=lead_id,
            channel=WA_CLOUD,
            text="You will not receive any more messages.",
            idempotency_key="confirm-1",
            purpose=crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION,
        )
    ).message
    assert message.purpose == crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION
    crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=message.id, external_id="wamid.1")
    )
    verdict = policy(crm, lead_id, crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION)
    assert verdict.decision == crm_pb.SEND_DECISION_SUPPRESS
    assert "already confirmed" in verdict.reason


def test_start_lifts_an_opt_out(crm):
    lead_id = crm.ingest(message_text="STOP").lead_id
    crm.ingest(message_text="START")
    assert crm.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,)) == "active"
    assert policy(crm, lead_id).decision == crm_pb.SEND_DECISION_ALLOW
    assert [
        a
        for (a,) in crm.sql("SELECT action FROM consents WHERE lead_id = %s ORDER BY created_at", (lead_id,))
    ] == [
        "opt_out",
        "opt_in",
    ]


def test_an_opt_out_by_api_needs_only_the_company_and_phone(crm):
    result = crm.ingest()
    reply = crm.stub.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            company_id=result.company_id,
            phone_number="+91 98765 43210",
            action=leads_pb.CONSENT_ACTION_OPT_OUT,
            source="api",
        )
    )
    assert reply.lead.status == "opted_out"
    assert reply.consent.source == "api"


def test_an_opt_out_by_phone_alone_finds_the_lead_of_the_default_company(crm):
    crm.ingest()  # intake without a company: the default company

    reply = crm.stub.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            phone_number="+919876543210",
            action=leads_pb.CONSENT_ACTION_OPT_OUT,
            source="whatsapp_user_preferences",
        )
    )

    assert reply.lead.status == "opted_out"


def test_an_opt_in_keeps_the_text_the_person_saw(crm):
    lead_id = crm.ingest().lead_id
    crm.stub.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            lead_id=lead_id,
            action=leads_pb.CONSENT_ACTION_OPT_IN,
            channel=WA_CLOUD,
            source="form",
            text_shown="I agree to receive course updates from Shvya Demo Academy on WhatsApp.",
            evidence={"ip": "203.0.113.7"},
        )
    )
    [entry] = crm.stub.leads.ListConsents(leads_pb.ListConsentsRequest(lead_id=lead_id)).consents
    assert entry.text_shown.startswith("I agree")
    assert entry.channel == WA_CLOUD
    assert entry.evidence["ip"] == "203.0.113.7"
    assert policy(crm, lead_id).opted_in


def test_recording_consent_validates_its_fields(crm):
    with pytest.raises(grpc.RpcError) as refused:
        crm.stub.leads.RecordConsent(leads_pb.RecordConsentRequest(lead_id=crm.ingest().lead_id))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "action" in refused.value.details()
    assert "source" in refused.value.details()


def test_a_handed_off_lead_gets_no_ai_replies_or_follow_ups(crm):
    lead_id = crm.ingest().lead_id
    crm.sql("UPDATE leads SET status = 'handed_off' WHERE id = %s", (lead_id,))
    assert policy(crm, lead_id).decision == crm_pb.SEND_DECISION_SUPPRESS
    assert "counsellor" in policy(crm, lead_id).reason


def test_follow_ups_wait_for_the_end_of_quiet_hours_in_the_leads_zone(timed):
    lead_id = timed.ingest().lead_id
    move_clock_to(timed, next_local(22, 30))
    verdict = policy(timed, lead_id, crm_pb.SEND_PURPOSE_FOLLOWUP)
    assert verdict.decision == crm_pb.SEND_DECISION_DEFER
    assert verdict.defer_seconds == pytest.approx(10.5 * 3600, abs=120)
    # Replies to the student's own message are not held back.
    assert policy(timed, lead_id, crm_pb.SEND_PURPOSE_REPLY).decision == crm_pb.SEND_DECISION_ALLOW


def test_follow_ups_go_out_during_the_day(timed):
    lead_id = timed.ingest().lead_id
    move_clock_to(timed, next_local(11, 0))
    assert policy(timed, lead_id, crm_pb.SEND_PURPOSE_SEQUENCE).decision == crm_pb.SEND_DECISION_ALLOW


def test_quiet_hours_follow_the_company_setting(timed):
    result = timed.ingest()
    timed.sql(
        'UPDATE companies SET settings = \'{"quiet_hours": {"start": "23:00", "end": "07:00"}}\' WHERE id = %s',
        (result.company_id,),
    )
    move_clock_to(timed, next_local(22, 30))
    assert policy(timed, result.lead_id, crm_pb.SEND_PURPOSE_FOLLOWUP).decision == crm_pb.SEND_DECISION_ALLOW


def test_quiet_hours_wrap_past_midnight():
    window = (datetime(2026, 1, 1, 21).time(), datetime(2026, 1, 1, 9).time())
    early = datetime(2026, 1, 2, 6, 0, tzinfo=IST)
    assert seconds_until_allowed(early, IST, window) == 3 * 3600
    assert seconds_until_allowed(datetime(2026, 1, 2, 12, 0, tzinfo=IST), IST, window) == 0


def test_the_reply_window_closes_24_hours_after_the_leads_last_message(timed):
    lead_id = timed.ingest(
        channel=WA_CLOUD, source="whatsapp_cloud_webhook", external_message_id="wamid.1"
    ).lead_id
    assert policy(timed, lead_id).window_open
    timed.stub.clock.SetClock(clock_pb.SetClockRequest(advance_seconds=25 * 3600))
    verdict = policy(timed, lead_id)
    assert not verdict.window_open
    assert verdict.lead_wrote_first


def test_scheduling_is_idempotent_on_the_key(crm):
    lead_id = crm.ingest().lead_id
    request = jobs_pb.ScheduleJobRequest(task_name="ai_summary", lead_id=lead_id, idempotency_key="summary-1")
    first = crm.stub.jobs.ScheduleJob(request)
    again = crm.stub.jobs.ScheduleJob(request)
    assert first.created
    assert not again.created
    assert again.job.id == first.job.id
    assert first.job.priority == 90


def test_scheduling_an_unknown_task_is_refused(crm):
    with pytest.raises(grpc.RpcError) as refused:
        crm.stub.jobs.ScheduleJob(jobs_pb.ScheduleJobRequest(task_name="send_spam", idempotency_key="x"))
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT


def test_templates_are_created_replaced_listed_and_deleted(crm):
    company_id = crm.ingest().company_id
    template = outreach_pb.Template(
        company_id=company_id,
        name="course_intro",
        channel=WA_CLOUD,
        language="en",
        body="Hi {first_name}, thanks for asking about {course}.",
    )
    created = crm.stub.outreach.UpsertTemplate(outreach_pb.UpsertTemplateRequest(template=template))
    assert created.created
    assert list(created.template.variables) == ["first_name", "course"]
    template.body = "Hello {first_name}!"
    replaced = crm.stub.outreach.UpsertTemplate(outreach_pb.UpsertTemplateRequest(template=template))
    assert not replaced.created
    assert replaced.template.id == created.template.id
    listed = crm.stub.outreach.ListTemplates(
        outreach_pb.ListTemplatesRequest(company_id=company_id, channel=WA_CLOUD)
    ).templates
    assert [t.body for t in listed] == ["Hello {first_name}!"]
    crm.stub.outreach.DeleteTemplate(outreach_pb.DeleteTemplateRequest(template_id=created.template.id))
    assert (
        crm.stub.outreach.ListTemplates(outreach_pb.ListTemplatesRequest(company_id=company_id)).templates
        == []
    )


def test_a_template_name_must_follow_whatsapps_rules(crm):
    company_id = crm.ingest().company_id
    with pytest.raises(grpc.RpcError) as refused:
        crm.stub.outreach.UpsertTemplate(
            outreach_pb.UpsertTemplateRequest(
                template=outreach_pb.Template(
                    company_id=company_id, name="Course Intro!", channel=EMAIL, body="Hi"
                )
            )
        )
    assert "template.name" in refused.value.details()


def test_a_form_naming_whatsapp_is_first_contact_and_opens_no_window(crm):
    result = crm.ingest(channel=WA_CLOUD, source="form")

    verdict = policy(crm, result.lead_id)

    assert verdict.window_open is False
    assert verdict.lead_wrote_first is True


def test_a_whatsapp_reply_after_the_form_opens_the_window(crm):
    form = crm.ingest(channel=WA_CLOUD, source="form")
    crm.ingest(
        channel=WA_CLOUD,
        source="whatsapp_cloud_webhook",
        external_message_id="wamid.reply-1",
        message_text="Yes, please share the fee",
    )

    assert policy(crm, form.lead_id).window_open is True


def test_a_message_on_another_channel_does_not_open_the_whatsapp_window(crm):
    result = crm.ingest(channel=EMAIL, email="rahul@example.com", source="form")

    assert policy(crm, result.lead_id, channel=WA_CLOUD).window_open is False
    assert policy(crm, result.lead_id, channel=EMAIL).window_open is True


def test_a_consent_repeated_with_its_idempotency_key_is_recorded_once(crm):
    lead_id = crm.ingest().lead_id
    request = leads_pb.RecordConsentRequest(
        lead_id=lead_id,
        action=leads_pb.CONSENT_ACTION_OPT_OUT,
        channel=WA_CLOUD,
        source="whatsapp_user_preferences",
        idempotency_key="user_preferences:919876543210:1731705721:stop",
    )

    first = crm.stub.leads.RecordConsent(request)
    events_before = crm.count("events")
    again = crm.stub.leads.RecordConsent(request)

    assert again.consent.id == first.consent.id
    assert crm.count("consents") == 1
    assert crm.count("events") == events_before
    assert again.lead.status == "opted_out"


def test_consents_with_different_keys_are_both_recorded(crm):
    lead_id = crm.ingest().lead_id
    for key in ("k1", "k2"):
        crm.stub.leads.RecordConsent(
            leads_pb.RecordConsentRequest(
                lead_id=lead_id, action=leads_pb.CONSENT_ACTION_OPT_IN, source="api", idempotency_key=key
            )
        )

    assert crm.count("consents") == 2
