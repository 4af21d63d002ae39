"""Intake: the first contact creates the company and its pipeline; every message is stored
with its lead, contacts, audit events and ai_engage job, in one transaction."""

from __future__ import annotations

import uuid

import grpc
import pytest

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.settings import DEFAULT_COMPANY_ID


def test_first_contact_creates_the_company_with_a_five_stage_default_pipeline(crm):
    # Given an empty database
    # When the first form arrives for a company
    company_id = str(uuid.uuid4())
    response = crm.ingest(company_id=company_id)

    # Then the company exists with one default pipeline of five ordered stages
    assert response.company_id == company_id
    assert crm.count("companies", "id = %s", (company_id,)) == 1
    pipelines = crm.sql("SELECT id, is_default FROM pipelines WHERE company_id = %s", (company_id,))
    assert len(pipelines) == 1
    assert pipelines[0][1] is True
    stages = crm.sql("SELECT key FROM stages WHERE pipeline_id = %s ORDER BY position", (pipelines[0][0],))
    assert [key for (key,) in stages] == ["new", "contacted", "qualified", "enrolled", "lost"]


def test_a_form_without_company_id_goes_to_the_default_company(crm):
    response = crm.ingest(company_id="")

    assert response.company_id == str(DEFAULT_COMPANY_ID)
    assert crm.scalar("SELECT name FROM companies WHERE id = %s", (response.company_id,)) == (
        crm.settings.default_company_name
    )


def test_an_unknown_company_id_is_created_rather_than_refused(crm):
    # Given a company id the crm has never seen
    company_id = str(uuid.uuid4())

    # When a form names it
    response = crm.ingest(company_id=company_id)

    # Then the company is created and the lead belongs to it
    assert crm.count("companies", "id = %s", (company_id,)) == 1
    assert crm.scalar("SELECT company_id::text FROM leads WHERE id = %s", (response.lead_id,)) == company_id


def test_a_new_lead_starts_in_the_new_stage_of_the_default_pipeline(crm):
    response = crm.ingest()

    lead = crm.stub.leads.GetLead(leads_pb.GetLeadRequest(lead_id=response.lead_id)).lead
    assert response.lead_created is True
    assert lead.stage == "new"
    assert lead.status == "active"
    assert lead.contact_name == "Rahul Kumar"
    assert lead.phone_number == "+919876543210"
    assert lead.channel == channel_pb2.CHANNEL_WHATSAPP_WEB


def test_a_second_message_from_the_same_phone_creates_no_second_lead(crm):
    # Given a lead created by a first message
    first = crm.ingest(phone_number="9876543210", message_text="Interested in Digital Marketing")

    # When the same person writes again, the number formatted differently
    second = crm.ingest(phone_number="+91 98765 43210", message_text="What are the fees?")

    # Then it is the same lead, with both messages and a job for each
    assert second.lead_id == first.lead_id
    assert second.lead_created is False
    assert second.duplicate is False
    assert second.message_id != first.message_id
    assert crm.count("leads") == 1
    assert crm.count("messages", "lead_id = %s", (first.lead_id,)) == 2
    assert crm.count("jobs", "lead_id = %s", (first.lead_id,)) == 2


def test_the_same_phone_at_two_companies_is_two_leads(crm):
    a = crm.ingest(company_id=str(uuid.uuid4()))
    b = crm.ingest(company_id=str(uuid.uuid4()))

    assert a.lead_id != b.lead_id
    assert crm.count("leads", "phone = '+919876543210'") == 2


def test_a_whatsapp_lead_gets_its_phone_as_primary_contact_and_its_email_as_secondary(crm):
    response = crm.ingest(channel=channel_pb2.CHANNEL_WHATSAPP_WEB, email="Rahul.Kumar@Example.com")

    contacts = crm.sql(
        "SELECT channel, value, is_primary FROM lead_contacts WHERE lead_id = %s ORDER BY is_primary DESC",
        (response.lead_id,),
    )
    assert contacts == [("wa_web", "+919876543210", True), ("email", "Rahul.Kumar@example.com", False)]


def test_an_email_lead_gets_its_email_address_as_primary_contact(crm):
    response = crm.ingest(channel=channel_pb2.CHANNEL_EMAIL, email="rahul@example.com")

    contacts = crm.sql(
        "SELECT channel, value, is_primary FROM lead_contacts WHERE lead_id = %s", (response.lead_id,)
    )
    assert contacts == [("email", "rahul@example.com", True)]


