"""Hands claimed jobs to their lanes: one Dramatiq message per job, carrying only its id."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import dramatiq
from dramatiq.brokers.redis import RedisBroker

from shvya.conductor.v1 import conductor_service_pb2 as pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya_conductor.lanes import TASKS

log = logging.getLogger(__name__)


def enqueue(broker: RedisBroker, jobs: Sequence[jobs_pb.Job | pb.LeasedJob]) -> list[str]:
    """Enqueues each job (claimed, or leased at intake) on its lane; returns the ids enqueued.

    A job of an unknown task is left alone: its dispatch lease expires and it
    shows up in the ledger, rather than being dropped silently.
    """
    sent = []
    for job in jobs:
        task = TASKS.get(job.task_name)
        if task is None:
            log.error("job %s has unknown task %r; not dispatched", job.id, job.task_name)
            continue
        broker.enqueue(
            dramatiq.Message(
                queue_name=task.lane,
                actor_name=task.name,
                args=(job.id,),
                kwargs={},
                options={},
            )
        )
        sent.append(job.id)
    return sent
