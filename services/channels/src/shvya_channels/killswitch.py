"""The kill switch of a sending account, shared by every replica through Redis.

When an account cannot send at all (Meta restricted the business account or
the token expired; WhatsApp logged the linked device out or banned the
number), the first replica to learn it stops the account here, every replica
then refuses to send from it without trying, and a human is alerted. It stays
stopped until someone resumes it (ResumeAccount), or its cause goes away by
itself: a stop caused by a rejected access token lifts when the token changes,
and a WhatsApp Web logout lifts when the number is linked again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import redis

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stop:
    reason: str
    code: str
    at: datetime
    # Why it may lift by itself: "token:<fingerprint>" or "login".
    lifts_on: str = ""


def fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


class KillSwitch:
    def __init__(self, client: redis.Redis, *, prefix: str, kind: str, account: str) -> None:
        self._client = client
        self._key = f"{prefix}:channels:{kind}:{account}:stopped"
        self._kind = kind
        self._account = account

    def current(self) -> Stop | None:
        raw = self._client.get(self._key)
        if raw is None:
            return None
        data = json.loads(raw)
        return Stop(
            reason=data.get("reason", ""),
            code=data.get("code", ""),
            at=datetime.fromisoformat(data["at"]),
            lifts_on=data.get("lifts_on", ""),
        )

    def stop(self, reason: str, code: str = "", lifts_on: str = "") -> Stop:
        """Stops the account (the first cause is kept if it is already stopped) and alerts."""
        stop = Stop(reason=reason, code=code, at=datetime.now(UTC), lifts_on=lifts_on)
        record = json.dumps({"reason": reason, "code": code, "at": stop.at.isoformat(), "lifts_on": lifts_on})
        if self._client.set(self._key, record, nx=True):
            # The alert: operators route CRITICAL "ALERT" lines to a human (docs/deploy.md).
            log.critical(
                "ALERT %s account %s stopped: nothing is sent from it until it is resumed: %s (code %s)",
                self._kind,
                self._account,
                reason,
                code or "-",
            )
            return stop
        return self.current() or stop

    def resume(self, why: str) -> bool:
        resumed = bool(self._client.delete(self._key))
        if resumed:
            log.warning("%s account %s resumed: %s", self._kind, self._account, why)
        return resumed

    def lift_if(self, lifts_on: str, why: str) -> bool:
        """Resumes the account if it was stopped for a cause that `lifts_on` says is gone."""
        current = self.current()
        if current is not None and current.lifts_on == lifts_on:
            return self.resume(why)
        return False
