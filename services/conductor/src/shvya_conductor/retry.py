"""Exponential backoff with jitter between a job's attempts."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Delay after failed attempt number `attempt` (1-based): base, 2x, 4x, ... up to cap, +-20%."""
    delay = min(base * 2 ** max(attempt - 1, 0), cap)
    return delay * random.uniform(0.8, 1.2)


def retry_at(attempt: int, base: float, cap: float, at_least: float = 0.0) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=max(backoff_seconds(attempt, base, cap), at_least))
