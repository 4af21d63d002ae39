"""Waiting out a backend's outage: the wait doubles up to its cap, and ends once the outage has
lasted the limit, counted per job in the real Redis."""

from __future__ import annotations

import time

from shvya_conductor.outages import Outages


def outages(redis_client, redis_prefix, **values) -> Outages:
    return Outages(redis_client, redis_prefix, **{"max_seconds": 60, "base": 5, "cap": 40, **values})


def test_the_wait_doubles_from_the_base_up_to_the_cap(redis_client, redis_prefix):
    ledger = outages(redis_client, redis_prefix)

    waits = [ledger.wait("job-1")[1] for _ in range(6)]

    for wait, expected in zip(waits, (5, 10, 20, 40, 40, 40), strict=True):
        assert 0.8 * expected <= wait <= 1.2 * expected


def test_each_job_counts_its_own_outage(redis_client, redis_prefix):
    ledger = outages(redis_client, redis_prefix)
    for _ in range(3):
        ledger.wait("job-1")

    _, first_wait_of_another = ledger.wait("job-2")

    assert first_wait_of_another <= 6


def test_once_the_outage_has_lasted_the_limit_the_job_waits_no_more(redis_client, redis_prefix):
    ledger = outages(redis_client, redis_prefix, max_seconds=0.3, base=0.1, cap=0.1)
    assert ledger.wait("job-1")[1] is not None

    time.sleep(0.35)
    elapsed, wait = ledger.wait("job-1")

    assert wait is None
    assert elapsed >= 0.3


def test_no_wait_carries_past_the_limit(redis_client, redis_prefix):
    ledger = outages(redis_client, redis_prefix, max_seconds=3, base=100, cap=100)

    _, wait = ledger.wait("job-1")

    assert wait <= 3
