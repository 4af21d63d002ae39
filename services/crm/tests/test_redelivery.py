"""Nothing happens twice: a re-delivered intake (same idempotency key, same external message
id, or the same body within the window) returns the first ids and writes nothing."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

from shvya.type.v1 import channel_pb2


def _ids(response) -> tuple[str, str, str, str]:
    return (response.company_id, response.lead_id, response.message_id, response.job_id)


def test_the_same_idempotency_key_returns_the_same_ids_and_writes_nothing(crm):
    # Given a form accepted under an idempotency key
    first = crm.ingest(idempotency_key="form-7f3a")
    before = crm.counts()

    # When it is posted again with the same key
    again = crm.ingest(idempotency_key="form-7f3a")

    # Then the answer repeats the first ids, marked duplicate, and no row changed
    assert again.duplicate is True
    assert first.duplicate is False
    assert _ids(again) == _ids(first)
    assert crm.counts() == before


def test_a_reused_key_with_a_different_body_is_refused_and_writes_nothing(crm):
    # Given a form accepted under a key
    crm.ingest(idempotency_key="form-7f3a", message_text="Interested in Digital Marketing")
    before = crm.counts()

    # When another body arrives under the same key
    with pytest.raises(grpc.RpcError) as caught:
        crm.ingest(idempotency_key="form-7f3a", message_text="Interested in Data Science")

    # Then it is a precondition failure naming the key, and nothing was written
    assert caught.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "form-7f3a" in caught.value.details()
    assert crm.counts() == before


def test_a_new_key_with_the_same_body_is_a_new_message(crm):
    first = crm.ingest(idempotency_key="form-1")

    second = crm.ingest(idempotency_key="form-2")

    assert second.duplicate is False
    assert second.message_id != first.message_id
    assert crm.count("messages") == 2


def test_an_identical_body_without_a_key_within_the_window_is_a_duplicate(crm):
    # Given a form accepted without a key
    first = crm.ingest()
    before = crm.counts()

    # When the identical body is posted again at once (a double submit)
    again = crm.ingest()

    # Then it is recognised as the same message
    assert again.duplicate is True
    assert _ids(again) == _ids(first)
    assert crm.counts() == before


def test_a_different_text_from_the_same_phone_is_not_a_duplicate(crm):
    first = crm.ingest(message_text="Interested in Digital Marketing")

    second = crm.ingest(message_text="Also, what are the fees?")

    assert second.duplicate is False
    assert second.message_id != first.message_id
    assert second.lead_id == first.lead_id
    assert crm.count("jobs") == 2


def test_an_identical_body_after_the_window_is_a_new_message(crm):
    # Given a form accepted longer ago than the de-duplication window
    first = crm.ingest()
    window = crm.settings.dedupe_window_seconds
    crm.sql(
        "UPDATE messages SET created_at = now() - make_interval(secs => %s) WHERE id = %s",
        (window + 5, first.message_id),
    )

    # When the same body arrives again
    again = crm.ingest()

    # Then it is a new message on the same lead
    assert again.duplicate is False
    assert again.message_id != first.message_id
    assert again.lead_id == first.lead_id


def test_a_redelivered_external_message_id_returns_the_first_ids_and_writes_nothing(crm):
    # Given a WhatsApp message recorded with its wamid
    first = crm.ingest(channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD, external_message_id="wamid.HBgM1")
    before = crm.counts()

    # When the webhook delivers it again
    again = crm.ingest(channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD, external_message_id="wamid.HBgM1")

    # Then nothing new is written
    assert again.duplicate is True
    assert _ids(again) == _ids(first)
    assert crm.counts() == before


def test_two_whatsapp_messages_with_the_same_text_and_different_ids_are_both_recorded(crm):
    # A student may well write "hi" twice; distinct wamids mean distinct messages.
    first = crm.ingest(
        channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD, external_message_id="wamid.A", message_text="hi"
    )
    second = crm.ingest(
        channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD, external_message_id="wamid.B", message_text="hi"
    )

    assert second.duplicate is False
    assert second.message_id != first.message_id
    assert crm.count("messages") == 2


def _post_concurrently(crm, count: int, **overrides) -> list:
    barrier = threading.Barrier(count)

    def post(_):
        barrier.wait(timeout=10)
        return crm.ingest(**overrides)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(post, range(count)))


@pytest.mark.parametrize("key", ["", "form-race"], ids=["without-key", "with-key"])
def test_concurrent_identical_posts_create_exactly_one_message_and_job(crm, key):
    # Given a company and a lead that do not exist yet
    company_id = str(uuid.uuid4())

    # When eight identical posts arrive at the same moment
    responses = _post_concurrently(crm, 8, company_id=company_id, idempotency_key=key)

    # Then exactly one of each row exists and every caller got its ids
    assert crm.count("companies") == 1
    assert crm.count("pipelines") == 1
    assert crm.count("leads") == 1
    assert crm.count("messages") == 1
    assert crm.count("jobs") == 1
    assert len({_ids(r) for r in responses}) == 1
    assert sum(not r.duplicate for r in responses) == 1


def test_concurrent_first_contacts_from_different_phones_create_one_company(crm):
    # Given a company that does not exist yet
    company_id = str(uuid.uuid4())
    phones = [f"98765432{i:02d}" for i in range(6)]
    barrier = threading.Barrier(len(phones))

    def post(phone):
        barrier.wait(timeout=10)
        return crm.ingest(company_id=company_id, phone_number=phone)

    # When six different students write at the same moment
    with ThreadPoolExecutor(max_workers=len(phones)) as pool:
        responses = list(pool.map(post, phones))

    # Then one company with one pipeline holds six leads
    assert {r.company_id for r in responses} == {company_id}
    assert crm.count("companies") == 1
    assert crm.count("pipelines") == 1
    assert crm.count("stages") == 5
    assert crm.count("leads") == 6
    assert crm.event_types("type = 'company.created'") == ["company.created"]


def test_concurrent_different_messages_from_a_new_phone_create_one_lead_and_keep_every_message(crm):
    # Given a student the crm has never seen, who sends four messages at once
    texts = ["Hi", "Interested in Data Science", "What are the fees?", "Is there an EMI?"]
    barrier = threading.Barrier(len(texts))

    def post(text):
        barrier.wait(timeout=10)
        return crm.ingest(message_text=text)

    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        responses = list(pool.map(post, texts))

    # Then there is one lead, and none of the messages was lost or merged
    assert len({r.lead_id for r in responses}) == 1
    assert sum(r.lead_created for r in responses) == 1
    assert crm.count("leads") == 1
    assert sorted(t for (t,) in crm.sql("SELECT text FROM messages")) == sorted(texts)
    assert crm.count("jobs") == 4
