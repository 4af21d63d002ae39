"""The console's overview of a company's leads over the real LeadsService: the inbox (who needs a person,
and why), the activity watermark, the dashboard's numbers, and what a lead tells about who has it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import grpc
import pytest

from shvya.crm.v1 import assignment_service_pb2 as assignment_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2

REASON = leads_pb.InboxReason


@pytest.fixture
def acme(crm, people):
    """A company with its people (owner, admin, counsellor, "victim": another counsellor) and no leads."""
    company = people.build_company(crm.sql, crm.database_url, crm.stub.users, "acme")
    crm.sql("DELETE FROM leads WHERE company_id = %s", (company.id,))
    return company


def _lead(crm, company, name: str, **overrides) -> str:
    phone = f"98{uuid.uuid4().int % 10**8:08d}"
    return crm.ingest(company_id=company.id, phone_number=phone, contact_name=name, **overrides).lead_id


def _at(crm, lead_id: str, when: datetime) -> None:
    """The lead's last message (either way) was at `when`."""
    crm.sql("UPDATE leads SET last_inbound_at = %s, last_outbound_at = NULL WHERE id = %s", (when, lead_id))


def _hot(crm, company, lead_id: str, when: datetime | None = None) -> None:
    crm.sql(
        "INSERT INTO events (company_id, lead_id, type, entity_type, entity_id, created_at) "
        "VALUES (%s, %s, 'lead.hot', 'lead', %s, %s)",
        (company.id, lead_id, lead_id, when or datetime.now(UTC)),
    )


def _question(crm, company, lead_id: str) -> None:
    crm.sql(
        "INSERT INTO unanswered_questions (id, company_id, lead_id, question) VALUES (%s, %s, %s, 'EMI?')",
        (str(uuid.uuid4()), company.id, lead_id),
    )


def _outbound(crm, company, lead_id: str, status: str, *, author: str | None = None, **times) -> str:
    message_id = str(uuid.uuid4())
    columns = {
        "id": message_id,
        "company_id": company.id,
        "lead_id": lead_id,
        "channel": "wa_web",
        "direction": "outbound",
        "status": status,
        "text": "Hello",
        "author_user_id": author,
        "created_at": datetime.now(UTC),
        **times,
    }
    crm.sql(
        f"INSERT INTO messages ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
        tuple(columns.values()),
    )
    return message_id


def _inbox(crm, company, credential=None, **request):
    metadata = [("x-shvya-credential", credential)] if credential else []
    return crm.stub.leads.ListInbox(
        leads_pb.ListInboxRequest(company_id=company.id, **request), metadata=metadata
    )


def _names(response) -> list[str]:
    return [item.lead.contact_name for item in response.items]


# -- The inbox ------------------------------------------------------------------------------


def test_the_inbox_puts_handed_off_first_then_hot_unanswered_and_failed(crm, acme):
    failed = _lead(crm, acme, "Failed")
    _outbound(crm, acme, failed, "failed")
    question = _lead(crm, acme, "Question")
    _question(crm, acme, question)
    hot = _lead(crm, acme, "Hot")
    _hot(crm, acme, hot)
    handed = _lead(crm, acme, "Handed")
    crm.sql("UPDATE leads SET status = 'handed_off' WHERE id = %s", (handed,))
    _lead(crm, acme, "Quiet")

    inbox = _inbox(crm, acme)

    assert _names(inbox) == ["Handed", "Hot", "Question", "Failed"]
    assert [list(item.reasons) for item in inbox.items] == [
        [REASON.INBOX_REASON_HANDED_OFF],
        [REASON.INBOX_REASON_HOT],
        [REASON.INBOX_REASON_UNANSWERED_QUESTION],
        [REASON.INBOX_REASON_DELIVERY_FAILED],
    ]


