"""Finding leads: filters, text search over leads and their messages, sorts, page tokens, counts,
recent conversations."""

from __future__ import annotations

import grpc
import pytest

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_rpc.errors import field_violations


def _lead(crm, n: int, **overrides) -> str:
    fields = {"phone_number": f"+9198765{n:05d}", "contact_name": f"Student {n}", **overrides}
    return crm.ingest(**fields).lead_id


def _list(crm, **filter_fields) -> list[str]:
    response = crm.stub.leads.ListLeads(
        leads_pb.ListLeadsRequest(filter=leads_pb.LeadFilter(**filter_fields), page_size=200)
    )
    return [lead.id for lead in response.leads]


def test_leads_are_listed_newest_first(crm):
    ids = [_lead(crm, n) for n in range(3)]

    assert _list(crm) == list(reversed(ids))


def test_the_status_filter_keeps_only_leads_with_those_statuses(crm):
    active, lost = _lead(crm, 1), _lead(crm, 2)
    crm.stub.leads.MarkLeadLost(leads_pb.MarkLeadLostRequest(lead_id=lost, reason="chose another institute"))

    assert _list(crm, statuses=["lost"]) == [lost]
    assert _list(crm, statuses=["active"]) == [active]


def test_the_stage_filter_keeps_only_leads_at_those_stages(crm):
    new, qualified = _lead(crm, 1), _lead(crm, 2)
    crm.stub.leads.MoveLeadStage(leads_pb.MoveLeadStageRequest(lead_id=qualified, stage="qualified"))

    assert _list(crm, stages=["qualified"]) == [qualified]
    assert _list(crm, stages=["new"]) == [new]


def test_course_channel_source_and_tag_filters_each_narrow_the_list(crm):
    data = _lead(crm, 1, course="Data Science")
    email = _lead(crm, 2, channel=channel_pb2.CHANNEL_EMAIL, email="meera@example.com", source="api")
    crm.stub.leads.UpdateLeadTags(leads_pb.UpdateLeadTagsRequest(lead_id=email, add=["Scholarship"]))

    assert _list(crm, course="data science") == [data]
    assert _list(crm, channels=[channel_pb2.CHANNEL_EMAIL]) == [email]
    assert _list(crm, source="api") == [email]
    assert _list(crm, tags=["scholarship"]) == [email]


def test_the_created_range_is_inclusive_of_its_start_and_exclusive_of_its_end(crm):
    old, recent = _lead(crm, 1), _lead(crm, 2)
    crm.sql("UPDATE leads SET created_at = '2026-01-01T00:00:00Z' WHERE id = %s", (old,))
    crm.sql("UPDATE leads SET created_at = '2026-02-01T00:00:00Z' WHERE id = %s", (recent,))
    f = leads_pb.LeadFilter()
    f.created_after.FromJsonString("2026-01-01T00:00:00Z")
    f.created_before.FromJsonString("2026-02-01T00:00:00Z")

    response = crm.stub.leads.ListLeads(leads_pb.ListLeadsRequest(filter=f))

    assert [lead.id for lead in response.leads] == [old]


def test_search_finds_a_lead_by_part_of_its_name_phone_or_email(crm):
    meera = _lead(crm, 1, contact_name="Meera Nair", email="meera.nair@example.com")
    _lead(crm, 2, contact_name="Arjun Rao")

    assert _list(crm, query="nair") == [meera]
    assert _list(crm, query="MEERA.NAIR@") == [meera]
    assert _list(crm, query="98765 00001") == [meera]


def test_search_finds_a_lead_by_a_word_of_its_messages(crm):
    asked = _lead(crm, 1, message_text="Is there an EMI option for the fees?")
    _lead(crm, 2, message_text="When does the batch start?")

    assert _list(crm, query="emi") == [asked]


def test_search_treats_like_wildcards_as_text(crm):
    _lead(crm, 1, contact_name="Asha")

    assert _list(crm, query="%") == []


def test_pages_follow_each_other_without_gaps_or_repeats_while_leads_arrive(crm):
    ids = [_lead(crm, n) for n in range(5)]
    first = crm.stub.leads.ListLeads(leads_pb.ListLeadsRequest(page_size=2))
    _lead(crm, 99)  # newer than every lead listed: it belongs before the first page

    second = crm.stub.leads.ListLeads(
        leads_pb.ListLeadsRequest(page_size=2, page_token=first.next_page_token)
    )
    third = crm.stub.leads.ListLeads(
        leads_pb.ListLeadsRequest(page_size=2, page_token=second.next_page_token)
    )

    seen = [lead.id for page in (first, second, third) for lead in page.leads]
    assert seen == list(reversed(ids))
    assert third.next_page_token == ""