def test_a_repeat_contact_adds_no_duplicate_contact_rows(crm):
    first = crm.ingest(message_text="Hello", email="rahul@example.com")
    crm.ingest(message_text="Hello again", email="rahul@example.com")

    assert crm.count("lead_contacts", "lead_id = %s", (first.lead_id,)) == 2


def test_the_inbound_message_is_stored_as_received(crm):
    response = crm.ingest(message_text="  Interested in the UI/UX course  ", source="form")

    message = crm.stub.leads.GetMessage(leads_pb.GetMessageRequest(message_id=response.message_id)).message
    assert message.direction == crm_pb.MESSAGE_DIRECTION_INBOUND
    assert message.status == crm_pb.MESSAGE_STATUS_RECEIVED
    assert message.text == "Interested in the UI/UX course"
    assert message.lead_id == response.lead_id
    assert message.channel == channel_pb2.CHANNEL_WHATSAPP_WEB


def test_first_contact_logs_company_lead_message_and_job_events(crm):
    response = crm.ingest()

    assert sorted(crm.event_types()) == sorted(
        ["company.created", "lead.created", "message.received", "job.created"]
    )
    entity_of = dict(crm.sql("SELECT type, entity_id::text FROM events"))
    assert entity_of["company.created"] == response.company_id
    assert entity_of["lead.created"] == response.lead_id
    assert entity_of["message.received"] == response.message_id
    assert entity_of["job.created"] == response.job_id


def test_a_later_message_logs_only_message_and_job_events(crm):
    first = crm.ingest(message_text="Hello")
    crm.sql("DELETE FROM events")

    crm.ingest(message_text="What is the fee?")

    assert sorted(crm.event_types("lead_id = %s", (first.lead_id,))) == ["job.created", "message.received"]


def test_a_changed_name_updates_the_lead_and_is_logged(crm):
    first = crm.ingest(contact_name="Rahul", message_text="Hello")

    crm.ingest(contact_name="Rahul Kumar", message_text="Hello, my full name is Rahul Kumar")

    assert crm.scalar("SELECT contact_name FROM leads WHERE id = %s", (first.lead_id,)) == "Rahul Kumar"
    assert "lead.updated" in crm.event_types()


def test_intake_writes_an_ai_engage_job_with_priority_100_and_its_idempotency_key(crm):
    response = crm.ingest()

    job = crm.stub.jobs.GetJob(jobs_pb.GetJobRequest(job_id=response.job_id)).job
    assert response.task_name == "ai_engage"
    assert job.task_name == "ai_engage"
    assert job.priority == 100
    assert job.status == jobs_pb.JOB_STATUS_QUEUED
    assert job.attempts == 0
    assert job.idempotency_key == f"ai_engage_{response.lead_id}_{response.message_id}"
    assert dict(job.payload) == {"lead_id": response.lead_id, "message_id": response.message_id}


def test_message_job_and_events_are_written_in_one_transaction(crm):
    # When a message is ingested
    response = crm.ingest()

    # Then the rows were created by the same PostgreSQL transaction (same xmin)
    writers = {
        crm.scalar("SELECT xmin::text FROM messages WHERE id = %s", (response.message_id,)),
        crm.scalar("SELECT xmin::text FROM jobs WHERE id = %s", (response.job_id,)),
        crm.scalar("SELECT xmin::text FROM leads WHERE id = %s", (response.lead_id,)),
        *(x for (x,) in crm.sql("SELECT DISTINCT xmin::text FROM events")),
    }
    assert len(writers) == 1


def test_a_number_delivered_by_whatsapp_needs_only_to_be_possible(crm):
    # Meta's test numbers (+1 555 ...) are not valid in the numbering plan, but WhatsApp delivered them.
    result = crm.ingest(
        phone_number="+15551234567",
        channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
        source="whatsapp_cloud_webhook",
        external_message_id="wamid.test-number",
    )

    assert crm.scalar("SELECT phone FROM leads WHERE id = %s", (result.lead_id,)) == "+15551234567"


def test_a_form_with_a_number_outside_the_numbering_plan_is_still_refused(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.ingest(phone_number="+15551234567", source="form")

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
