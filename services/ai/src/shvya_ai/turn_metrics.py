"""The ai service's Prometheus metrics: how long a turn takes and the tokens it uses, by provider."""

from __future__ import annotations

import functools

from prometheus_client import Counter, Histogram

# From the offline provider's milliseconds to a slow model's tens of seconds.
_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 90)


@functools.cache
def turn_seconds() -> Histogram:
    return Histogram("shvya_ai_turn_seconds", "Time to compose one reply", ["provider"], buckets=_BUCKETS)


@functools.cache
def tokens() -> Counter:
    return Counter(
        "shvya_ai_tokens_total", "Tokens the model read (prompt) and wrote (completion)", ["provider", "kind"]
    )


def observe(response, seconds: float) -> None:
    """Records one composed reply (a ComposeReplyResponse)."""
    provider = response.usage.provider or "unknown"
    turn_seconds().labels(provider).observe(seconds)
    tokens().labels(provider, "prompt").inc(response.usage.prompt_tokens)
    tokens().labels(provider, "completion").inc(response.usage.completion_tokens)