def test_previous_page_tokens_walk_back_to_the_first_page(crm):
    for n in range(5):
        _lead(crm, n, contact_name=f"Student {n}")
    pages = [crm.stub.leads.ListLeads(leads_pb.ListLeadsRequest(page_size=2, sort=leads_pb.LEAD_SORT_NAME))]
    while pages[-1].next_page_token:
        pages.append(
            crm.stub.leads.ListLeads(
                leads_pb.ListLeadsRequest(
                    page_size=2, sort=leads_pb.LEAD_SORT_NAME, page_token=pages[-1].next_page_token
                )
            )
        )
    assert pages[0].previous_page_token == ""

    back, token = [], pages[-1].previous_page_token
    while token:
        page = crm.stub.leads.ListLeads(
            leads_pb.ListLeadsRequest(page_size=2, sort=leads_pb.LEAD_SORT_NAME, page_token=token)
        )
        back.append([lead.contact_name for lead in page.leads])
        assert page.next_page_token  # the page it came back from follows it
        token = page.previous_page_token

    assert [[lead.contact_name for lead in p.leads] for p in pages] == [
        ["Student 0", "Student 1"],
        ["Student 2", "Student 3"],
        ["Student 4"],
    ]
    assert back == [["Student 2", "Student 3"], ["Student 0", "Student 1"]]


def test_leads_sort_by_name_a_to_z_and_reversed(crm):
    _lead(crm, 1, contact_name="Chitra")
    _lead(crm, 2, contact_name="Anil")
    _lead(crm, 3, contact_name="Bala")

    def names(reverse: bool) -> list[str]:
        response = crm.stub.leads.ListLeads(
            leads_pb.ListLeadsRequest(sort=leads_pb.LEAD_SORT_NAME, reverse=reverse)
        )
        return [lead.contact_name for lead in response.leads]

    assert names(False) == ["Anil", "Bala", "Chitra"]
    assert names(True) == ["Chitra", "Bala", "Anil"]


def test_leads_sort_by_their_last_message(crm):
    quiet, talking = _lead(crm, 1), _lead(crm, 2)
    crm.sql("UPDATE leads SET last_inbound_at = now() + interval '1 hour' WHERE id = %s", (quiet,))

    response = crm.stub.leads.ListLeads(leads_pb.ListLeadsRequest(sort=leads_pb.LEAD_SORT_LAST_MESSAGE))

    assert [lead.id for lead in response.leads] == [quiet, talking]


def test_a_page_token_used_with_another_filter_is_refused(crm):
    for n in range(3):
        _lead(crm, n)
    first = crm.stub.leads.ListLeads(leads_pb.ListLeadsRequest(page_size=1))

    with pytest.raises(grpc.RpcError) as raised:
        crm.stub.leads.ListLeads(
            leads_pb.ListLeadsRequest(
                page_size=1, page_token=first.next_page_token, filter=leads_pb.LeadFilter(statuses=["active"])
            )
        )

    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "page_token" in field_violations(raised.value)


@pytest.mark.parametrize(
    ("request_fields", "field"),
    [
        ({"page_size": 201}, "page_size"),
        ({"page_token": "not-a-token"}, "page_token"),
        ({"filter": leads_pb.LeadFilter(statuses=["sleeping"])}, "filter.statuses"),
        ({"filter": leads_pb.LeadFilter(company_id="acme")}, "filter.company_id"),
        ({"filter": leads_pb.LeadFilter(query="x" * 201)}, "filter.query"),
    ],
)
def test_a_bad_list_request_is_refused_naming_the_field(crm, request_fields, field):
    with pytest.raises(grpc.RpcError) as raised:
        crm.stub.leads.ListLeads(leads_pb.ListLeadsRequest(**request_fields))

    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert field in field_violations(raised.value)


def test_the_assignee_filter_keeps_only_the_leads_assigned_to_that_counsellor(crm):
    # Given two leads, one of them assigned to a counsellor
    mine, other = _lead(crm, 1), _lead(crm, 2)
    [(company_id,)] = crm.sql("SELECT company_id FROM leads WHERE id = %s", (mine,))
    [(user_id,)] = crm.sql(
        "INSERT INTO users (id, company_id, email, name, role) VALUES (gen_random_uuid(), %s, "
        "'asha@example.com', 'Asha', 'counsellor') RETURNING id::text",
        (company_id,),
    )
    crm.sql("UPDATE leads SET assigned_user_id = %s WHERE id = %s", (user_id, mine))

    # When a list names the counsellor, then it holds only their lead
    assert _list(crm, assignee_user_id=user_id) == [mine]
    assert other in _list(crm)


