"""The consent table (docs/consent.md), one test per row: a lead who stopped messages through
WhatsApp, then the row's contact, through the real crm; what the lead's consent becomes and what
may go out because of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_crm.leads import consent_rules

DOC = Path(__file__).resolve().parents[3] / "docs" / "consent.md"
WA_CLOUD = channel_pb2.CHANNEL_WHATSAPP_CLOUD
PHONE = "+919876543210"


def decision(crm, lead_id: str, purpose: int) -> int:
    return crm.stub.leads.CheckSendPolicy(
        leads_pb.CheckSendPolicyRequest(lead_id=lead_id, channel=WA_CLOUD, purpose=purpose)
    ).decision


def stopped_on_whatsapp(crm) -> str:
    """A lead who wrote through a form, then stopped marketing messages in WhatsApp."""
    lead_id = crm.ingest(phone_number=PHONE).lead_id
    crm.stub.leads.RecordConsent(
        leads_pb.RecordConsentRequest(
            phone_number=PHONE,
            action=leads_pb.CONSENT_ACTION_OPT_OUT,
            channel=WA_CLOUD,
            source="whatsapp_user_preferences",
        )
    )
    return lead_id


def signal(action: int, source: str):
    def send(crm, lead_id: str) -> None:
        crm.stub.leads.RecordConsent(
            leads_pb.RecordConsentRequest(lead_id=lead_id, action=action, channel=WA_CLOUD, source=source)
        )

    return send


def import_same_phone(crm, lead_id: str) -> None:
    report = crm.stub.leads.ImportLeads(
        leads_pb.ImportLeadsRequest(csv=f"phone_number,contact_name\n{PHONE},Rahul K\n".encode())
    )
    assert [d.lead_id for d in report.duplicates] == [lead_id]


OPT_IN, OPT_OUT = leads_pb.CONSENT_ACTION_OPT_IN, leads_pb.CONSENT_ACTION_OPT_OUT
# Each row's contact, as it reaches the crm.
CONTACTS = {
    "form_with_consent": lambda crm, _: crm.ingest(
        phone_number=PHONE, message_text="Fee for data science?", consent=True, consent_text="You may write"
    ),
    "form_without_consent": lambda crm, _: crm.ingest(
        phone_number=PHONE, message_text="Fee for data science?"
    ),
    "whatsapp_message": lambda crm, _: crm.ingest(
        phone_number=PHONE,
        message_text="hello, the fee?",
        channel=WA_CLOUD,
        source="whatsapp_cloud_webhook",
        external_message_id="wamid.table-1",
    ),
    "opt_out_keyword": lambda crm, _: crm.ingest(phone_number=PHONE, message_text="STOP"),
    "opt_in_keyword": lambda crm, _: crm.ingest(phone_number=PHONE, message_text="START"),
    "ai_opt_out": signal(OPT_OUT, "ai"),
    "whatsapp_preferences_stop": signal(OPT_OUT, "whatsapp_user_preferences"),
    "whatsapp_preferences_resume": signal(OPT_IN, "whatsapp_user_preferences"),
    "email_unsubscribe": signal(OPT_OUT, "email_unsubscribe"),
    "api_opt_in": signal(OPT_IN, "crm_integration"),
    "api_opt_out": signal(OPT_OUT, "crm_integration"),
    "import": import_same_phone,
    "company_send": lambda crm, _: None,
}


@pytest.mark.parametrize("rule", consent_rules.RULES, ids=lambda rule: rule.name)
def test_after_a_whatsapp_stop(crm, rule):
    # Given a lead who stopped messages through WhatsApp
    lead_id = stopped_on_whatsapp(crm)
    # When the row's contact reaches the crm
    CONTACTS[rule.name](crm, lead_id)
    # Then the lead's consent is what the row says
    status = crm.scalar("SELECT status FROM leads WHERE id = %s", (lead_id,))
    assert status == ("active" if rule.consent == consent_rules.OPT_IN else "opted_out")
    # and only what the row says may go out
    reply = decision(crm, lead_id, crm_pb.SEND_PURPOSE_REPLY)
    confirmation = decision(crm, lead_id, crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION)
    proactive = [
        decision(crm, lead_id, purpose)
        for purpose in (crm_pb.SEND_PURPOSE_FOLLOWUP, crm_pb.SEND_PURPOSE_COUNSELLOR)
    ]
    allowed = crm_pb.SEND_DECISION_ALLOW
    if rule.answer_after_opt_out == consent_rules.REPLY:
        assert reply == allowed
    elif rule.consent != consent_rules.OPT_IN:
        assert reply != allowed
        assert allowed not in proactive
    assert (confirmation == allowed) == (rule.answer_after_opt_out == consent_rules.CONFIRM)


def test_a_web_form_after_a_whatsapp_stop_is_not_answered_with_a_stale_confirmation(crm):
    lead_id = stopped_on_whatsapp(crm)
    form = crm.ingest(phone_number=PHONE, message_text="Fee for data science?")
    assert form.lead_id == lead_id
    assert decision(crm, lead_id, crm_pb.SEND_PURPOSE_REPLY) == crm_pb.SEND_DECISION_SUPPRESS
    assert decision(crm, lead_id, crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION) == crm_pb.SEND_DECISION_SUPPRESS


def test_an_unconfirmed_stop_is_not_confirmed_after_the_lead_writes_again(crm):
    lead_id = crm.ingest(phone_number=PHONE, message_text="STOP").lead_id
    assert decision(crm, lead_id, crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION) == crm_pb.SEND_DECISION_ALLOW
    crm.ingest(phone_number=PHONE, message_text="why did you write to me")
    assert decision(crm, lead_id, crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION) == crm_pb.SEND_DECISION_SUPPRESS


def test_the_consent_event_names_the_row_that_decided(crm):
    lead_id = stopped_on_whatsapp(crm)
    crm.ingest(phone_number=PHONE, message_text="Fee?", consent=True, consent_text="You may write")
    rules = [
        r
        for (r,) in crm.sql(
            "SELECT data->>'rule' FROM events WHERE lead_id = %s AND type LIKE 'consent.%%' ORDER BY id",
            (lead_id,),
        )
    ]
    assert rules == ["whatsapp_preferences_stop", "form_with_consent"]


def test_every_row_of_the_table_has_a_contact_here_and_a_row_in_the_docs():
    documented = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| `(\w+)` \|[^|]*\| (\w+) \| (\w+) \|$", DOC.read_text(), re.MULTILINE)
    }
    assert documented == {r.name: (r.consent, r.answer_after_opt_out) for r in consent_rules.RULES}
    assert set(CONTACTS) == set(documented)
