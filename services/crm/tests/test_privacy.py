"""Erasure and export of a lead's data on request, over the real PrivacyService and PostgreSQL."""

from __future__ import annotations

import functools
import json

import grpc
import psycopg2
import pytest

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import privacy_service_pb2 as privacy_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2

DENIED = grpc.StatusCode.PERMISSION_DENIED
NAME = "Ananya Deshpande"
PHONE_DIGITS = "9876501234"
EMAIL = "ananya.d@example.com"
TEXT = "my cousin studies at the Pune campus, what is the fee"
REPLY = "Hello Ananya, the fee is on the course page"
NOTE = "Ananya prefers calls after six"
CONSENT_TEXT = "Ananya agrees to be contacted"
# What must be found nowhere after an erasure.
NEEDLES = (NAME, "Ananya", PHONE_DIGITS, EMAIL, TEXT, REPLY, NOTE, CONSENT_TEXT)


def a_lead_with_history(crm) -> str:
    """A lead with a form, a WhatsApp message, a reply, a note, a consent and a pending question."""
    first = crm.ingest(
        phone_number=PHONE_DIGITS,
        contact_name=NAME,
        email=EMAIL,
        message_text=TEXT,
        channel=channel_pb2.CHANNEL_EMAIL,
        consent=True,
        consent_text=CONSENT_TEXT,
        course="Data Science",
        idempotency_key=f"form-{EMAIL}",
    )
    lead_id = first.lead_id
    crm.ingest(
        phone_number=PHONE_DIGITS,
        contact_name=NAME,
        message_text="Ananya here again",
        channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
        source="whatsapp_cloud_webhook",
        external_message_id="wamid.privacy-1",
    )
    reply = crm.stub.conversations.ReserveOutboundMessage(
        conversations_pb.ReserveOutboundMessageRequest(
            lead_id=lead_id,
            channel=channel_pb2.CHANNEL_EMAIL,
            text=REPLY,
            subject="Your fee question, Ananya",
            idempotency_key=f"ai_engage_{lead_id}_{first.message_id}:reply",
            purpose=crm_pb.SEND_PURPOSE_REPLY,
        )
    ).message
    crm.stub.conversations.MarkMessageSent(
        conversations_pb.MarkMessageSentRequest(message_id=reply.id, external_id=f"<{lead_id}@mail.example>")
    )
    crm.stub.leads.AddLeadNote(
        leads_pb.AddLeadNoteRequest(lead_id=lead_id, text=NOTE, author="owner@x.example")
    )
    crm.sql(
        "INSERT INTO unanswered_questions (id, company_id, lead_id, question) "
        "SELECT gen_random_uuid(), company_id, id, %s FROM leads WHERE id = %s",
        (TEXT, lead_id),
    )
    crm.sql(
        "INSERT INTO unsubscribe_tokens (token, company_id, lead_id, channel, address) "
        "SELECT 'tok-privacy', company_id, id, 'email', %s FROM leads WHERE id = %s",
        (EMAIL, lead_id),
    )
    crm.sql(
        "INSERT INTO delivery_receipts (id, channel, external_id, status, recipient) "
        "VALUES (gen_random_uuid(), 'wa_cloud', 'wamid.unmatched', 'read', %s)",
        (f"91{PHONE_DIGITS}",),
    )
    return lead_id


def erase(crm, lead_id: str, reason: str = "request #42") -> privacy_pb.EraseLeadResponse:
    return crm.stub.privacy.EraseLead(privacy_pb.EraseLeadRequest(lead_id=lead_id, reason=reason))


def found_anywhere(crm) -> set[str]:
    """Each needle as table.column: needle, wherever a text, jsonb or array column holds it."""
    conn = psycopg2.connect(crm.database_url)
    try:
        with conn.cursor() as cur:
            cur.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name <> 'alembic_version' "
                "AND data_type IN ('text', 'character varying', 'jsonb', 'ARRAY')"
            )
            found = set()
            for table, column in cur.fetchall():
                cur.execute(
                    f"SELECT n FROM unnest(%s) AS n WHERE EXISTS "
                    f"(SELECT 1 FROM {table} WHERE \"{column}\"::text ILIKE '%%' || n || '%%')",
                    (list(NEEDLES),),
                )
                found |= {f"{table}.{column}: {n}" for (n,) in cur.fetchall()}
            return found
    finally:
        conn.close()


def test_an_erased_lead_leaves_no_name_phone_email_or_text_in_any_table(crm):
    lead_id = a_lead_with_history(crm)
    # The scan sees every needle before.
    assert {f.split(": ", 1)[1] for f in found_anywhere(crm)} == set(NEEDLES)

    erase(crm, lead_id)

    assert found_anywhere(crm) == set()


def test_erasure_keeps_the_lead_as_a_tombstone_and_removes_its_contacts_notes_and_links(crm):
    lead_id = a_lead_with_history(crm)
    erase(crm, lead_id)
    assert crm.count("leads", "id = %s", (lead_id,)) == 1
    for table in ("lead_contacts", "lead_notes", "unanswered_questions", "unsubscribe_tokens"):
        assert crm.count(table, "lead_id = %s", (lead_id,)) == 0, table
    assert crm.count("delivery_receipts") == 0
    assert crm.count("messages", "lead_id = %s AND text <> ''", (lead_id,)) == 0
    assert crm.count("consents", "lead_id = %s AND (text_shown <> '' OR evidence <> '{}')", (lead_id,)) == 0


