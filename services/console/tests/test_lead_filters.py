"""The lead lists' query strings: read into the crm's filter, and written back into links."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi import HTTPException
from shvya_console.lead_filters import LeadQuery, lead_query

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2

COMPANY = "00000000-0000-4000-8000-000000000001"
USER = "11111111-1111-4111-8111-111111111111"


def test_empty_form_fields_filter_nothing():
    query = lead_query(q=" ", stage=[""], status=[""], channel=[""], created_after="", created_before="")
    assert not query.filtered
    assert query.to_filter(COMPANY, USER) == leads_pb.LeadFilter(company_id=COMPANY)


def test_each_filter_reaches_the_crm_filter():
    query = lead_query(
        q="meera",
        stage=["qualified"],
        status=["active"],
        course="Data Science",
        channel=["whatsapp_cloud"],
        tag="Scholarship",
        source="form",
    )
    result = query.to_filter(COMPANY, USER)
    assert result.query == "meera"
    assert list(result.stages) == ["qualified"]
    assert list(result.statuses) == ["active"]
    assert result.course == "Data Science"
    assert list(result.channels) == [channel_pb2.CHANNEL_WHATSAPP_CLOUD]
    assert list(result.tags) == ["scholarship"]
    assert result.source == "form"


def test_assigned_to_me_names_the_signed_in_person():
    assert lead_query(assignee="me").to_filter(COMPANY, USER).assignee_user_id == USER


def test_unknown_statuses_channels_and_sorts_are_ignored():
    query = lead_query(status=["sleeping"], channel=["pigeon"], sort="shoe-size")
    assert (query.statuses, query.channels, query.sort) == ((), (), "created")


def test_days_are_whole_days_of_the_company_time_zone_both_included():
    query = lead_query(created_after="2026-12-01", created_before="2026-12-02")
    result = query.to_filter(COMPANY, USER, "Asia/Kolkata")
    assert result.created_after.ToDatetime(tzinfo=UTC) == datetime(2026, 11, 30, 18, 30, tzinfo=UTC)
    assert result.created_before.ToDatetime(tzinfo=UTC) == datetime(2026, 12, 2, 18, 30, tzinfo=UTC)


def test_a_date_that_is_not_one_is_refused():
    with pytest.raises(HTTPException) as refused:
        lead_query(created_after="yesterday")
    assert refused.value.status_code == 400


def test_a_link_keeps_the_filters_and_drops_the_page_when_asked():
    query = LeadQuery(
        q="a b", stages=("new",), sort="name", reverse=True, page_token="t1", created_after=date(2026, 1, 2)
    )
    assert (
        query.url("/leads")
        == "/leads?q=a+b&stage=new&created_after=2026-01-02&sort=name&reverse=1&page_token=t1"
    )
    assert query.url("/leads/export.csv", page_token="") == (
        "/leads/export.csv?q=a+b&stage=new&created_after=2026-01-02&sort=name&reverse=1"
    )
    assert LeadQuery().url("/leads") == "/leads"
