"""Prometheus metrics of the gateway: requests and latency per route (counted in edge.py), served at /metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import Scope


class Metrics:
    """One registry per app, so that tests and several apps in a process never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "shvya_gateway_requests",
            "HTTP requests by method, route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "shvya_gateway_request_seconds",
            "HTTP request latency by method and route",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.fast_dispatch = Counter(
            "shvya_gateway_fast_dispatch",
            "First-reply jobs leased at intake and handed to the conductor, by result: dispatched; "
            "released (the hand-off failed, and the relay dispatches the job at its next pass); "
            "lease_gone (the hand-off failed after the lease had ended or the job had started); "
            "lease_kept (the release failed too, and the relay dispatches it when the lease ends)",
            ["result"],
            registry=self.registry,
        )
        for result in ("dispatched", "released", "lease_gone", "lease_kept"):  # exported at 0 from the start
            self.fast_dispatch.labels(result)
        self.intake_refused = Counter(
            "shvya_gateway_intake_refused",
            "Forms refused by the intake's defences, by reason: address, phone, email, company, "
            "new_email (rate limits), honeypot, bot_check",
            ["reason"],
            registry=self.registry,
        )


def route_template(scope: Scope) -> str:
    """The matched path template (so /leads/{lead_id} is one series, not one per lead).

    The router records the matched route in the scope, which it shares with the middleware.
    """
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


router = APIRouter(tags=["health"])


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics_endpoint(request: Request) -> Response:
    return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)
