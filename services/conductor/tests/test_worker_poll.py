"""Each lane's worker polls its queue as often as its lane needs: lane 1 (first replies) soon,
lane 2 (bulk) at leisure."""

from __future__ import annotations

import pytest

from shvya_conductor.settings import ConductorSettings
from shvya_conductor.worker import LaneWorker


@pytest.mark.parametrize(("lane", "expected"), [("p1", 10), ("p2", 50)])
def test_an_idle_worker_polls_its_lane_at_the_lanes_interval(
    redis_url, redis_prefix, tmp_path, lane, expected
):
    settings = ConductorSettings(
        redis_url=redis_url, redis_namespace=redis_prefix, worker_marker_dir=str(tmp_path)
    )

    worker = LaneWorker(settings, lane)

    assert worker._worker.worker_timeout == expected


def test_each_lanes_interval_is_its_own_setting(redis_url, redis_prefix, tmp_path, monkeypatch):
    monkeypatch.setenv("CONDUCTOR_POLL_MS", "7")
    monkeypatch.setenv("CONDUCTOR_LANE2_POLL_MS", "300")
    settings = ConductorSettings(
        redis_url=redis_url, redis_namespace=redis_prefix, worker_marker_dir=str(tmp_path)
    )

    assert LaneWorker(settings, "p1")._worker.worker_timeout == 7
    assert LaneWorker(settings, "p2")._worker.worker_timeout == 300


@pytest.mark.parametrize("name", ["CONDUCTOR_POLL_MS", "CONDUCTOR_LANE2_POLL_MS"])
def test_a_poll_interval_of_zero_is_refused(monkeypatch, name):
    monkeypatch.setenv(name, "0")
    with pytest.raises(ValueError, match="poll_ms"):
        ConductorSettings()


def test_idle_worker_threads_do_not_wake_at_the_poll_interval(redis_url, redis_prefix, tmp_path):
    # Dramatiq uses one timeout for its consumers' polling and its threads' idle wake-ups: lane 1
    # polls Redis every 10 ms, but its 32 threads must not wake 100 times a second each.
    settings = ConductorSettings(
        redis_url=redis_url, redis_namespace=redis_prefix, worker_marker_dir=str(tmp_path), lane_threads=4
    )
    worker = LaneWorker(settings, "p1")
    worker.start()
    try:
        consumers = list(worker._worker.consumers.values())
        threads = worker._worker.workers
        assert consumers
        assert {c.worker_timeout for c in consumers} == {10}
        assert len(threads) == 4
        assert {t.timeout for t in threads} == {0.5}
    finally:
        worker.stop(grace_seconds=5)
