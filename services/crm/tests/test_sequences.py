"""Sequences over gRPC: steps numbered and validated, enrolment once per lead with its first step
scheduled, stopping and deleting cancel what is pending."""

from __future__ import annotations

import uuid

import grpc
import pytest

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.errors import field_violations

EMAIL = channel_pb2.CHANNEL_EMAIL
DAY = 86400


def template(crm, company_id: str, name: str = "welcome") -> str:
    return crm.stub.outreach.UpsertTemplate(
        outreach_pb.UpsertTemplateRequest(
            template=outreach_pb.Template(
                company_id=company_id, name=name, channel=EMAIL, subject="Hi", body="Hi {first_name}"
            )
        )
    ).template.id


def sequence(
    crm, company_id: str, steps: list[outreach_pb.SequenceStep], **fields
) -> outreach_pb.UpsertSequenceResponse:
    return crm.stub.outreach.UpsertSequence(
        outreach_pb.UpsertSequenceRequest(
            sequence=outreach_pb.Sequence(
                company_id=company_id, name="Nurture", active=True, steps=steps, **fields
            )
        )
    )


def two_steps(crm, company_id: str) -> list[outreach_pb.SequenceStep]:
    tid = template(crm, company_id)
    return [
        outreach_pb.SequenceStep(channel=EMAIL, template_id=tid, delay_seconds=3600),
        outreach_pb.SequenceStep(
            channel=EMAIL, template_id=tid, delay_seconds=DAY, stop_conditions=["replied"]
        ),
    ]


def step_jobs(crm) -> list[tuple[str, str, str]]:
    return crm.sql(
        "SELECT task_name, status, payload->>'position' FROM jobs WHERE task_name IN "
        "('sequence_step', 'email_sequence') ORDER BY created_at"
    )


def test_steps_are_numbered_in_order_and_replaced_as_a_whole(crm):
    company_id = crm.ingest().company_id
    created = sequence(crm, company_id, two_steps(crm, company_id))
    assert created.created
    assert [(s.position, s.delay_seconds) for s in created.sequence.steps] == [(1, 3600), (2, DAY)]
    replaced = crm.stub.outreach.UpsertSequence(
        outreach_pb.UpsertSequenceRequest(
            sequence=outreach_pb.Sequence(
                id=created.sequence.id,
                company_id=company_id,
                name="Nurture v2",
                active=True,
                steps=[created.sequence.steps[1]],
            )
        )
    )
    assert not replaced.created
    assert [(s.position, s.delay_seconds) for s in replaced.sequence.steps] == [(1, DAY)]
    assert crm.count("sequence_steps") == 1


def test_enrolling_schedules_the_first_step_once_on_the_crms_clock(crm):
    lead = crm.ingest(channel=EMAIL, email="asha@example.com")
    seq = sequence(crm, lead.company_id, two_steps(crm, lead.company_id)).sequence
    first = crm.stub.outreach.EnrolLead(
        outreach_pb.EnrolLeadRequest(lead_id=lead.lead_id, sequence_id=seq.id)
    )
    again = crm.stub.outreach.EnrolLead(
        outreach_pb.EnrolLeadRequest(lead_id=lead.lead_id, sequence_id=seq.id)
    )
    assert (first.created, again.created) == (True, False)
    assert first.enrolment.id == again.enrolment.id
    assert (first.enrolment.status, first.enrolment.next_position, first.enrolment.source) == (
        "active",
        1,
        "api",
    )
    assert step_jobs(crm) == [("email_sequence", "queued", "1")]
    [(delay,)] = crm.sql(
        "SELECT extract(epoch FROM j.run_at - e.created_at) FROM jobs j, sequence_enrolments e "
        "WHERE j.task_name = 'email_sequence'"
    )
    assert delay == 3600


def test_whatsapp_steps_run_as_sequence_step_and_email_steps_as_email_sequence(crm):
    lead = crm.ingest(channel=EMAIL, email="asha@example.com")
    tid = template(crm, lead.company_id)
    seq = sequence(
        crm,
        lead.company_id,
        [outreach_pb.SequenceStep(channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD, template_id=tid)],
    ).sequence
    crm.stub.outreach.EnrolLead(outreach_pb.EnrolLeadRequest(lead_id=lead.lead_id, sequence_id=seq.id))
    assert step_jobs(crm) == [("sequence_step", "queued", "1")]


