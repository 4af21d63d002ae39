"""Opaque secrets handed out once (session tokens, API keys, one-time tokens) and their stored hashes."""

from __future__ import annotations

import hashlib
import secrets

SESSION_PREFIX = "shvs_"
API_KEY_PREFIX = "shvk_"
ONE_TIME_PREFIX = "shvt_"


def new(prefix: str) -> str:
    # 256 random bits: guessing is hopeless, so a fast hash (not argon2) is enough at rest, and a
    # lookup by hash costs one index probe on every authenticated call.
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
