"""webhook_reminder: posts an event's signed JSON to a company's URL; any answer but 2xx is retried
with backoff by the runner, then dead-lettered."""

from __future__ import annotations

import logging

import httpx

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya_conductor.runner import RetryLater, TaskContext

log = logging.getLogger(__name__)


def _retry_after(response: httpx.Response) -> float:
    try:
        return max(float(response.headers.get("retry-after", "0")), 0.0)
    except ValueError:
        return 0.0  # an HTTP date: the backoff decides


def post_webhook(ctx: TaskContext, job: jobs_pb.Job) -> bool:
    delivery = ctx.clients.crm.outreach.PrepareWebhookDelivery(
        outreach_pb.PrepareWebhookDeliveryRequest(job_id=job.id)
    )
    if not delivery.proceed:
        log.info("job %s: webhook not posted: %s", job.id, delivery.reason)
        return False
    try:
        response = httpx.post(
            delivery.url,
            content=delivery.body.encode(),
            headers=dict(delivery.headers),
            timeout=ctx.settings.webhook_timeout_seconds,
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        raise RetryLater(f"webhook {delivery.url} unreachable: {type(exc).__name__}: {exc}") from exc
    if 200 <= response.status_code < 300:
        log.info(
            "job %s: webhook %s delivered to %s", job.id, delivery.headers.get("X-Shvya-Event"), delivery.url
        )
        return False
    raise RetryLater(f"webhook {delivery.url} answered {response.status_code}", _retry_after(response))
