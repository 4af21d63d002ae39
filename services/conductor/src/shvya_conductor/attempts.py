"""How many attempts a job gets and the longest wait between two: the company's own settings when
it has them (kept for a minute), else the conductor's."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import grpc

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya_conductor.settings import ConductorSettings
from shvya_rpc.crm_client import CrmClient

log = logging.getLogger(__name__)

# Long enough that a retry storm asks the crm once a minute per company, short enough that a
# changed setting holds soon.
CACHE_SECONDS = 60.0


@dataclass(frozen=True)
class Limits:
    max_attempts: int
    retry_max_seconds: float


class AttemptLimits:
    def __init__(
        self,
        crm: CrmClient,
        settings: ConductorSettings,
        *,
        cache_seconds: float = CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._crm = crm
        self._settings = settings
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._known: dict[str, tuple[float, Limits]] = {}
        self._lock = threading.Lock()

    def defaults(self) -> Limits:
        return Limits(self._settings.max_attempts, self._settings.retry_max_seconds)

    def for_company(self, company_id: str) -> Limits:
        if not company_id:
            return self.defaults()
        now = self._clock()
        with self._lock:
            known = self._known.get(company_id)
        if known is not None and now - known[0] < self._cache_seconds:
            return known[1]
        try:
            stored = self._crm.outreach.GetCompanySettings(
                outreach_pb.GetCompanySettingsRequest(company_id=company_id),
                timeout=self._settings.crm_timeout_seconds,
            ).settings
        except grpc.RpcError as exc:
            # The retry still happens, on the conductor's own limits: a crm that cannot answer
            # must not turn a retry into a dead letter.
            log.warning(
                "company %s: attempt settings unread (%s); using the defaults", company_id, exc.code()
            )
            return known[1] if known is not None else self.defaults()
        limits = Limits(
            stored.max_attempts if stored.HasField("max_attempts") else self._settings.max_attempts,
            float(stored.retry_max_seconds)
            if stored.HasField("retry_max_seconds")
            else self._settings.retry_max_seconds,
        )
        with self._lock:
            self._known[company_id] = (now, limits)
        return limits