def test_stopping_an_enrolment_cancels_its_pending_step(crm):
    lead = crm.ingest(channel=EMAIL, email="asha@example.com")
    seq = sequence(crm, lead.company_id, two_steps(crm, lead.company_id)).sequence
    enrolment = crm.stub.outreach.EnrolLead(
        outreach_pb.EnrolLeadRequest(lead_id=lead.lead_id, sequence_id=seq.id)
    ).enrolment
    stopped = crm.stub.outreach.StopEnrolment(
        outreach_pb.StopEnrolmentRequest(enrolment_id=enrolment.id)
    ).enrolment
    assert (stopped.status, stopped.stop_reason) == ("stopped", "stopped through the API")
    assert step_jobs(crm) == [("email_sequence", "cancelled", "1")]


def test_an_opt_out_stops_every_enrolment_of_the_lead(crm):
    lead = crm.ingest(channel=EMAIL, email="asha@example.com")
    seq = sequence(crm, lead.company_id, two_steps(crm, lead.company_id)).sequence
    crm.stub.outreach.EnrolLead(outreach_pb.EnrolLeadRequest(lead_id=lead.lead_id, sequence_id=seq.id))
    crm.ingest(channel=EMAIL, email="asha@example.com", message_text="unsubscribe")
    [enrolment] = crm.stub.outreach.ListEnrolments(
        outreach_pb.ListEnrolmentsRequest(lead_id=lead.lead_id)
    ).enrolments
    assert (enrolment.status, enrolment.stop_reason) == ("stopped", "the lead opted out")
    assert step_jobs(crm) == [("email_sequence", "cancelled", "1")]


def test_deleting_a_sequence_cancels_what_its_enrolments_had_pending(crm):
    lead = crm.ingest(channel=EMAIL, email="asha@example.com")
    seq = sequence(crm, lead.company_id, two_steps(crm, lead.company_id)).sequence
    crm.stub.outreach.EnrolLead(outreach_pb.EnrolLeadRequest(lead_id=lead.lead_id, sequence_id=seq.id))
    crm.stub.outreach.DeleteSequence(outreach_pb.DeleteSequenceRequest(sequence_id=seq.id))
    assert step_jobs(crm) == [("email_sequence", "cancelled", "1")]
    assert crm.count("sequence_enrolments") == 0
    with pytest.raises(grpc.RpcError) as missing:
        crm.stub.outreach.GetSequence(outreach_pb.GetSequenceRequest(sequence_id=seq.id))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND


def test_a_lead_of_another_company_cannot_be_enrolled(crm):
    lead = crm.ingest()
    other = str(uuid.uuid4())
    crm.ingest(company_id=other, phone_number="9876500009")
    seq = sequence(crm, other, two_steps(crm, other)).sequence
    with pytest.raises(grpc.RpcError) as refused:
        crm.stub.outreach.EnrolLead(outreach_pb.EnrolLeadRequest(lead_id=lead.lead_id, sequence_id=seq.id))
    assert set(field_violations(refused.value)) == {"sequence_id"}
    assert crm.count("sequence_enrolments") == 0


def test_every_invalid_step_is_named_and_nothing_is_written(crm):
    company_id = crm.ingest().company_id
    tid = template(crm, company_id)
    with pytest.raises(grpc.RpcError) as refused:
        sequence(
            crm,
            company_id,
            [
                outreach_pb.SequenceStep(template_id=tid),
                outreach_pb.SequenceStep(channel=EMAIL, template_id=tid, delay_seconds=-1),
                outreach_pb.SequenceStep(channel=EMAIL, template_id=tid, stop_conditions=["clicked"]),
                outreach_pb.SequenceStep(channel=EMAIL),
            ],
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(refused.value)) == {
        "sequence.steps.0.channel",
        "sequence.steps.1.delay_seconds",
        "sequence.steps.2.stop_conditions",
        "sequence.steps.3.template_id",
    }
    assert crm.count("sequences") == 0
