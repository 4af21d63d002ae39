"""The six Dramatiq actors, declared on an explicit broker; each runs one job by id."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from shvya_conductor.lanes import TASKS
from shvya_conductor.runner import Runner
from shvya_rpc import tracing
from shvya_rpc.log_context import bound, new_trace_id


def declare_actors(broker: RedisBroker, runner: Runner) -> dict[str, dramatiq.Actor]:
    """Declares one actor per task, on the task's lane queue, at the task's priority."""
    actors = {}
    for task in TASKS.values():

        def run(job_id: str) -> None:
            # Each run of a job is its own trace: the lines of one attempt, in every service it calls.
            # With tracing on, it is the trace that dispatched the job (shvya_conductor.tracing).
            with bound(job_id=job_id, trace_id=tracing.current_trace_id() or new_trace_id()):
                runner.run(job_id)

        run.__name__ = task.name
        actors[task.name] = dramatiq.Actor(
            run,
            broker=broker,
            actor_name=task.name,
            queue_name=task.lane,
            priority=task.dramatiq_priority,
            options={},
        )
    return actors