def test_leads_equally_urgent_come_newest_activity_first(crm, acme):
    now = datetime.now(UTC)
    for name, minutes_ago in (("Older", 30), ("Newest", 1), ("Oldest", 90)):
        lead_id = _lead(crm, acme, name)
        _hot(crm, acme, lead_id, now - timedelta(hours=3))
        _at(crm, lead_id, now - timedelta(minutes=minutes_ago))

    assert _names(_inbox(crm, acme)) == ["Newest", "Older", "Oldest"]


def test_an_item_names_every_reason_most_urgent_first_with_the_last_message(crm, acme):
    lead_id = _lead(crm, acme, "Many")
    _question(crm, acme, lead_id)
    failed = _outbound(crm, acme, lead_id, "failed")
    _hot(crm, acme, lead_id)

    (item,) = _inbox(crm, acme).items

    assert list(item.reasons) == [
        REASON.INBOX_REASON_HOT,
        REASON.INBOX_REASON_UNANSWERED_QUESTION,
        REASON.INBOX_REASON_DELIVERY_FAILED,
    ]
    assert (item.last_message.id, item.last_message.status) == (failed, crm_pb.MESSAGE_STATUS_FAILED)


def test_a_persons_reply_takes_a_hot_lead_and_its_question_out_of_the_inbox(crm, acme):
    lead_id = _lead(crm, acme, "Answered")
    _hot(crm, acme, lead_id, datetime.now(UTC) - timedelta(minutes=5))
    _question(crm, acme, lead_id)
    _outbound(
        crm,
        acme,
        lead_id,
        "sent",
        author=acme.user_ids["counsellor"],
        created_at=datetime.now(UTC) + timedelta(seconds=1),
    )

    assert _names(_inbox(crm, acme)) == []


def test_the_ais_reply_leaves_a_hot_lead_in_the_inbox(crm, acme):
    lead_id = _lead(crm, acme, "Still hot")
    _hot(crm, acme, lead_id, datetime.now(UTC) - timedelta(minutes=5))
    _outbound(crm, acme, lead_id, "sent")

    assert _names(_inbox(crm, acme)) == ["Still hot"]


def test_a_failed_message_followed_by_one_that_went_out_needs_nobody(crm, acme):
    lead_id = _lead(crm, acme, "Recovered")
    _outbound(crm, acme, lead_id, "failed", created_at=datetime.now(UTC) - timedelta(minutes=2))
    _outbound(crm, acme, lead_id, "delivered")

    assert _names(_inbox(crm, acme)) == []


def test_settled_leads_are_not_in_the_inbox(crm, acme):
    lead_id = _lead(crm, acme, "Opted out")
    _hot(crm, acme, lead_id)
    crm.sql("UPDATE leads SET status = 'opted_out' WHERE id = %s", (lead_id,))

    assert _names(_inbox(crm, acme)) == []


def test_a_counsellor_sees_their_leads_and_nobodys_but_not_another_counsellors(crm, acme):
    mine = _lead(crm, acme, "Mine")
    crm.sql("UPDATE leads SET assigned_user_id = %s WHERE id = %s", (acme.user_ids["counsellor"], mine))
    nobodys = _lead(crm, acme, "Nobody's")
    _hot(crm, acme, nobodys)
    theirs = _lead(crm, acme, "Theirs")
    _hot(crm, acme, theirs)
    crm.sql("UPDATE leads SET assigned_user_id = %s WHERE id = %s", (acme.user_ids["victim"], theirs))

    inbox = _inbox(crm, acme, acme.credentials["counsellor"])

    assert _names(inbox) == ["Nobody's", "Mine"]
    assert list(inbox.items[1].reasons) == [REASON.INBOX_REASON_ASSIGNED]


def test_a_lead_a_counsellor_took_over_is_handed_off_and_theirs(crm, acme):
    lead_id = _lead(crm, acme, "Taken")
    crm.stub.assignment.TakeOverLead(
        assignment_pb.TakeOverLeadRequest(lead_id=lead_id, user_id=acme.user_ids["counsellor"])
    )

    (item,) = _inbox(crm, acme, acme.credentials["counsellor"]).items

    assert list(item.reasons) == [REASON.INBOX_REASON_HANDED_OFF, REASON.INBOX_REASON_ASSIGNED]