def test_an_assignee_filter_that_is_not_a_user_id_names_the_field(crm):
    with pytest.raises(grpc.RpcError) as raised:
        crm.stub.leads.ListLeads(
            leads_pb.ListLeadsRequest(filter=leads_pb.LeadFilter(assignee_user_id="asha"))
        )

    assert "filter.assignee_user_id" in field_violations(raised.value)


def test_counts_give_every_stage_and_status_with_its_number_of_leads(crm):
    _lead(crm, 1)
    lost = _lead(crm, 2)
    crm.stub.leads.MarkLeadLost(leads_pb.MarkLeadLostRequest(lead_id=lost, reason="no budget"))

    counts = crm.stub.leads.CountLeads(leads_pb.CountLeadsRequest())

    assert [(s.stage, s.count) for s in counts.by_stage] == [
        ("new", 1),
        ("contacted", 0),
        ("qualified", 0),
        ("enrolled", 0),
        ("lost", 1),
    ]
    assert {s.status: s.count for s in counts.by_status}["lost"] == 1
    assert counts.total == 2


def test_counts_with_a_limit_stop_there_and_say_which_reached_it(crm):
    for n in range(1, 5):
        _lead(crm, n)
    lost = _lead(crm, 5)
    crm.stub.leads.MarkLeadLost(leads_pb.MarkLeadLostRequest(lead_id=lost, reason="no budget"))

    counts = crm.stub.leads.CountLeads(leads_pb.CountLeadsRequest(count_limit=3))

    # "lost" is both a stage and a status: each says for itself whether it reached the limit.
    assert [(s.stage, s.count, s.at_least) for s in counts.by_stage] == [
        ("new", 3, True),
        ("contacted", 0, False),
        ("qualified", 0, False),
        ("enrolled", 0, False),
        ("lost", 1, False),
    ]
    statuses = {s.status: (s.count, s.at_least) for s in counts.by_status}
    assert (statuses["active"], statuses["lost"]) == ((3, True), (1, False))
    assert (counts.total, counts.total_at_least) == (3, True)


def test_counts_of_one_stage_with_a_limit_count_that_stage_alone(crm):
    for n in range(1, 4):
        _lead(crm, n)
    lost = _lead(crm, 4)
    crm.stub.leads.MarkLeadLost(leads_pb.MarkLeadLostRequest(lead_id=lost, reason="no budget"))

    counts = crm.stub.leads.CountLeads(
        leads_pb.CountLeadsRequest(filter=leads_pb.LeadFilter(stages=["lost"]), count_limit=10)
    )

    assert (counts.total, counts.total_at_least) == (1, False)
    assert {s.stage: s.count for s in counts.by_stage}["new"] == 0


def test_a_count_limit_out_of_range_names_the_field(crm):
    with pytest.raises(grpc.RpcError) as raised:
        crm.stub.leads.CountLeads(leads_pb.CountLeadsRequest(count_limit=-1))

    assert "count_limit" in field_violations(raised.value)


def test_recent_conversations_come_with_their_last_message(crm):
    first = _lead(crm, 1, message_text="hello")
    second = _lead(crm, 2, message_text="what are the fees?")
    crm.ingest(phone_number="+919876500001", message_text="are you there?", idempotency_key="again")

    response = crm.stub.leads.ListRecentConversations(leads_pb.ListRecentConversationsRequest())

    assert [(c.lead.id, c.last_message.text) for c in response.conversations] == [
        (first, "are you there?"),
        (second, "what are the fees?"),
    ]


def test_a_search_for_words_most_messages_hold_finds_the_same_leads(crm, monkeypatch):
    from shvya_crm.leads import search

    # Given words common enough that the leads are walked rather than collected from the index
    monkeypatch.setattr(search, "COMMON_MATCHES", 0)
    asked = _lead(crm, 1, message_text="Is there an EMI option for the fees?")
    _lead(crm, 2, message_text="When does the batch start?")
    named = _lead(crm, 3, contact_name="Emi Sato", message_text="hello")

    assert _list(crm, query="emi") == [named, asked]
