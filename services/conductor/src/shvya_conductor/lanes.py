"""The tasks of the contract, their priorities and the lane each runs in.

Dramatiq's actor priority only reorders messages a worker has already
fetched, so priority between lanes is made real by separate queues with
their own worker processes: a flood of lane-2 work never delays lane 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from shvya_rpc import tasks

P1 = "p1"  # first replies, follow-ups, summaries: a student is waiting
P2 = "p2"  # sequences, email campaigns, webhooks: bulk work
LANES = (P1, P2)


@dataclass(frozen=True)
class Task:
    name: str
    priority: int  # higher runs first
    lane: str

    @property
    def dramatiq_priority(self) -> int:
        """Dramatiq runs lower numbers first."""
        return 100 - self.priority


# Tasks from this priority up answer a student who is waiting: they run in lane 1.
LANE_ONE_FROM_PRIORITY = 90

# The contract's tasks (the Task enum, which the crm's ledger reads too), each in its lane.
TASKS: dict[str, Task] = {
    name: Task(name, priority, P1 if priority >= LANE_ONE_FROM_PRIORITY else P2)
    for name, priority in tasks.priorities().items()
}