def test_a_counsellor_may_not_read_another_users_inbox(crm, acme, people):
    code = people.code_of(
        lambda: _inbox(crm, acme, acme.credentials["counsellor"], assignee_user_id=acme.user_ids["victim"])
    )

    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_the_platform_may_read_a_users_inbox(crm, acme, people):
    theirs = _lead(crm, acme, "Theirs")
    crm.sql("UPDATE leads SET assigned_user_id = %s WHERE id = %s", (acme.user_ids["victim"], theirs))
    mine = _lead(crm, acme, "Counsellor's")
    crm.sql("UPDATE leads SET assigned_user_id = %s WHERE id = %s", (acme.user_ids["counsellor"], mine))

    inbox = _inbox(crm, acme, people.PLATFORM_TOKEN, assignee_user_id=acme.user_ids["victim"])

    assert _names(inbox) == ["Theirs"]


def _five_hot_and_one_handed_off(crm, acme) -> list[str]:
    """Five hot leads, newest activity first, and an older handed-off one; the hot leads' names."""
    now = datetime.now(UTC)
    names = [f"Lead {i}" for i in range(5)]
    for i, name in enumerate(names):
        lead_id = _lead(crm, acme, name)
        _hot(crm, acme, lead_id, now - timedelta(hours=1))
        _at(crm, lead_id, now - timedelta(minutes=i))
    handed = _lead(crm, acme, "Handed")
    crm.sql("UPDATE leads SET status = 'handed_off' WHERE id = %s", (handed,))
    _at(crm, handed, now - timedelta(days=1))
    return names


def test_inbox_pages_continue_after_the_last_item_without_repeats(crm, acme):
    names = _five_hot_and_one_handed_off(crm, acme)

    seen, token = [], ""
    while True:
        page = _inbox(crm, acme, page_size=2, page_token=token)
        seen += _names(page)
        token = page.next_page_token
        if not token:
            break

    assert seen == ["Handed", *names]


def test_inbox_previous_pages_walk_back_across_reasons_to_the_first(crm, acme):
    _five_hot_and_one_handed_off(crm, acme)
    pages = [_inbox(crm, acme, page_size=2)]
    while pages[-1].next_page_token:
        pages.append(_inbox(crm, acme, page_size=2, page_token=pages[-1].next_page_token))

    back, token = [], pages[-1].previous_page_token
    while token:
        page = _inbox(crm, acme, page_size=2, page_token=token)
        back.append(_names(page))
        token = page.previous_page_token

    assert [_names(p) for p in pages] == [["Handed", "Lead 0"], ["Lead 1", "Lead 2"], ["Lead 3", "Lead 4"]]
    assert pages[0].previous_page_token == ""
    assert back == [["Lead 1", "Lead 2"], ["Handed", "Lead 0"]]


def test_a_page_token_of_another_inbox_is_refused(crm, acme):
    for name in ("A", "B"):
        _hot(crm, acme, _lead(crm, acme, name))
    token = _inbox(crm, acme, page_size=1).next_page_token

    with pytest.raises(grpc.RpcError) as raised:
        _inbox(crm, acme, page_size=1, page_token=token, assignee_user_id=acme.user_ids["victim"])

    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT


# -- Who may call ---------------------------------------------------------------------------

OVERVIEW_CALLS = {
    "ListInbox": lambda crm, company_id, md: crm.stub.leads.ListInbox(
        leads_pb.ListInboxRequest(company_id=company_id), metadata=md
    ),
    "GetActivity": lambda crm, company_id, md: crm.stub.leads.GetActivity(
        leads_pb.GetActivityRequest(company_id=company_id), metadata=md
    ),
    "GetLeadStats": lambda crm, company_id, md: crm.stub.leads.GetLeadStats(
        leads_pb.GetLeadStatsRequest(company_id=company_id), metadata=md
    ),
}


