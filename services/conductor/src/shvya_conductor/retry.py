"""Exponential backoff with jitter between a job's attempts."""

from __future__ import annotations

import random


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Delay after failed attempt number `attempt` (1-based): base, 2x, 4x, ... up to cap, +-20%."""
    delay = min(base * 2 ** max(attempt - 1, 0), cap)
    return delay * random.uniform(0.8, 1.2)
