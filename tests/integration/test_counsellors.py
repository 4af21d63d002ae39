"""Counsellors in the loop through the mesh: a hand-off is assigned round robin and its counsellor
emailed, their reply reaches the student once on the lead's channel, the AI stays silent while they
have the lead and answers again once it is handed back, and a counsellor who does not reply in time
loses the lead to the next one."""

from __future__ import annotations

import uuid

import grpc
import pytest

from shvya.conductor.v1 import conductor_service_pb2 as conductor_pb
from shvya.crm.v1 import assignment_service_pb2 as assignment_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_rpc.errors import field_violations

COMPANY = str(DEFAULT_COMPANY_ID)
CALL_ME = "Please call me, I want to discuss the UI/UX course"


class Student:
    """One student writing to the demo academy by email."""

    def __init__(self, mesh) -> None:
        self.mesh = mesh
        suffix = uuid.uuid4().int % 10**8
        self.phone = f"+9195{suffix:08d}"
        self.email = f"student.{suffix}@example.com"
        self.id = ""

    def says(self, text: str, course: str = "") -> leads_pb.IngestInboundMessageResponse:
        said = self.mesh.crm.leads.IngestInboundMessage(
            leads_pb.IngestInboundMessageRequest(
                phone_number=self.phone,
                contact_name="Meera Nair",
                message_text=text,
                channel=channel_pb2.CHANNEL_EMAIL,
                email=self.email,
                course=course,
            )
        )
        self.id = said.lead_id
        self.mesh.conductor.DispatchJobs(conductor_pb.DispatchJobsRequest(job_ids=[said.job_id]))
        self.mesh.wait_for_job(said.job_id, "completed")
        return said

    def emails(self) -> list:
        return [m for m in self.mesh.smtp.messages if self.email in m.rcpt_tos]

    def lead(self) -> crm_pb.Lead:
        return self.mesh.crm.leads.GetLead(leads_pb.GetLeadRequest(lead_id=self.id)).lead

    def events(self, type_: str) -> list[dict]:
        rows = self.mesh.sql(
            "SELECT data FROM events WHERE lead_id = %s AND type = %s ORDER BY id", (self.id, type_)
        )
        return [data for (data,) in rows]


def inbox(mesh, user_id: str) -> list:
    [(email,)] = mesh.sql("SELECT email FROM users WHERE id = %s", (user_id,))
    return [m for m in mesh.smtp.messages if email in m.rcpt_tos]


def wait_for_inbox(mesh, user_id: str, count: int) -> list:
    mesh.wait_until(lambda: len(inbox(mesh, user_id)) >= count, what=f"{count} emails to {user_id}")
    return inbox(mesh, user_id)


def reply(
    mesh, student: Student, text: str, key: str, author: str = ""
) -> assignment_pb.SendHumanReplyResponse:
    return mesh.crm.assignment.SendHumanReply(
        assignment_pb.SendHumanReplyRequest(
            lead_id=student.id, text=text, idempotency_key=key, author_user_id=author
        )
    )


def quiet_moment(mesh) -> None:
    """Long enough for a send nobody should make to have been made."""
    mesh.smtp.wait_for(len(mesh.smtp.messages) + 1, timeout=1.5)


def set_reassign_after(mesh, minutes: int, rules=()) -> None:
    mesh.crm.assignment.UpdateAssignmentSettings(
        assignment_pb.UpdateAssignmentSettingsRequest(
            settings=assignment_pb.AssignmentSettings(
                company_id=COMPANY, reassign_after_minutes=minutes, rules=list(rules)
            )
        )
    )


