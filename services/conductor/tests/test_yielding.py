"""Lane 2 yields to lane 1, against the real Dramatiq Redis broker (its key layout is what we read)."""

from __future__ import annotations

import threading
import time

import dramatiq
import pytest

from shvya_conductor.broker import make_broker
from shvya_conductor.lanes import P1
from shvya_conductor.settings import ConductorSettings
from shvya_conductor.yielding import YieldToLane


@pytest.fixture
def broker(redis_url, redis_prefix):
    broker = make_broker(ConductorSettings(redis_url=redis_url, redis_namespace=redis_prefix))
    yield broker
    broker.close()


def _yielder(broker, redis_prefix, max_seconds):
    return YieldToLane(broker.client, redis_prefix, P1, max_seconds, poll_seconds=0.01)


def _lane1_message(broker):
    return broker.enqueue(
        dramatiq.Message(queue_name=P1, actor_name="ai_engage", args=("job",), kwargs={}, options={})
    )


def _timed(yielder) -> float:
    started = time.monotonic()
    yielder.before_process_message(None, dramatiq.Message("p2", "webhook_reminder", (), {}, {}))
    return time.monotonic() - started


def test_a_lane_two_job_starts_at_once_when_lane_one_is_empty(broker, redis_prefix):
    assert _timed(_yielder(broker, redis_prefix, 5.0)) < 0.5


def test_a_lane_two_job_waits_while_a_first_reply_is_queued_but_no_longer_than_the_limit(
    broker, redis_prefix
):
    _lane1_message(broker)
    waited = _timed(_yielder(broker, redis_prefix, 0.4))
    assert 0.4 <= waited < 2.0


def test_a_lane_two_job_starts_as_soon_as_lane_one_is_done(broker, redis_prefix):
    message = _lane1_message(broker)
    consumer = broker.consume(P1, prefetch=1, timeout=100)

    def finish_first_reply():
        time.sleep(0.3)
        fetched = next(m for m in consumer if m is not None)
        assert fetched.message_id == message.message_id
        consumer.ack(fetched)

    worker = threading.Thread(target=finish_first_reply)
    worker.start()
    waited = _timed(_yielder(broker, redis_prefix, 10.0))
    worker.join()
    consumer.close()
    assert 0.3 <= waited < 5.0


def test_no_limit_means_no_waiting(broker, redis_prefix):
    _lane1_message(broker)
    assert _timed(_yielder(broker, redis_prefix, 0)) < 0.2
