"""Lane 2 yields to lane 1: a bulk worker starts its next job only when no first reply is waiting.

Separate queues keep lane-2 messages from sitting in front of lane-1 messages, but on a small
machine both lanes' workers (and the crm calls they make) share the same CPUs: 20,000 webhook
or sequence jobs would slow every first reply. So before each lane-2 job the worker looks at
lane 1 — its Dramatiq queue holds every lane-1 message not yet acknowledged, queued or running
(`<namespace>:p1.msgs`) — and waits while it is not empty, at most `max_seconds` per job so a
steady stream of first replies slows bulk work but never stops it.
"""

from __future__ import annotations

import logging
import time

import redis
from dramatiq.middleware import Middleware

log = logging.getLogger(__name__)


def lane_messages_key(namespace: str, lane: str) -> str:
    """Dramatiq's Redis hash of a queue's unacknowledged messages (queued or being processed)."""
    return f"{namespace}:{lane}.msgs"


class YieldToLane(Middleware):
    def __init__(
        self, client: redis.Redis, namespace: str, lane: str, max_seconds: float, poll_seconds: float = 0.02
    ) -> None:
        self._client = client
        self._key = lane_messages_key(namespace, lane)
        self._max = max_seconds
        self._poll = poll_seconds

    def _busy(self) -> bool:
        try:
            return self._client.hlen(self._key) > 0
        except redis.RedisError:
            return False  # the worker's own broker calls will report Redis trouble

    def before_process_message(self, broker, message) -> None:
        if self._max <= 0 or not self._busy():
            return
        deadline = time.monotonic() + self._max
        while time.monotonic() < deadline:
            time.sleep(self._poll)
            if not self._busy():
                return
        log.debug("lane-2 job %s started after waiting %.1fs for lane 1", message.message_id, self._max)
