"""Webhook subscriptions, the per-company secret, and what a delivery posts."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from types import SimpleNamespace

import grpc
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya_crm.outreach import webhooks as crm_webhooks
from shvya_rpc.errors import field_violations

URL = "https://hooks.example.com/shvya"


def subscribe(crm, company_id: str, events=("lead.created",), url: str = URL, active: bool = True):
    return crm.stub.outreach.UpsertWebhookSubscription(
        outreach_pb.UpsertWebhookSubscriptionRequest(
            subscription=outreach_pb.WebhookSubscription(
                company_id=company_id, url=url, events=events, active=active
            )
        )
    )


def webhook_job_ids(crm) -> list[str]:
    return [str(i) for (i,) in crm.sql("SELECT id FROM jobs WHERE task_name = 'webhook_reminder'")]


def test_a_new_lead_queues_one_signed_delivery_per_subscription(crm):
    company_id = crm.ingest().company_id
    secret = subscribe(crm, company_id).secret
    subscribe(crm, company_id, url="https://crm.example.org/in")
    lead = crm.ingest(phone_number="9876500001")
    job_ids = webhook_job_ids(crm)
    assert len(job_ids) == 2
    delivery = crm.stub.outreach.PrepareWebhookDelivery(
        outreach_pb.PrepareWebhookDeliveryRequest(job_id=job_ids[0])
    )
    assert delivery.proceed
    expected = "sha256=" + hmac.new(secret.encode(), delivery.body.encode(), hashlib.sha256).hexdigest()
    assert delivery.headers["X-Shvya-Signature-256"] == expected
    assert delivery.headers["X-Shvya-Delivery"] == job_ids[0]
    body = json.loads(delivery.body)
    assert (body["type"], body["lead"]["id"], body["lead"]["phone_number"]) == (
        "lead.created",
        lead.lead_id,
        "+919876500001",
    )


def test_a_delivery_verifies_with_a_standard_webhooks_library(crm):
    company_id = crm.ingest().company_id
    secret = subscribe(crm, company_id).secret
    crm.ingest(phone_number="9876500011")
    [job_id] = webhook_job_ids(crm)

    delivery = crm.stub.outreach.PrepareWebhookDelivery(
        outreach_pb.PrepareWebhookDeliveryRequest(job_id=job_id)
    )

    payload = Webhook(secret.encode()).verify(delivery.body, dict(delivery.headers))
    assert payload["type"] == "lead.created"
    assert delivery.headers["webhook-id"] == job_id
    assert abs(int(delivery.headers["webhook-timestamp"]) - time.time()) < 60


def test_the_standard_signature_covers_the_delivery_id_and_the_timestamp(crm):
    company_id = crm.ingest().company_id
    secret = subscribe(crm, company_id).secret
    crm.ingest(phone_number="9876500012")
    [job_id] = webhook_job_ids(crm)
    delivery = crm.stub.outreach.PrepareWebhookDelivery(
        outreach_pb.PrepareWebhookDeliveryRequest(job_id=job_id)
    )
    headers = dict(delivery.headers)

    for name, forged in (
        ("webhook-timestamp", str(int(headers["webhook-timestamp"]) - 1)),
        ("webhook-id", str(uuid.uuid4())),
    ):
        with pytest.raises(WebhookVerificationError):
            Webhook(secret.encode()).verify(delivery.body, {**headers, name: forged})


def test_each_attempt_is_signed_with_its_own_timestamp_under_the_same_id(crm, monkeypatch):
    company_id = crm.ingest().company_id
    subscribe(crm, company_id)
    crm.ingest(phone_number="9876500013")
    [job_id] = webhook_job_ids(crm)
    request = outreach_pb.PrepareWebhookDeliveryRequest(job_id=job_id)
    first = crm.stub.outreach.PrepareWebhookDelivery(request).headers
    # 90 s later, by the wall clock the crm signs with
    later = float(int(first["webhook-timestamp"]) + 90)
    monkeypatch.setattr(crm_webhooks, "time", SimpleNamespace(time=lambda: later))

    retry = crm.stub.outreach.PrepareWebhookDelivery(request).headers

    assert retry["webhook-id"] == first["webhook-id"]
    assert int(retry["webhook-timestamp"]) == int(first["webhook-timestamp"]) + 90
    assert retry["webhook-signature"] != first["webhook-signature"]


def test_a_repeat_subscription_for_the_same_url_replaces_its_events(crm):
    company_id = crm.ingest().company_id
    first = subscribe(crm, company_id)
    again = subscribe(crm, company_id, events=("hand_off", "enrolled"))
    assert (first.created, again.created) == (True, False)
    assert again.subscription.id == first.subscription.id
    [row] = crm.stub.outreach.ListWebhookSubscriptions(
        outreach_pb.ListWebhookSubscriptionsRequest(company_id=company_id)
    ).subscriptions
    assert list(row.events) == ["hand_off", "enrolled"]
    assert first.secret == again.secret


def test_an_inactive_subscription_gets_nothing(crm):
    company_id = crm.ingest().company_id
    subscribe(crm, company_id, active=False)
    crm.ingest(phone_number="9876500002")
    assert webhook_job_ids(crm) == []


def test_rotating_the_secret_signs_later_posts_with_the_new_one(crm):
    company_id = crm.ingest().company_id
    old = subscribe(crm, company_id).secret
    crm.ingest(phone_number="9876500003")
    new = crm.stub.outreach.RotateWebhookSecret(
        outreach_pb.RotateWebhookSecretRequest(company_id=company_id)
    ).secret
    assert new != old
    delivery = crm.stub.outreach.PrepareWebhookDelivery(
        outreach_pb.PrepareWebhookDeliveryRequest(job_id=webhook_job_ids(crm)[0])
    )
    expected = "sha256=" + hmac.new(new.encode(), delivery.body.encode(), hashlib.sha256).hexdigest()
    assert delivery.headers["X-Shvya-Signature-256"] == expected


def test_a_deleted_subscription_has_nothing_to_post(crm):
    company_id = crm.ingest().company_id
    subscription = subscribe(crm, company_id).subscription
    crm.ingest(phone_number="9876500004")
    crm.stub.outreach.DeleteWebhookSubscription(
        outreach_pb.DeleteWebhookSubscriptionRequest(subscription_id=subscription.id)
    )
    delivery = crm.stub.outreach.PrepareWebhookDelivery(
        outreach_pb.PrepareWebhookDeliveryRequest(job_id=webhook_job_ids(crm)[0])
    )
    assert (delivery.proceed, delivery.reason) == (False, "the webhook subscription was deleted")


@pytest.mark.parametrize(
    ("url", "events", "fields"),
    [
        ("ftp://example.com/x", ["lead.created"], {"subscription.url"}),
        ("https://", ["lead.created"], {"subscription.url"}),
        (URL, [], {"subscription.events"}),
        (URL, ["lead.deleted"], {"subscription.events"}),
    ],
)
def test_a_bad_subscription_is_refused_naming_the_field_and_writes_nothing(crm, url, events, fields):
    company_id = crm.ingest().company_id
    with pytest.raises(grpc.RpcError) as refused:
        subscribe(crm, company_id, events=events, url=url)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(refused.value)) == fields
    assert crm.count("webhook_subscriptions") == 0


def test_subscribing_for_an_unknown_company_is_not_found(crm):
    with pytest.raises(grpc.RpcError) as missing:
        subscribe(crm, str(uuid.uuid4()))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
