"""Working a lead: stages, enrolled and lost with a reason, notes, tags and contact corrections,
each an audit event, bad input refused naming the field and changing nothing."""

from __future__ import annotations

import json

import grpc
import pytest

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.errors import field_violations


def _refused(call, request) -> dict[str, str]:
    with pytest.raises(grpc.RpcError) as raised:
        call(request)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    return field_violations(raised.value)


def test_moving_a_lead_to_another_stage_records_from_to_and_why(crm):
    lead_id = crm.ingest().lead_id

    moved = crm.stub.leads.MoveLeadStage(
        leads_pb.MoveLeadStageRequest(lead_id=lead_id, stage="qualified", reason="asked for a call")
    )

    assert (moved.lead.stage, moved.changed) == ("qualified", True)
    data = crm.scalar(
        "SELECT data FROM events WHERE type = 'lead.stage_changed' AND lead_id = %s", (lead_id,)
    )
    assert (data["from"], data["to"], data["reason"]) == ("new", "qualified", "asked for a call")


def test_a_person_may_move_a_lead_back_to_an_earlier_stage(crm):
    lead_id = crm.ingest().lead_id
    crm.stub.leads.MoveLeadStage(leads_pb.MoveLeadStageRequest(lead_id=lead_id, stage="qualified"))

    moved = crm.stub.leads.MoveLeadStage(leads_pb.MoveLeadStageRequest(lead_id=lead_id, stage="contacted"))

    assert moved.lead.stage == "contacted"


def test_moving_a_lost_lead_to_a_stage_makes_it_active_again(crm):
    lead_id = crm.ingest().lead_id
    crm.stub.leads.MarkLeadLost(leads_pb.MarkLeadLostRequest(lead_id=lead_id, reason="no budget"))

    moved = crm.stub.leads.MoveLeadStage(leads_pb.MoveLeadStageRequest(lead_id=lead_id, stage="contacted"))

    assert (moved.lead.stage, moved.lead.status) == ("contacted", "active")


def test_an_unknown_stage_is_refused_and_changes_nothing(crm):
    lead_id = crm.ingest().lead_id
    before = crm.counts()

    violations = _refused(
        crm.stub.leads.MoveLeadStage, leads_pb.MoveLeadStageRequest(lead_id=lead_id, stage="vip")
    )

    assert "stage" in violations
    assert crm.counts() == before


def test_marking_a_lead_enrolled_sets_stage_and_status_and_stops_its_follow_ups(crm):
    lead_id = crm.ingest().lead_id
    followup = crm.add_job(priority=5, task_name="followup_bumpup")
    crm.sql("UPDATE jobs SET lead_id = %s WHERE id = %s", (lead_id, followup))

    enrolled = crm.stub.leads.MarkLeadEnrolled(
        leads_pb.MarkLeadEnrolledRequest(lead_id=lead_id, reason="paid the first instalment")
    )

    assert (enrolled.lead.stage, enrolled.lead.status) == ("enrolled", "enrolled")
    assert crm.scalar("SELECT status FROM jobs WHERE id = %s", (followup,)) == "cancelled"
    data = crm.scalar("SELECT data FROM events WHERE type = 'lead.enrolled' AND lead_id = %s", (lead_id,))
    assert data["reason"] == "paid the first instalment"


def test_marking_a_lead_lost_needs_a_reason(crm):
    lead_id = crm.ingest().lead_id
    before = crm.counts()

    violations = _refused(crm.stub.leads.MarkLeadLost, leads_pb.MarkLeadLostRequest(lead_id=lead_id))

    assert "reason" in violations
    assert crm.counts() == before


def test_marking_an_opted_out_lead_lost_keeps_it_opted_out(crm):
    lead_id = crm.ingest().lead_id
    crm.sql("UPDATE leads SET status = 'opted_out' WHERE id = %s", (lead_id,))

    lost = crm.stub.leads.MarkLeadLost(leads_pb.MarkLeadLostRequest(lead_id=lead_id, reason="asked to stop"))

    assert (lost.lead.stage, lost.lead.status) == ("lost", "opted_out")


def test_marking_a_lead_lost_twice_changes_nothing_the_second_time(crm):
    lead_id = crm.ingest().lead_id
    request = leads_pb.MarkLeadLostRequest(lead_id=lead_id, reason="no budget")
    crm.stub.leads.MarkLeadLost(request)

    again = crm.stub.leads.MarkLeadLost(request)

    assert again.changed is False
    assert crm.event_types("type = 'lead.lost'") == ["lead.lost"]


