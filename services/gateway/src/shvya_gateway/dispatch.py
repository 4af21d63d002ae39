"""Hands the jobs a request leased at intake to the conductor, and counts what became of them."""

from __future__ import annotations

from shvya_gateway.backends import Backends
from shvya_gateway.metrics import Metrics
from shvya_rpc.handover import Leased, hand_over_async


async def dispatch_now(backends: Backends, metrics: Metrics, jobs: list[Leased], timeout: float) -> None:
    """The fast path to a reply, by the rule every door of the mesh follows (shvya_rpc.handover)."""
    for outcome in (await hand_over_async(backends.crm, backends.conductor, jobs, timeout)).values():
        metrics.fast_dispatch.labels(outcome.value).inc()
