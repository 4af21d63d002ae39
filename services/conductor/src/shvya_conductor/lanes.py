"""The six tasks, their priorities (the first Shvya's; docs/architecture.md) and the lane each runs in.

Dramatiq's actor priority only reorders messages a worker has already
fetched, so priority between lanes is made real by separate queues with
their own worker processes: a flood of lane-2 work never delays lane 1.
"""

from __future__ import annotations

from dataclasses import dataclass

P1 = "p1"  # first replies, follow-ups, summaries: a student is waiting
P2 = "p2"  # sequences, email campaigns, webhooks: bulk work
LANES = (P1, P2)


@dataclass(frozen=True)
class Task:
    name: str
    priority: int  # the first Shvya's number: higher runs first
    lane: str

    @property
    def dramatiq_priority(self) -> int:
        """Dramatiq runs lower numbers first."""
        return 100 - self.priority


TASKS: dict[str, Task] = {
    t.name: t
    for t in (
        Task("ai_engage", 100, P1),
        Task("followup_bumpup", 95, P1),
        Task("ai_summary", 90, P1),
        Task("sequence_step", 70, P2),
        Task("email_sequence", 60, P2),
        Task("webhook_reminder", 50, P2),
    )
}