def test_a_hand_off_is_assigned_the_counsellor_replies_once_and_the_ai_waits_until_handed_back(mesh):
    # Given two counsellors, and a student whose call request hands the lead off
    first, second = mesh.add_counsellors("Asha", "Bilal")
    student = Student(mesh)
    student.says(CALL_ME)
    assert student.lead().status == "handed_off"

    # Then the lead is assigned to the first counsellor in turn, who is emailed about it
    assert student.lead().assigned_user_id == first
    [assigned] = student.events("lead.assigned")
    assert (assigned["user_id"], assigned["reason"]) == (first, "hand_off")
    [notice] = wait_for_inbox(mesh, first, 1)
    assert notice.message["Subject"] == "New lead for you: Meera Nair"
    assert f"/leads/{student.id}/messages" in notice.text
    assert inbox(mesh, second) == []

    # When the counsellor replies, and the request is repeated with the same key
    sent = reply(mesh, student, "Hi Meera, this is Asha. When can I call you?", "asha-1", author=first)
    again = reply(mesh, student, "Hi Meera, this is Asha. When can I call you?", "asha-1", author=first)

    # Then the student receives it by email exactly once, recorded with its author
    assert (sent.created, again.created, again.message.id) == (True, False, sent.message.id)
    mesh.wait_for_job(sent.job_id, "completed")
    quiet_moment(mesh)
    from_asha = [m for m in student.emails() if "this is Asha" in m.text]
    assert len(from_asha) == 1
    [(status, author, source)] = mesh.sql(
        "SELECT status, author_user_id::text, source FROM messages WHERE id = %s", (sent.message.id,)
    )
    assert (status, author, source) == ("sent", first, "counsellor")

    # When the student writes again while the counsellor has the lead
    before = len(student.emails())
    student.says("Tomorrow at 5 works. Also, what is the fee?")

    # Then the AI stays silent and the counsellor is told instead
    quiet_moment(mesh)
    assert len(student.emails()) == before
    wrote = wait_for_inbox(mesh, first, 2)[-1]
    assert wrote.message["Subject"] == "Meera Nair wrote again"
    assert "Tomorrow at 5 works" in wrote.text

    # When the counsellor hands the lead back and the student writes again
    handed_back = mesh.crm.assignment.HandBackLead(assignment_pb.HandBackLeadRequest(lead_id=student.id))
    assert handed_back.lead.status == "active"
    after = student.says("What is the fee for the UI/UX course?")

    # Then the AI answers again: the new message only, not what the counsellor had
    mesh.wait_until(lambda: len(student.emails()) == before + 1, what="the AI's answer")
    assert student.events("lead.handed_back")
    [(answered,)] = mesh.sql(
        "SELECT answered_message_ids FROM ai_sessions WHERE lead_id = %s AND kind = 'reply' "
        "ORDER BY created_at DESC LIMIT 1",
        (student.id,),
    )
    assert answered == [after.message_id]


def test_hand_offs_go_round_robin_among_the_counsellors(mesh):
    names = mesh.add_counsellors("Asha", "Bilal", "Chitra")
    assigned = []
    for _ in range(4):
        student = Student(mesh)
        student.says(CALL_ME)
        assigned.append(student.lead().assigned_user_id)
    assert assigned == [*names, names[0]]


def test_an_unavailable_counsellor_is_skipped(mesh):
    away, present = mesh.add_counsellors("Asha", "Bilal")
    mesh.crm.assignment.UpdateUserAvailability(
        assignment_pb.UpdateUserAvailabilityRequest(user_id=away, available=False)
    )
    student = Student(mesh)
    student.says(CALL_ME)
    assert student.lead().assigned_user_id == present


def test_a_course_rule_sends_the_lead_to_its_team(mesh):
    _, design = mesh.add_counsellors("Asha", "Bilal")
    set_reassign_after(mesh, 30, [assignment_pb.AssignmentRule(course="UI/UX Design", user_ids=[design])])
    student = Student(mesh)
    student.says(CALL_ME, course="ui/ux design")
    assert student.lead().assigned_user_id == design


