"""AI turns through the mesh: structured outcomes applied, bursts answered once, hand-offs, summaries,
and a model that refuses its key dead-lettered at once."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.seed import document_id
from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_testkit.ports import free_port


class Lead:
    """One student writing to the demo academy by email."""

    def __init__(self, mesh) -> None:
        self.mesh = mesh
        suffix = uuid.uuid4().int % 10**8
        self.phone = f"+9197{suffix:08d}"
        self.email = f"student.{suffix}@example.com"
        self.id = ""

    def says(self, text: str, dispatch: bool = True) -> leads_pb.IngestInboundMessageResponse:
        said = self.mesh.crm.leads.IngestInboundMessage(
            leads_pb.IngestInboundMessageRequest(
                phone_number=self.phone,
                contact_name="Anita Rao",
                message_text=text,
                channel=channel_pb2.CHANNEL_EMAIL,
                email=self.email,
            )
        )
        self.id = said.lead_id
        if dispatch:
            self.mesh.conductor.DispatchJobs(conductor_pb.DispatchJobsRequest(job_ids=[said.job_id]))
        return said

    def emails(self) -> list:
        return [m for m in self.mesh.smtp.messages if self.email in m.rcpt_tos]

    def lead(self) -> crm_pb.Lead:
        return self.mesh.crm.leads.GetLead(leads_pb.GetLeadRequest(lead_id=self.id)).lead

    def events(self, prefix: str = "lead.") -> list[str]:
        rows = self.mesh.sql("SELECT type FROM events WHERE lead_id = %s ORDER BY id", (self.id,))
        return [t for (t,) in rows if t.startswith(prefix)]


def test_a_question_is_answered_from_the_catalogue_and_qualifies_a_hot_lead(mesh):
    # Given a student asking the fee of a catalogue course
    student = Lead(mesh)
    said = student.says("What is the fee for the data science course?")

    # When the reply has gone out
    mesh.wait_for_job(said.job_id, "completed")
    [email] = student.emails()

    # Then it quotes the catalogue, the turn is recorded with its document, and the lead moved on
    assert "Rs 59,999" in email.text
    [(intent, documents, answered)] = mesh.sql(
        "SELECT intent, kb_doc_ids, answered_message_ids FROM ai_sessions WHERE lead_id = %s", (student.id,)
    )
    assert (intent, documents, answered) == (
        "question",
        [str(document_id("Data Science and AI"))],
        [said.message_id],
    )
    assert student.lead().stage == "qualified"
    assert student.events() == ["lead.created", "lead.stage_changed", "lead.hot"]


def test_a_call_request_hands_off_with_one_notice_a_summary_and_then_silence(mesh):
    # Given a student who asks for a call
    student = Lead(mesh)
    said = student.says("Please call me, I want to discuss the UI/UX course")
    mesh.wait_for_job(said.job_id, "completed")

    # Then they are told a counsellor will call, the lead is handed off, and a summary is written
    [notice] = student.emails()
    assert "counsellor" in notice.text
    assert student.lead().status == "handed_off"
    assert {"lead.handed_off", "lead.hot"} <= set(student.events())
    [(summary_job,)] = mesh.sql(
        "SELECT id FROM jobs WHERE lead_id = %s AND task_name = 'ai_summary'", (student.id,)
    )
    mesh.wait_for_job(str(summary_job), "completed")
    assert "asked for a call" in student.lead().summary

    # And when they write again, the AI stays silent: a counsellor has it
    later = student.says("Hello? What is the fee?")
    mesh.wait_for_job(later.job_id, "completed")
    mesh.smtp.wait_for(len(mesh.smtp.messages) + 1, timeout=1.0)
    assert len(student.emails()) == 1


def test_a_payment_claim_is_recorded_and_handed_to_a_counsellor_not_enrolled(mesh):
    student = Lead(mesh)
    first = student.says("Interested in digital marketing")
    mesh.wait_for_job(first.job_id, "completed")

    paid = student.says("I have paid the fees, payment done")
    mesh.wait_for_job(paid.job_id, "completed")

    assert "lead.payment_claimed" in student.events()
    assert student.lead().status == "handed_off"
    assert student.lead().stage != "enrolled"  # until a counsellor has seen the payment
    assert "lead.enrolled" not in student.events()


def test_an_enrolment_stops_follow_ups(mesh):
    student = Lead(mesh)
    first = student.says("Interested in digital marketing")
    mesh.wait_for_job(first.job_id, "completed")
    mesh.crm.jobs.ScheduleJob(
        jobs_pb.ScheduleJobRequest(
            task_name="followup_bumpup",
            lead_id=student.id,
            idempotency_key=f"bump-{student.id}",
            delay_seconds=3600,
        )
    )

    joined = student.says("I have enrolled in the course, see you in class")
    mesh.wait_for_job(joined.job_id, "completed")

    assert student.lead().status == "enrolled"
    assert student.lead().stage == "enrolled"
    assert "lead.enrolled" in student.events()
    assert mesh.sql("SELECT status FROM jobs WHERE idempotency_key = %s", (f"bump-{student.id}",)) == [
        ("cancelled",)
    ]
    assert "congratulations" in student.emails()[-1].text


def test_a_question_the_catalogue_cannot_answer_is_stored_for_admins(mesh):
    student = Lead(mesh)
    said = student.says("Is there a hostel near your campus?")
    mesh.wait_for_job(said.job_id, "completed")

    [email] = student.emails()
    assert "counsellor will confirm" in email.text
    questions = mesh.crm.conversations.ListUnansweredQuestions(
        conversations_pb.ListUnansweredQuestionsRequest(company_id=str(DEFAULT_COMPANY_ID))
    ).questions
    assert [(q.question, q.lead_id) for q in questions] == [
        ("Is there a hostel near your campus?", student.id)
    ]


def test_an_indirect_opt_out_is_suppressed_at_intake_and_confirmed_once(mesh):
    student = Lead(mesh)
    said = student.says("who gave you my number? don't ever text me")
    mesh.wait_for_job(said.job_id, "completed")

    [email] = student.emails()
    assert "will not receive any more messages" in email.text
    assert student.lead().status == "opted_out"
    # Intake reads it with the detector the AI uses, before anything else can be sent.
    assert mesh.sql("SELECT source FROM consents WHERE lead_id = %s", (student.id,)) == [("keyword",)]


def test_a_wrong_number_is_suppressed_recorded_and_answered_with_an_apology(mesh):
    student = Lead(mesh)
    said = student.says("यह राहुल का नंबर नहीं है, आपने गलत नंबर पर मैसेज किया है")
    mesh.wait_for_job(said.job_id, "completed")

    [email] = student.emails()
    assert email.text.startswith("Sorry")
    assert "Rs" not in email.text
    assert student.lead().status == "opted_out"
    assert "lead.wrong_number" in student.events()


def test_a_burst_of_messages_mid_conversation_gets_one_reply(mesh):
    # Given a student already in conversation
    student = Lead(mesh)
    first = student.says("Hi, interested in web development")
    mesh.wait_for_job(first.job_id, "completed")
    assert len(student.emails()) == 1

    # When they send three messages in quick succession
    burst = [student.says(text) for text in ("ok", "one more thing", "what are the class timings?")]
    for said in burst:
        mesh.wait_for_job(said.job_id, "completed")

    # Then one reply answers them all, and the other jobs found it answered
    mesh.smtp.wait_for(len(mesh.smtp.messages) + 1, timeout=1.0)
    emails = student.emails()
    assert len(emails) == 2
    assert "Monday to Friday, 7 PM to 9 PM" in emails[1].text
    answered = mesh.sql(
        "SELECT answered_message_ids FROM ai_sessions WHERE lead_id = %s ORDER BY created_at", (student.id,)
    )
    assert answered[-1] == ([s.message_id for s in burst],)


def test_a_first_message_is_answered_without_waiting(mesh):
    # The pause that gathers a burst applies only once a conversation is under way.
    student = Lead(mesh)
    said = student.says("Interested in data science")
    mesh.wait_for_job(said.job_id, "completed", timeout=2.0)
    deferred = mesh.sql(
        "SELECT count(*) FROM events WHERE type = 'job.deferred' AND entity_id = %s", (said.job_id,)
    )
    assert deferred == [(0,)]


# -- a model endpoint that refuses the key --------------------------------------------------


@pytest.fixture
def refusing_model() -> Iterator[str]:
    """An OpenAI-compatible endpoint on 127.0.0.1 that answers every request 401, as for a revoked key."""
    calls: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            calls.append(self.path)
            body = json.dumps(
                {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
            )
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def test_a_refused_model_key_dead_letters_the_turn_at_once(mesh, refusing_model):
    # Given the company's model is an OpenAI-compatible endpoint that refuses the key
    config = mesh.crm.conversations.GetAiModel(
        conversations_pb.GetAiModelRequest(company_id=str(DEFAULT_COMPANY_ID))
    ).ai_model
    config.provider, config.base_url = "openai", refusing_model
    mesh.crm.conversations.UpdateAiModel(conversations_pb.UpdateAiModelRequest(ai_model=config))

    # When a student writes
    student = Lead(mesh)
    said = student.says("What is the fee?")

    # Then the job is dead-lettered after one attempt, with the reason, and nothing is sent
    mesh.wait_for_job(said.job_id, "dlq")
    [(attempts, error)] = mesh.sql("SELECT attempts, error_message FROM jobs WHERE id = %s", (said.job_id,))
    assert attempts == 1
    assert "refused the API key" in error
    assert student.emails() == []


def test_a_turn_waits_out_a_model_endpoint_that_is_down_without_spending_attempts(make_mesh):
    # Given a mesh that waits out outages of up to a minute, and the company's model endpoint
    # down (nothing listens at its address)
    mesh = make_mesh(conductor_values={"outage_max_seconds": 60, "max_attempts": 2})
    config = mesh.crm.conversations.GetAiModel(
        conversations_pb.GetAiModelRequest(company_id=str(DEFAULT_COMPANY_ID))
    ).ai_model
    config.provider, config.base_url = "openai", f"http://127.0.0.1:{free_port()}/v1"
    mesh.crm.conversations.UpdateAiModel(conversations_pb.UpdateAiModelRequest(ai_model=config))
    student = Lead(mesh)
    said = student.says("What is the fee?")

    # When the turn has found the endpoint down more often than it has attempts
    mesh.wait_until(
        lambda: (
            mesh.sql(
                "SELECT count(*) FROM events WHERE type = 'job.deferred' AND entity_id = %s", (said.job_id,)
            )[0][0]
            >= 3
        ),
        what="the turn to wait out several tries",
    )
    assert mesh.job_status(said.job_id) == "queued"

    # Then, once the company's model answers again, the reply goes out, once, on its first attempt
    config.provider = "offline"
    mesh.crm.conversations.UpdateAiModel(conversations_pb.UpdateAiModelRequest(ai_model=config))
    mesh.wait_for_job(said.job_id, "completed")
    assert mesh.sql("SELECT attempts FROM jobs WHERE id = %s", (said.job_id,)) == [(1,)]
    assert len(student.emails()) == 1


def test_a_handed_off_lead_who_opts_out_is_heard_confirmed_once_and_suppressed(mesh):
    # Given a lead a counsellor has taken over
    student = Lead(mesh)
    said = student.says("Please call me, I want to discuss the UI/UX course")
    mesh.wait_for_job(said.job_id, "completed")
    assert student.lead().status == "handed_off"

    # When they opt out in words the intake keywords do not know
    later = student.says("who gave you my number? don't ever text me")
    mesh.wait_for_job(later.job_id, "completed")

    # Then intake's reading (the AI's own detector) suppresses them, with one confirmation and nothing else
    emails = student.emails()
    assert len(emails) == 2
    assert "will not receive any more messages" in emails[-1].text
    assert student.lead().status == "opted_out"
    assert mesh.sql("SELECT source FROM consents WHERE lead_id = %s", (student.id,)) == [("keyword",)]
    again = student.says("hello?")
    mesh.wait_for_job(again.job_id, "completed")
    mesh.smtp.wait_for(len(mesh.smtp.messages) + 1, timeout=1.0)
    assert len(student.emails()) == 2
