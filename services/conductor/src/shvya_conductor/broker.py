"""The Dramatiq broker on Redis, built once per process and passed around explicitly."""

from __future__ import annotations

from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import TimeLimit

from shvya_conductor.lanes import LANES
from shvya_conductor.settings import ConductorSettings
from shvya_rpc import tracing


def make_broker(settings: ConductorSettings) -> RedisBroker:
    # Retries, age limits and delays are not Dramatiq's job here: the crm
    # jobs ledger holds every job's state and timers durably (Redis here may
    # keep nothing on disk), and the relay re-dispatches what is due.
    broker = RedisBroker(
        url=settings.redis_url,
        namespace=settings.redis_namespace,
        middleware=[TimeLimit(time_limit=(settings.run_lease_seconds - 5) * 1000)],
        socket_timeout=10,
        socket_connect_timeout=5,
        health_check_interval=30,
    )
    if tracing.enabled():
        from shvya_conductor.tracing import TraceContext

        broker.add_middleware(TraceContext())
    for lane in LANES:
        broker.declare_queue(lane)
    return broker