def test_a_rule_whose_team_is_away_falls_back_to_the_round_robin(mesh):
    anyone, design = mesh.add_counsellors("Asha", "Bilal")
    set_reassign_after(mesh, 30, [assignment_pb.AssignmentRule(course="UI/UX Design", user_ids=[design])])
    mesh.crm.assignment.UpdateUserAvailability(
        assignment_pb.UpdateUserAvailabilityRequest(user_id=design, available=False)
    )
    student = Student(mesh)
    student.says(CALL_ME, course="UI/UX Design")
    assert student.lead().assigned_user_id == anyone


def test_a_counsellor_who_does_not_reply_in_time_loses_the_lead_to_the_next(mesh):
    # Given leads are reassigned after 5 minutes without a reply
    first, second = mesh.add_counsellors("Asha", "Bilal")
    set_reassign_after(mesh, 5)
    student = Student(mesh)
    student.says(CALL_ME)
    assert student.lead().assigned_user_id == first
    [(timer_id,)] = mesh.sql(
        "SELECT id::text FROM jobs WHERE lead_id = %s AND task_name = 'reassign_lead'", (student.id,)
    )

    # When five minutes pass without a word from the counsellor
    mesh.advance(5 * 60 + 1)
    mesh.wait_for_job(timer_id, "completed")

    # Then the next counsellor has the lead, and is emailed about it
    assert student.lead().assigned_user_id == second
    reassigned = student.events("lead.assigned")[-1]
    assert (reassigned["previous_user_id"], reassigned["reason"]) == (first, "no_reply")
    [notice] = wait_for_inbox(mesh, second, 1)
    assert "did not reply in time" in notice.text


def test_a_reply_in_time_stops_the_reassignment_timer(mesh):
    first, _ = mesh.add_counsellors("Asha", "Bilal")
    set_reassign_after(mesh, 5)
    student = Student(mesh)
    student.says(CALL_ME)
    sent = reply(mesh, student, "Hi Meera, Asha here.", "asha-in-time", author=first)
    mesh.wait_for_job(sent.job_id, "completed")

    mesh.advance(5 * 60 + 1)
    quiet_moment(mesh)

    assert student.lead().assigned_user_id == first
    assert mesh.sql(
        "SELECT status FROM jobs WHERE lead_id = %s AND task_name = 'reassign_lead'", (student.id,)
    ) == [("cancelled",)]


def test_taking_over_an_active_lead_silences_the_ai(mesh):
    [taker] = mesh.add_counsellors("Asha")
    student = Student(mesh)
    student.says("What is the fee for the data science course?")
    answered = len(student.emails())

    taken = mesh.crm.assignment.TakeOverLead(
        assignment_pb.TakeOverLeadRequest(lead_id=student.id, user_id=taker)
    )
    student.says("And is there a weekend batch?")

    assert (taken.lead.status, taken.lead.assigned_user_id) == ("handed_off", taker)
    quiet_moment(mesh)
    assert len(student.emails()) == answered
    assert student.events("lead.taken_over")[0]["user_id"] == taker


def test_a_reply_through_the_api_takes_the_lead_from_the_ai(mesh):
    [author] = mesh.add_counsellors("Ravi")
    student = Student(mesh)
    student.says("What is the fee for the data science course?")
    reply(mesh, student, "Hi Meera, Ravi here: I can help with the fee.", "ravi-1", author)
    mesh.smtp.wait_for(len(mesh.smtp.messages) + 1)
    answered = len(student.emails())

    student.says("Thanks! Is there a weekend batch?")

    assert (student.lead().status, student.lead().human_user_id) == ("handed_off", author)
    quiet_moment(mesh)
    assert len(student.emails()) == answered  # the AI did not answer beside Ravi
    assert student.events("lead.taken_over")[0]["user_id"] == author


def test_a_repeated_reply_does_not_take_back_a_lead_handed_back_since(mesh):
    [author] = mesh.add_counsellors("Nisha")
    student = Student(mesh)
    student.says("Hello")
    reply(mesh, student, "Hi, Nisha here.", "nisha-1", author)
    mesh.crm.assignment.HandBackLead(assignment_pb.HandBackLeadRequest(lead_id=student.id))

    again = reply(mesh, student, "Hi, Nisha here.", "nisha-1", author)

    assert again.created is False
    assert student.lead().status == "active"
    assert len(student.events("lead.taken_over")) == 1


