"""The task catalogue: the priorities existing deployments rely on, and lanes that keep first replies apart."""

from shvya_conductor.lanes import LANES, P1, P2, TASKS
from shvya_conductor.tasks import task_functions


def test_the_tasks_keep_their_priorities():
    assert {name: task.priority for name, task in TASKS.items()} == {
        "ai_engage": 100,
        "human_reply": 100,
        "followup_bumpup": 95,
        "notify_counsellor": 92,
        "reassign_lead": 91,
        "staff_email": 92,
        "ai_summary": 90,
        "sequence_step": 70,
        "email_sequence": 60,
        "webhook_reminder": 50,
    }


def test_conversational_tasks_run_in_lane_one_and_bulk_tasks_in_lane_two():
    # A staff email (a password reset) has a person waiting at a sign-in page: lane 1.
    assert {n for n, t in TASKS.items() if t.lane == P1} == {
        "ai_engage",
        "human_reply",
        "followup_bumpup",
        "notify_counsellor",
        "reassign_lead",
        "staff_email",
        "ai_summary",
    }
    assert {n for n, t in TASKS.items() if t.lane == P2} == {
        "sequence_step",
        "email_sequence",
        "webhook_reminder",
    }
    assert set(LANES) == {P1, P2}


def test_every_task_of_the_contract_has_a_function():
    assert set(task_functions()) == set(TASKS)


def test_higher_reference_priority_means_lower_dramatiq_priority_number():
    ordered = sorted(TASKS.values(), key=lambda t: t.dramatiq_priority)
    assert [t.name for t in ordered][:2] == ["ai_engage", "human_reply"]
    assert [t.name for t in ordered][2:] == [
        "followup_bumpup",
        "notify_counsellor",
        "staff_email",
        "reassign_lead",
        "ai_summary",
        "sequence_step",
        "email_sequence",
        "webhook_reminder",
    ]
