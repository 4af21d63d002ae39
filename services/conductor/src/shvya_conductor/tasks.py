"""Which function runs each task."""

from __future__ import annotations

from shvya_conductor.counsellors import human_reply, notify_counsellor, reassign_lead
from shvya_conductor.engage import ai_engage, ai_summary
from shvya_conductor.outreach import send_outreach
from shvya_conductor.runner import TaskFn
from shvya_conductor.staff_email import send_staff_email
from shvya_conductor.webhook import post_webhook
from shvya_rpc import tasks


def task_functions() -> dict[str, TaskFn]:
    return {
        tasks.AI_ENGAGE: ai_engage,
        tasks.AI_SUMMARY: ai_summary,
        tasks.FOLLOWUP_BUMPUP: send_outreach,
        tasks.SEQUENCE_STEP: send_outreach,
        tasks.EMAIL_SEQUENCE: send_outreach,
        tasks.WEBHOOK_REMINDER: post_webhook,
        tasks.HUMAN_REPLY: human_reply,
        tasks.NOTIFY_COUNSELLOR: notify_counsellor,
        tasks.REASSIGN_LEAD: reassign_lead,
        tasks.STAFF_EMAIL: send_staff_email,
    }