def test_a_reply_to_a_lead_who_opted_out_is_refused_and_nothing_is_queued(mesh):
    student = Student(mesh)
    student.says("STOP")

    with pytest.raises(grpc.RpcError) as refused:
        reply(mesh, student, "Hi, just checking in", "after-stop")

    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "opted out" in refused.value.details()
    assert mesh.sql(
        "SELECT count(*) FROM messages WHERE lead_id = %s AND source = 'counsellor'", (student.id,)
    ) == [(0,)]


def test_a_reply_with_neither_text_nor_template_names_the_field(mesh):
    student = Student(mesh)
    student.says("Hello")

    with pytest.raises(grpc.RpcError) as refused:
        reply(mesh, student, "   ", "blank")

    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "text" in field_violations(refused.value)


def _cloud_student(mesh) -> leads_pb.IngestInboundMessageResponse:
    """A student who wrote on WhatsApp (the Cloud API): the 24-hour window is open."""
    said = mesh.crm.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            phone_number=f"+9193{uuid.uuid4().int % 10**8:08d}",
            contact_name="Arjun Mehta",
            message_text="Please call me about the data science course",
            channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
            source="whatsapp_cloud_webhook",
            external_message_id=f"wamid.{uuid.uuid4().hex}",
        )
    )
    mesh.wait_for_job(said.job_id, "completed")
    return said


def _sent_to_graph(mesh, count: int) -> list:
    mesh.wait_until(lambda: len(mesh.graph.sends()) >= count, what=f"{count} sends to the Graph API")
    return mesh.graph.sends()


def test_on_whatsapp_a_reply_inside_the_window_is_text_and_outside_it_needs_a_template(mesh):
    # Given a WhatsApp student handed off to a counsellor, and the company's approved template
    mesh.crm.outreach.UpsertTemplate(
        outreach_pb.UpsertTemplateRequest(
            template=outreach_pb.Template(
                company_id=COMPANY,
                name="counsellor_update",
                channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
                language="en",
                body="Hi {first_name}, your counsellor has an update for you. Reply to continue.",
                variables=["first_name"],
            )
        )
    )
    said = _cloud_student(mesh)
    sends = len(_sent_to_graph(mesh, 1))

    # When the counsellor replies while the window is open: plain text goes
    inside = mesh.crm.assignment.SendHumanReply(
        assignment_pb.SendHumanReplyRequest(
            lead_id=said.lead_id, text="Arjun, Asha here!", idempotency_key="wa-1"
        )
    )
    mesh.wait_for_job(inside.job_id, "completed")
    text = _sent_to_graph(mesh, sends + 1)[-1].body
    assert (text["type"], text["text"]["body"]) == ("text", "Arjun, Asha here!")

    # When a day passes, free text is refused naming the template, and the template goes instead
    mesh.advance(25 * 3600)
    with pytest.raises(grpc.RpcError) as refused:
        mesh.crm.assignment.SendHumanReply(
            assignment_pb.SendHumanReplyRequest(
                lead_id=said.lead_id, text="Still there?", idempotency_key="wa-2"
            )
        )
    assert "template_name" in field_violations(refused.value)
    outside = mesh.crm.assignment.SendHumanReply(
        assignment_pb.SendHumanReplyRequest(
            lead_id=said.lead_id,
            template_name="counsellor_update",
            template_parameters=["Arjun"],
            idempotency_key="wa-3",
        )
    )
    mesh.wait_for_job(outside.job_id, "completed")
    template = _sent_to_graph(mesh, sends + 2)[-1].body
    assert (template["type"], template["template"]["name"]) == ("template", "counsellor_update")
    assert outside.message.text == "Hi Arjun, your counsellor has an update for you. Reply to continue."
    assert len(mesh.graph.sends()) == sends + 2