@pytest.mark.parametrize("rpc", sorted(OVERVIEW_CALLS))
def test_a_counsellor_of_another_company_is_refused(crm, acme, people, rpc):
    other = people.build_company(crm.sql, crm.database_url, crm.stub.users, "other")
    md = people.as_(other.credentials["counsellor"])

    assert people.code_of(lambda: OVERVIEW_CALLS[rpc](crm, acme.id, md)) == grpc.StatusCode.PERMISSION_DENIED


@pytest.mark.parametrize("rpc", sorted(OVERVIEW_CALLS))
def test_a_counsellor_of_the_company_is_served(crm, acme, people, rpc):
    md = people.as_(acme.credentials["counsellor"])

    assert people.code_of(lambda: OVERVIEW_CALLS[rpc](crm, acme.id, md)) == grpc.StatusCode.OK


# -- What a lead tells about who has it ----------------------------------------------------------


def test_a_taken_over_lead_names_its_person_and_since_when(crm, acme):
    lead_id = _lead(crm, acme, "Taken")
    before = datetime.now(UTC) - timedelta(seconds=1)
    crm.stub.assignment.TakeOverLead(
        assignment_pb.TakeOverLeadRequest(lead_id=lead_id, user_id=acme.user_ids["counsellor"])
    )

    lead = crm.stub.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id)).lead

    assert lead.human_user_id == acme.user_ids["counsellor"]
    assert lead.taken_over_at.ToDatetime(tzinfo=UTC) >= before


def test_a_lead_handed_back_to_the_ai_names_no_person(crm, acme):
    lead_id = _lead(crm, acme, "Back")
    crm.stub.assignment.TakeOverLead(
        assignment_pb.TakeOverLeadRequest(lead_id=lead_id, user_id=acme.user_ids["counsellor"])
    )
    crm.stub.assignment.HandBackLead(assignment_pb.HandBackLeadRequest(lead_id=lead_id))

    lead = crm.stub.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id)).lead

    assert (lead.human_user_id, lead.HasField("taken_over_at")) == ("", False)
    assert lead.assigned_user_id == acme.user_ids["counsellor"]


def test_a_lead_that_wrote_on_whatsapp_tells_when_the_24_hour_window_closes(crm, acme):
    lead_id = _lead(crm, acme, "Writer", source="whatsapp_web")
    wrote = crm.scalar("SELECT max(created_at) FROM messages WHERE lead_id = %s", (lead_id,))

    lead = crm.stub.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id)).lead

    assert lead.whatsapp_window_ends_at.ToDatetime(tzinfo=UTC) == wrote + timedelta(hours=24)


def test_a_whatsapp_lead_that_only_filled_a_form_has_no_window(crm, acme):
    lead_id = _lead(crm, acme, "Form filler", source="form")

    lead = crm.stub.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id)).lead

    assert not lead.HasField("whatsapp_window_ends_at")


# -- The activity watermark --------------------------------------------------------------------


def _watermark(crm, company) -> str:
    return crm.stub.leads.GetActivity(leads_pb.GetActivityRequest(company_id=company.id)).watermark


def test_the_watermark_stays_the_same_while_nothing_happens(crm, acme):
    _lead(crm, acme, "Someone")

    assert _watermark(crm, acme) == _watermark(crm, acme) != ""


def test_the_watermark_changes_when_a_message_arrives(crm, acme):
    lead_id = _lead(crm, acme, "Writer")
    phone = crm.scalar("SELECT phone FROM leads WHERE id = %s", (lead_id,))
    before = _watermark(crm, acme)

    crm.ingest(company_id=acme.id, phone_number=phone, message_text="What is the fee?")

    assert _watermark(crm, acme) != before


