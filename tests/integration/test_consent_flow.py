"""Consent end to end in the mesh: one confirmation after STOP, then silence; the send-time check."""

from __future__ import annotations

import uuid

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_conductor.clients import make_clients
from shvya_conductor.engage import deliver
from shvya_conductor.runner import TaskContext


def ingest(mesh, phone: str, text: str) -> leads_pb.IngestInboundMessageResponse:
    result = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=phone,
            contact_name="Neha Gupta",
            message_text=text,
            channel=channel_pb2.CHANNEL_EMAIL,
            email=f"neha.{phone[-6:]}@example.com",
        )
    )
    mesh.conductor.DispatchJobs(conductor_pb.DispatchJobsRequest(job_ids=[result.job_id]))
    return result


def phone() -> str:
    return f"+9197{uuid.uuid4().int % 10**8:08d}"


def test_stop_gets_exactly_one_confirmation_and_then_silence(mesh):
    number = phone()
    first = ingest(mesh, number, "What is the fee for data science?")
    mesh.wait_for_job(first.job_id, "completed")
    stop = ingest(mesh, number, "STOP")
    mesh.wait_for_job(stop.job_id, "completed")
    later = ingest(mesh, number, "hello?")
    mesh.wait_for_job(later.job_id, "completed")
    emails = mesh.smtp.wait_for(3, timeout=1.5)
    assert len(emails) == 2
    assert "will not receive any more messages" in emails[1].text
    assert "Rs" not in emails[1].text  # no selling in a confirmation


def test_hinglish_opt_out_is_confirmed_once(mesh):
    result = ingest(mesh, phone(), "mujhe message mat bhejo")
    mesh.wait_for_job(result.job_id, "completed")
    [email] = mesh.smtp.wait_for(1)
    assert email.message["Subject"] == "You are unsubscribed"


def test_an_opt_out_between_scheduling_and_sending_stops_the_send(mesh):
    # Given a reply composed and reserved, about to be sent
    number = phone()
    mesh.workers["p1"].stop(5.0)
    result = ingest(mesh, number, "Fee for UI/UX design?")
    started = mesh.crm.jobs.StartJob(jobs_pb.StartJobRequest(job_id=result.job_id, lease_seconds=30))
    reserved = mesh.crm.conversations.ReserveOutboundMessage(
        conversations_pb.ReserveOutboundMessageRequest(
            lead_id=result.lead_id,
            channel=channel_pb2.CHANNEL_EMAIL,
            text="Hi Neha, the fee is Rs 34,999.",
            subject="UI/UX Design",
            idempotency_key=f"{started.job.idempotency_key}:reply",
            job_id=result.job_id,
        )
    ).message
    # When the student opts out (by email unsubscribe) before it leaves
    mesh.crm.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            lead_id=result.lead_id, action=leads_pb.CONSENT_ACTION_OPT_OUT, source="email_unsubscribe"
        )
    )
    lead = mesh.crm.leads.GetLead(leads_pb.GetLeadRequest(lead_id=result.lead_id)).lead
    clients = make_clients(mesh.conductor_settings)
    try:
        completed = deliver(
            TaskContext(mesh.conductor_settings, clients), started.job, lead, reserved, "Academy"
        )
    finally:
        clients.close()
    # Then nothing is sent, and the conversation says why
    assert completed is False
    mesh.smtp.wait_for(1, timeout=1.0)
    assert mesh.smtp.messages == []
    [(status, error)] = mesh.sql("SELECT status, error_message FROM messages WHERE id = %s", (reserved.id,))
    assert status == "failed"
    assert error == "not sent: the lead opted out"


def whatsapp_stop(mesh, number: str) -> None:
    mesh.crm.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            phone_number=number,
            action=leads_pb.CONSENT_ACTION_OPT_OUT,
            channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
            source="whatsapp_user_preferences",
        )
    )


def test_a_web_form_after_a_whatsapp_stop_sends_nothing_not_even_a_late_confirmation(mesh):
    # Given a lead answered once, who then stopped marketing messages in WhatsApp
    number = phone()
    first = ingest(mesh, number, "What is the fee for data science?")
    mesh.wait_for_job(first.job_id, "completed")
    whatsapp_stop(mesh, number)
    # When the same number fills in a form again, without ticking the consent box
    later = ingest(mesh, number, "Do you have weekend batches?")
    mesh.wait_for_job(later.job_id, "completed")
    # Then nothing goes out: no answer, and no opt-out confirmation weeks late
    assert len(mesh.smtp.wait_for(2, timeout=1.5)) == 1


def test_a_web_form_with_consent_after_a_whatsapp_stop_is_answered(mesh):
    number = phone()
    first = ingest(mesh, number, "hi")  # the lead, before the stop
    mesh.wait_for_job(first.job_id, "completed")
    whatsapp_stop(mesh, number)
    result = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=number,
            contact_name="Neha Gupta",
            message_text="Do you have weekend batches?",
            channel=channel_pb2.CHANNEL_EMAIL,
            email=f"neha.{number[-6:]}@example.com",
            consent=True,
            consent_text="You may write to me about courses",
        )
    )
    mesh.conductor.DispatchJobs(conductor_pb.DispatchJobsRequest(job_ids=[result.job_id]))
    mesh.wait_for_job(result.job_id, "completed")
    emails = mesh.smtp.wait_for(2)
    assert len(emails) == 2
    assert "unsubscribed" not in emails[1].message["Subject"].lower()
    assert "will not receive any more messages" not in emails[1].text
