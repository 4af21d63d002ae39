"""The channels' Prometheus metrics: sends by channel and outcome, and the sending account's state."""

from __future__ import annotations

import functools
import logging

from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)


@functools.cache
def sends() -> Counter:
    """Outcomes: sent, retry_later, rejected, account_blocked (a kill switch or a missing setup) and
    deferred (WhatsApp pacing or the daily cap)."""
    return Counter(
        "shvya_channel_sends_total", "Send requests answered, by channel and outcome", ["channel", "outcome"]
    )


@functools.cache
def in_doubt() -> Counter:
    """Sends that found their previous attempt in doubt: it died after handing the message over
    and before reading the answer, so the message may already have gone."""
    return Counter(
        "shvya_channel_sends_in_doubt_total",
        "Sends whose previous attempt ended in doubt (crash or timeout after the point of no return)",
        ["channel"],
    )


class AccountCollector(Collector):
    """The sending account's state, read when Prometheus scrapes: its kill switch (on after a ban, a
    logout or Meta's quality signal, until an admin resumes it), whether it can send now, and for
    WhatsApp Web today's count against the daily cap."""

    def __init__(self, servicer) -> None:
        self._servicer = servicer

    def describe(self):
        return []

    def collect(self):
        stopped = GaugeMetricFamily(
            "shvya_channel_kill_switch",
            "1 while the account's kill switch is on",
            labels=["channel", "account"],
        )
        ready = GaugeMetricFamily(
            "shvya_channel_ready", "1 when the channel can send now", labels=["channel"]
        )
        sent_today = GaugeMetricFamily(
            "shvya_channel_sent_today",
            "Messages sent today, against the daily cap",
            labels=["channel", "account"],
        )
        try:
            status = self._servicer.account_status()
            can_send = self._servicer.can_send()
        except Exception as exc:  # Redis away: report nothing rather than a wrong 0
            log.debug("account state unavailable for metrics: %s", exc)
            return
        channel = self._servicer.kind
        stopped.add_metric([channel, status.account], 1 if status.stopped else 0)
        ready.add_metric([channel], 1 if can_send else 0)
        yield stopped
        yield ready
        if status.daily_cap:
            sent_today.add_metric([channel, status.account], status.sent_today)
            yield sent_today