def test_notes_are_kept_oldest_first_with_their_author(crm):
    lead_id = crm.ingest().lead_id
    for text in ("Called, no answer", "Will visit on Saturday"):
        crm.stub.leads.AddLeadNote(
            leads_pb.AddLeadNoteRequest(lead_id=lead_id, text=text, author="asha@academy.example")
        )

    notes = crm.stub.leads.ListLeadNotes(leads_pb.ListLeadNotesRequest(lead_id=lead_id)).notes

    assert [(n.text, n.author) for n in notes] == [
        ("Called, no answer", "asha@academy.example"),
        ("Will visit on Saturday", "asha@academy.example"),
    ]
    assert crm.event_types("type = 'lead.note_added'") == ["lead.note_added"] * 2


def test_an_empty_note_is_refused(crm):
    lead_id = crm.ingest().lead_id

    assert "text" in _refused(
        crm.stub.leads.AddLeadNote, leads_pb.AddLeadNoteRequest(lead_id=lead_id, text=" ")
    )


def test_a_note_on_an_unknown_lead_is_not_found(crm):
    with pytest.raises(grpc.RpcError) as raised:
        crm.stub.leads.AddLeadNote(
            leads_pb.AddLeadNoteRequest(lead_id="00000000-0000-4000-8000-0000000000aa", text="hello")
        )

    assert raised.value.code() == grpc.StatusCode.NOT_FOUND


def test_tags_are_added_lower_cased_once_and_removed(crm):
    lead_id = crm.ingest().lead_id
    crm.stub.leads.UpdateLeadTags(
        leads_pb.UpdateLeadTagsRequest(lead_id=lead_id, add=["Scholarship", "scholarship", "weekend batch"])
    )

    updated = crm.stub.leads.UpdateLeadTags(
        leads_pb.UpdateLeadTagsRequest(lead_id=lead_id, remove=["scholarship"])
    )

    assert list(updated.lead.tags) == ["weekend batch"]
    added, removed = (
        d for (d,) in crm.sql("SELECT data FROM events WHERE type = 'lead.tags_changed' ORDER BY id")
    )
    assert (added["added"], removed["removed"]) == (["scholarship", "weekend batch"], ["scholarship"])


def test_a_tag_with_punctuation_is_refused(crm):
    lead_id = crm.ingest().lead_id

    assert "add" in _refused(
        crm.stub.leads.UpdateLeadTags, leads_pb.UpdateLeadTagsRequest(lead_id=lead_id, add=["<script>"])
    )


def test_a_corrected_phone_number_is_normalised_and_recorded(crm):
    lead_id = crm.ingest().lead_id

    corrected = crm.stub.leads.CorrectLeadContact(
        leads_pb.CorrectLeadContactRequest(
            lead_id=lead_id, phone_number="98765 11111", contact_name="Rahul K"
        )
    )

    assert (corrected.lead.phone_number, corrected.lead.contact_name) == ("+919876511111", "Rahul K")
    assert sorted(corrected.changed) == ["contact_name", "phone_number"]
    data = crm.scalar("SELECT data FROM events WHERE type = 'lead.updated' AND lead_id = %s", (lead_id,))
    assert data["changes"]["phone_number"] == {"from": "+919876543210", "to": "+919876511111"}


def test_a_corrected_email_clears_its_undeliverable_mark(crm):
    lead_id = crm.ingest(channel=channel_pb2.CHANNEL_EMAIL, email="rahul@exmaple.com").lead_id
    mark = {"undeliverable": {"email": {"address": "rahul@exmaple.com", "reason": "550 no such user"}}}
    crm.sql("UPDATE leads SET profile = profile || %s::jsonb WHERE id = %s", (json.dumps(mark), lead_id))

    corrected = crm.stub.leads.CorrectLeadContact(
        leads_pb.CorrectLeadContactRequest(lead_id=lead_id, email="rahul@example.com")
    )

    assert list(corrected.restored) == [channel_pb2.CHANNEL_EMAIL]
    assert crm.scalar("SELECT profile ? 'undeliverable' FROM leads WHERE id = %s", (lead_id,)) is False
    assert "lead.address_restored" in crm.event_types("lead_id = %s", (lead_id,))


def test_a_phone_number_of_another_lead_is_refused_and_changes_nothing(crm):
    lead_id = crm.ingest().lead_id
    crm.ingest(phone_number="+919876511111")
    before = crm.counts()

    violations = _refused(
        crm.stub.leads.CorrectLeadContact,
        leads_pb.CorrectLeadContactRequest(lead_id=lead_id, phone_number="+919876511111", contact_name="X"),
    )

    assert "phone_number" in violations
    assert crm.counts() == before
    assert crm.scalar("SELECT contact_name FROM leads WHERE id = %s", (lead_id,)) == "Rahul Kumar"


def test_an_invalid_email_and_phone_are_both_named(crm):
    lead_id = crm.ingest().lead_id

    violations = _refused(
        crm.stub.leads.CorrectLeadContact,
        leads_pb.CorrectLeadContactRequest(lead_id=lead_id, phone_number="12", email="not-an-email"),
    )

    assert {"phone_number", "email"} <= set(violations)