def test_the_audit_trail_keeps_that_the_erasure_happened_by_whom_but_not_who(crm, people):
    company = people.build_company(crm.sql, crm.database_url, crm.stub.users, "privacy")
    lead_id = company.ids["lead"]
    crm.stub.privacy.EraseLead(
        privacy_pb.EraseLeadRequest(lead_id=lead_id, reason="request #7"),
        metadata=people.as_(company.credentials["admin"]),
    )
    [(actor, data)] = crm.sql(
        "SELECT actor, data FROM events WHERE type = 'lead.erased' AND lead_id = %s", (lead_id,)
    )
    assert actor == f"user:{company.user_ids['admin']}"
    assert data["reason"] == "request #7"
    assert data["rows"]["messages"] == 1


@pytest.mark.parametrize("role", ["counsellor", "api_key_all_scopes"])
def test_neither_a_counsellor_nor_an_api_key_may_erase_or_export(crm, people, role):
    company = people.build_company(crm.sql, crm.database_url, crm.stub.users, "privacy" + role.split("_")[0])
    credential = people.as_(company.credentials[role])
    lead_id = company.ids["lead"]
    for call, request in (
        (crm.stub.privacy.EraseLead, privacy_pb.EraseLeadRequest(lead_id=lead_id)),
        (crm.stub.privacy.ExportLead, privacy_pb.ExportLeadRequest(lead_id=lead_id)),
    ):
        assert people.code_of(functools.partial(call, request, metadata=credential)) == DENIED
    assert crm.count("events", "type = 'lead.erased'") == 0


def test_the_erased_leads_phone_writing_again_is_a_new_lead_with_no_history(crm):
    lead_id = a_lead_with_history(crm)
    erase(crm, lead_id)
    again = crm.ingest(phone_number=PHONE_DIGITS, contact_name=NAME, message_text="Hi, courses?")
    assert again.lead_id != lead_id
    assert crm.count("messages", "lead_id = %s", (again.lead_id,)) == 1
    assert crm.count("consents", "lead_id = %s", (again.lead_id,)) == 0


def test_the_same_idempotency_key_after_an_erasure_is_a_new_form(crm):
    lead_id = a_lead_with_history(crm)
    erase(crm, lead_id)
    again = crm.ingest(
        phone_number=PHONE_DIGITS,
        contact_name=NAME,
        email=EMAIL,
        message_text=TEXT,
        channel=channel_pb2.CHANNEL_EMAIL,
        idempotency_key=f"form-{EMAIL}",
    )
    assert not again.duplicate
    assert again.lead_id != lead_id


def test_erasure_cancels_the_leads_pending_jobs(crm):
    lead_id = a_lead_with_history(crm)
    erase(crm, lead_id)
    assert crm.count("jobs", "lead_id = %s AND status IN ('queued', 'failed')", (lead_id,)) == 0
    assert crm.count("jobs", "lead_id = %s AND payload <> '{\"erased\": true}'", (lead_id,)) == 0


def test_erasure_names_the_send_ledger_keys_and_the_addresses_it_removed(crm):
    lead_id = a_lead_with_history(crm)
    result = erase(crm, lead_id)
    assert result.erased
    [reply] = crm.sql("SELECT id FROM messages WHERE lead_id = %s AND direction = 'outbound'", (lead_id,))
    assert list(result.send_ledger_keys) == [f"message:{reply[0]}"]
    assert list(result.phone_numbers) == [f"+91{PHONE_DIGITS}"]
    assert list(result.email_addresses) == [EMAIL]


def test_erasing_an_erased_lead_changes_nothing(crm):
    lead_id = a_lead_with_history(crm)
    erase(crm, lead_id)
    events = crm.count("events")
    again = erase(crm, lead_id)
    assert not again.erased
    assert crm.count("events") == events


def test_erasing_an_unknown_lead_is_not_found(crm):
    with pytest.raises(grpc.RpcError) as missing:
        erase(crm, "00000000-0000-0000-0000-000000000001")
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND


def test_the_export_holds_the_leads_messages_notes_and_consents(crm):
    lead_id = a_lead_with_history(crm)
    document = json.loads(crm.stub.privacy.ExportLead(privacy_pb.ExportLeadRequest(lead_id=lead_id)).document)
    assert document["lead"]["contact_name"] == NAME
    assert document["lead"]["email"] == EMAIL
    assert {m["text"] for m in document["messages"]} >= {TEXT, REPLY}
    assert [n["text"] for n in document["notes"]] == [NOTE]
    assert [(c["action"], c["text_shown"]) for c in document["consents"]] == [("opt_in", CONSENT_TEXT)]
    assert {c["value"] for c in document["contacts"]} == {f"+91{PHONE_DIGITS}", EMAIL}
    assert "lead.created" in [e["type"] for e in document["events"]]


def test_an_export_is_an_audit_event(crm):
    lead_id = a_lead_with_history(crm)
    crm.stub.privacy.ExportLead(privacy_pb.ExportLeadRequest(lead_id=lead_id))
    assert crm.event_types("lead_id = %s AND type = 'lead.exported'", (lead_id,)) == ["lead.exported"]


def test_an_erased_leads_export_holds_nothing_personal(crm):
    lead_id = a_lead_with_history(crm)
    erase(crm, lead_id)
    document = crm.stub.privacy.ExportLead(privacy_pb.ExportLeadRequest(lead_id=lead_id)).document
    assert not [n for n in NEEDLES if n.lower() in document.lower()]