def test_the_watermark_changes_when_a_delivery_status_changes(crm, acme):
    lead_id = _lead(crm, acme, "Reader")
    _outbound(crm, acme, lead_id, "sent", external_id="wamid.1", channel="wa_cloud")
    before = _watermark(crm, acme)

    crm.stub.leads.ApplyDeliveryStatus(
        leads_pb.ApplyDeliveryStatusRequest(
            channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
            external_id="wamid.1",
            status=crm_pb.MESSAGE_STATUS_DELIVERED,
        )
    )

    assert _watermark(crm, acme) != before


def test_the_watermark_changes_when_a_lead_moves_stage(crm, acme):
    lead_id = _lead(crm, acme, "Mover")
    before = _watermark(crm, acme)

    crm.stub.leads.MoveLeadStage(leads_pb.MoveLeadStageRequest(lead_id=lead_id, stage="qualified"))

    assert _watermark(crm, acme) != before


def test_the_watermark_changes_when_an_earlier_transaction_commits_late(crm, acme):
    _lead(crm, acme, "Someone")
    _lead(crm, acme, "Someone else")
    # An event whose id was taken before the newest one's, committed after it was seen.
    late = crm.scalar(
        "SELECT id FROM events WHERE company_id = %s AND entity_type <> 'job' ORDER BY id DESC OFFSET 2 LIMIT 1",
        (acme.id,),
    )
    row = crm.sql(
        "DELETE FROM events WHERE id = %s RETURNING id, company_id, lead_id, type, entity_type, entity_id",
        (late,),
    )[0]
    before = _watermark(crm, acme)

    crm.sql(
        "INSERT INTO events (id, company_id, lead_id, type, entity_type, entity_id) VALUES (%s, %s, %s, %s, %s, %s)",
        row,
    )

    assert _watermark(crm, acme) != before


# -- The dashboard -------------------------------------------------------------------------------


def _stats(crm, company) -> leads_pb.GetLeadStatsResponse:
    return crm.stub.leads.GetLeadStats(leads_pb.GetLeadStatsRequest(company_id=company.id))


def test_leads_today_and_this_week_are_counted_from_midnight_in_the_companys_time_zone(crm, acme):
    # Fourteen hours ahead of UTC: the company's day starts ten hours before UTC's.
    zone = ZoneInfo("Pacific/Kiritimati")
    crm.sql("UPDATE companies SET timezone = %s WHERE id = %s", (zone.key, acme.id))
    today = datetime.now(zone).date()
    midnight = datetime(today.year, today.month, today.day, tzinfo=zone)
    monday = midnight - timedelta(days=today.weekday())
    created = {
        "now": datetime.now(UTC),
        "before midnight": midnight - timedelta(minutes=1),
        "after monday": monday + timedelta(minutes=1),
        "before monday": monday - timedelta(minutes=1),
    }
    for name, when in created.items():
        crm.sql("UPDATE leads SET created_at = %s WHERE id = %s", (when, _lead(crm, acme, name)))

    stats = _stats(crm, acme)

    is_monday = today.weekday() == 0
    assert stats.timezone == "Pacific/Kiritimati"
    assert stats.leads_today == (2 if is_monday else 1)
    assert stats.leads_this_week == (2 if is_monday else 3)
    assert stats.total == 4


def _reply(crm, lead_id: str, key: str) -> str:
    """A reply to the lead on its channel, reserved now; returns the message's id."""
    return crm.stub.conversations.ReserveOutboundMessage(
        conversations_pb.ReserveOutboundMessageRequest(
            lead_id=lead_id, channel=channel_pb2.CHANNEL_WHATSAPP_WEB, text="Hello", idempotency_key=key
        )
    ).message.id


def _mark_sent(crm, message_id: str) -> None:
    crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=message_id, external_id=f"wa.{message_id}")
    )


