"""The channels' Prometheus metrics: sends by channel and outcome."""

from __future__ import annotations

import functools

from prometheus_client import Counter


@functools.cache
def sends() -> Counter:
    """Outcomes: sent, retry_later, rejected, account_blocked (a kill switch or a missing setup) and
    deferred (WhatsApp pacing or the daily cap)."""
    return Counter(
        "shvya_channel_sends_total", "Send requests answered, by channel and outcome", ["channel", "outcome"]
    )
