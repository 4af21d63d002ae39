"""Speed to lead as a Prometheus histogram: from a student's first message to the first reply sent."""

from __future__ import annotations

import functools

from prometheus_client import Histogram

# Seconds, from the fast path's couple of seconds to a reply held back by quiet hours overnight.
_BUCKETS = (1, 2, 3, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600, 6 * 3600, 12 * 3600)


@functools.cache
def first_reply_seconds() -> Histogram:
    return Histogram(
        "shvya_first_reply_seconds",
        "From a lead's first message to the first reply sent, by channel",
        ["channel"],
        buckets=_BUCKETS,
    )
