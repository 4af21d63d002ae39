"""Which function runs each task."""

from __future__ import annotations

from shvya_conductor.engage import ai_engage, ai_summary
from shvya_conductor.outreach import send_outreach
from shvya_conductor.runner import TaskFn
from shvya_conductor.webhook import post_webhook


def task_functions() -> dict[str, TaskFn]:
    return {
        "ai_engage": ai_engage,
        "ai_summary": ai_summary,
        "followup_bumpup": send_outreach,
        "sequence_step": send_outreach,
        "email_sequence": send_outreach,
        "webhook_reminder": post_webhook,
    }