def test_time_to_first_reply_is_from_the_first_inbound_to_the_first_reply_sent(crm, acme):
    for i, wait in enumerate((10, 20, 30, 40, 100)):
        lead_id = _lead(crm, acme, f"Lead {i}")
        # The lead wrote `wait` seconds ago (its creation a minute before that does not count).
        wrote = datetime.now(UTC) - timedelta(seconds=wait)
        crm.sql("UPDATE leads SET created_at = %s WHERE id = %s", (wrote - timedelta(minutes=1), lead_id))
        crm.sql("UPDATE messages SET created_at = %s WHERE lead_id = %s", (wrote, lead_id))
        _mark_sent(crm, _reply(crm, lead_id, f"first-{i}"))
        # A later reply does not count.
        _mark_sent(crm, _reply(crm, lead_id, f"second-{i}"))
    unanswered = _lead(crm, acme, "Unanswered")
    crm.stub.conversations.MarkMessageFailed(
        conversations_pb.MarkMessageFailedRequest(message_id=_reply(crm, unanswered, "f"), error_message="no")
    )
    old = _lead(crm, acme, "Last month")
    crm.sql("UPDATE leads SET created_at = now() - interval '30 days' WHERE id = %s", (old,))
    _mark_sent(crm, _reply(crm, old, "old"))

    stats = _stats(crm, acme)

    assert stats.first_reply_samples == 5
    assert stats.first_reply_p50_seconds == pytest.approx(30, abs=2)
    assert stats.first_reply_p90_seconds == pytest.approx(76, abs=2)  # 40 + 0.6 * (100 - 40)


def test_a_reply_prepared_before_the_lead_wrote_is_not_its_first_reply(crm, acme):
    lead_id = _lead(crm, acme, "Wrote later")
    early = _reply(crm, lead_id, "prepared")
    # The student's message (and so the conversation) comes after that reply was prepared.
    crm.sql(
        "UPDATE messages SET created_at = now() + interval '1 minute' WHERE lead_id = %s AND direction = 'inbound'",
        (lead_id,),
    )
    _mark_sent(crm, early)

    assert crm.scalar("SELECT first_reply_seconds FROM leads WHERE id = %s", (lead_id,)) is None


def test_without_replies_the_percentiles_are_unset(crm, acme):
    _lead(crm, acme, "Waiting")

    stats = _stats(crm, acme)

    assert (stats.first_reply_samples, stats.HasField("first_reply_p50_seconds")) == (0, False)


def test_leads_are_counted_by_stage_in_pipeline_order_by_course_and_by_channel(crm, acme):
    for name, course in (("A", "Data Science"), ("B", "Data Science"), ("C", "")):
        _lead(crm, acme, name, course=course)
    email = _lead(crm, acme, "D", channel=channel_pb2.CHANNEL_EMAIL, email="d@example.com")
    crm.stub.leads.MoveLeadStage(leads_pb.MoveLeadStageRequest(lead_id=email, stage="qualified"))

    stats = _stats(crm, acme)

    assert [(s.stage, s.count) for s in stats.by_stage] == [
        ("new", 3),
        ("contacted", 0),
        ("qualified", 1),
        ("enrolled", 0),
        ("lost", 0),
    ]
    assert [(c.course, c.count) for c in stats.by_course] == [("", 2), ("Data Science", 2)]
    assert [(c.channel, c.count) for c in stats.by_channel] == [
        (channel_pb2.CHANNEL_WHATSAPP_WEB, 3),
        (channel_pb2.CHANNEL_EMAIL, 1),
    ]


def test_the_dashboards_numbers_are_kept_for_a_while_then_worked_out_again(crm, acme):
    _lead(crm, acme, "First")
    first = _stats(crm, acme)
    _lead(crm, acme, "Second")

    again = _stats(crm, acme)
    crm.sql(
        "UPDATE reports_cache SET expires_at = now() - interval '1 second' WHERE company_id = %s", (acme.id,)
    )
    later = _stats(crm, acme)

    assert (first.total, again.total, later.total) == (1, 1, 2)
    assert again.computed_at == first.computed_at
    assert later.computed_at.ToDatetime() > first.computed_at.ToDatetime()
