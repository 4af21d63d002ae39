"""Backoff between attempts: exponential, capped, jittered."""

from shvya_conductor.retry import backoff_seconds


def test_backoff_doubles_with_each_attempt_within_jitter():
    for attempt, expected in ((1, 5.0), (2, 10.0), (3, 20.0), (4, 40.0)):
        for _ in range(50):
            assert 0.8 * expected <= backoff_seconds(attempt, 5.0, 600.0) <= 1.2 * expected


def test_backoff_never_exceeds_the_cap_plus_jitter():
    assert all(backoff_seconds(30, 5.0, 60.0) <= 72.0 for _ in range(50))
