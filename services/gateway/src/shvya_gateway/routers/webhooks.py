"""Webhook subscriptions: /companies/{id}/webhooks, /webhooks/{id}, and the signing secret.

Each delivery is a POST of JSON signed with the company's secret the Standard Webhooks way
(webhook-id, webhook-timestamp, webhook-signature: v1,<base64 HMAC-SHA256 of
"id.timestamp.body">), and with the deprecated X-Shvya-Signature-256: sha256=<hex HMAC-SHA256
of the raw body>.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from grpc import aio
from pydantic import BaseModel, ConfigDict, Field

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya_gateway.deps import AdminDep, BackendsDep
from shvya_gateway.errors import rpc_error_response
from shvya_gateway.forms import openapi_body, read_body, validate

router = APIRouter(tags=["webhooks"], dependencies=[AdminDep])

EventName = Literal["lead.created", "lead.hot", "hand_off", "enrolled", "opted_out", "assigned"]


class SubscriptionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: Annotated[str, Field(min_length=1, max_length=2000, description="An http(s) URL.")]
    events: Annotated[list[EventName], Field(min_length=1)]
    active: bool = True


class SubscriptionView(BaseModel):
    id: str
    company_id: str
    url: str
    events: list[str]
    active: bool
    created_at: str | None


class CreatedSubscription(SubscriptionView):
    secret: str = Field(description="The company's signing secret.")


class SecretView(BaseModel):
    secret: str


def subscription_view(s: outreach_pb.WebhookSubscription) -> SubscriptionView:
    return SubscriptionView(
        id=s.id,
        company_id=s.company_id,
        url=s.url,
        events=list(s.events),
        active=s.active,
        created_at=s.created_at.ToDatetime().isoformat() + "Z" if s.HasField("created_at") else None,
    )


@router.get(
    "/companies/{company_id}/webhooks",
    response_model=list[SubscriptionView],
    summary="A company's webhook subscriptions",
)
async def list_webhooks(
    company_id: Annotated[uuid.UUID, Path()], backends: BackendsDep
) -> list[SubscriptionView]:
    reply = await backends.crm.outreach.ListWebhookSubscriptions(
        outreach_pb.ListWebhookSubscriptionsRequest(company_id=str(company_id)),
    )
    return [subscription_view(s) for s in reply.subscriptions]


@router.post(
    "/companies/{company_id}/webhooks",
    response_model=CreatedSubscription,
    status_code=201,
    summary="Subscribe a URL to events (a repeat for the same URL replaces its events)",
    openapi_extra=openapi_body(SubscriptionBody),
)
async def subscribe(
    company_id: Annotated[uuid.UUID, Path()],
    request: Request,
    response: Response,
    backends: BackendsDep,
):
    body = validate(SubscriptionBody, await read_body(request))
    try:
        reply = await backends.crm.outreach.UpsertWebhookSubscription(
            outreach_pb.UpsertWebhookSubscriptionRequest(
                subscription=outreach_pb.WebhookSubscription(
                    company_id=str(company_id), url=body.url, events=body.events, active=body.active
                )
            ),
        )
    except aio.AioRpcError as exc:
        return rpc_error_response(exc, strip="subscription.")
    if not reply.created:
        response.status_code = 200
    return CreatedSubscription(**subscription_view(reply.subscription).model_dump(), secret=reply.secret)


@router.delete("/webhooks/{subscription_id}", status_code=204, summary="Delete a webhook subscription")
async def delete_webhook(subscription_id: Annotated[uuid.UUID, Path()], backends: BackendsDep) -> Response:
    await backends.crm.outreach.DeleteWebhookSubscription(
        outreach_pb.DeleteWebhookSubscriptionRequest(subscription_id=str(subscription_id)),
    )
    return Response(status_code=204)


@router.post(
    "/companies/{company_id}/webhooks/secret",
    response_model=SecretView,
    summary="Replace the company's webhook signing secret",
)
async def rotate_secret(company_id: Annotated[uuid.UUID, Path()], backends: BackendsDep) -> SecretView:
    reply = await backends.crm.outreach.RotateWebhookSecret(
        outreach_pb.RotateWebhookSecretRequest(company_id=str(company_id)),
    )
    return SecretView(secret=reply.secret)
