"""The tasks of the jobs ledger, read from the contract's Task enum: each one's name and priority."""

from __future__ import annotations

from functools import cache

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb


def name_of(task: int) -> str:
    """The name the ledger and the wire carry: TASK_AI_ENGAGE is "ai_engage"."""
    return jobs_pb.Task.Name(task).removeprefix("TASK_").lower()


@cache
def priorities() -> dict[str, int]:
    """Every task by name with its priority (higher runs first), highest first."""
    found = {
        name_of(value.number): value.GetOptions().Extensions[jobs_pb.task_priority]
        for value in jobs_pb.Task.DESCRIPTOR.values
        if value.number != jobs_pb.TASK_UNSPECIFIED
    }
    return dict(sorted(found.items(), key=lambda item: -item[1]))


AI_ENGAGE = name_of(jobs_pb.TASK_AI_ENGAGE)
FOLLOWUP_BUMPUP = name_of(jobs_pb.TASK_FOLLOWUP_BUMPUP)
AI_SUMMARY = name_of(jobs_pb.TASK_AI_SUMMARY)
SEQUENCE_STEP = name_of(jobs_pb.TASK_SEQUENCE_STEP)
EMAIL_SEQUENCE = name_of(jobs_pb.TASK_EMAIL_SEQUENCE)
WEBHOOK_REMINDER = name_of(jobs_pb.TASK_WEBHOOK_REMINDER)
HUMAN_REPLY = name_of(jobs_pb.TASK_HUMAN_REPLY)
NOTIFY_COUNSELLOR = name_of(jobs_pb.TASK_NOTIFY_COUNSELLOR)
REASSIGN_LEAD = name_of(jobs_pb.TASK_REASSIGN_LEAD)
STAFF_EMAIL = name_of(jobs_pb.TASK_STAFF_EMAIL)
