"""One-click unsubscribe tokens: one per recipient, a description for the page, an idempotent opt-out."""

from __future__ import annotations

import grpc
import pytest

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.type.v1 import channel_pb2
from shvya_crm import reactions
from shvya_crm.leads.unsubscribe import token_for
from shvya_crm.storage.clock import Clock
from shvya_crm.storage.db import Database, make_engine, make_sessionmaker
from shvya_crm.storage.models import Lead


def token(crm, lead_id: str) -> str:
    engine = make_engine(crm.database_url, 1)
    try:
        with Database(make_sessionmaker(engine), Clock(), reactions.subscriptions()).transaction() as session:
            lead = session.get(Lead, lead_id)
            return token_for(session, lead, "email", lead.email)
    finally:
        engine.dispose()


def email_lead(crm) -> str:
    return crm.ingest(channel=channel_pb2.CHANNEL_EMAIL, email="priya.s@example.com").lead_id


def test_a_recipient_keeps_one_token(crm):
    lead_id = email_lead(crm)
    assert token(crm, lead_id) == token(crm, lead_id)
    assert len(token(crm, lead_id)) >= 32


def test_the_page_shows_the_company_and_a_masked_address_and_changes_nothing(crm):
    lead_id = email_lead(crm)
    view = crm.stub.leads.DescribeUnsubscribeToken(
        leads_pb.DescribeUnsubscribeTokenRequest(token=token(crm, lead_id))
    )
    assert (view.company_name, view.masked_address, view.unsubscribed) == (
        "Default Company",
        "p***@example.com",
        False,
    )
    assert crm.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,)) == "active"


def test_unsubscribing_opts_the_lead_out_once_with_evidence(crm):
    lead_id = email_lead(crm)
    value = token(crm, lead_id)
    first = crm.stub.leads.UnsubscribeByToken(
        leads_pb.UnsubscribeByTokenRequest(token=value, evidence={"user_agent": "Gmail"})
    )
    again = crm.stub.leads.UnsubscribeByToken(leads_pb.UnsubscribeByTokenRequest(token=value))
    assert (first.changed, again.changed) == (True, False)
    assert crm.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,)) == "opted_out"
    [(source, channel, evidence)] = crm.sql(
        "SELECT source, channel, evidence FROM consents WHERE lead_id = %s", (lead_id,)
    )
    assert (source, channel) == ("email_unsubscribe", "email")
    assert evidence == {"address": "priya.s@example.com", "user_agent": "Gmail"}
    view = crm.stub.leads.DescribeUnsubscribeToken(leads_pb.DescribeUnsubscribeTokenRequest(token=value))
    assert view.unsubscribed


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("x" * 40, grpc.StatusCode.NOT_FOUND),
        ("", grpc.StatusCode.INVALID_ARGUMENT),
        ("a b;c", grpc.StatusCode.INVALID_ARGUMENT),
    ],
)
def test_an_unknown_or_malformed_token_changes_nothing(crm, value, code):
    email_lead(crm)
    with pytest.raises(grpc.RpcError) as refused:
        crm.stub.leads.UnsubscribeByToken(leads_pb.UnsubscribeByTokenRequest(token=value))
    assert refused.value.code() == code
    assert crm.count("consents") == 0
