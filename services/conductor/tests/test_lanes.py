"""The task catalogue: the reference guide's priorities, and lanes that keep first replies apart."""

from shvya_conductor.lanes import LANES, P1, P2, TASKS


def test_the_six_reference_tasks_keep_their_priorities_and_staff_email_sits_among_them():
    assert {name: task.priority for name, task in TASKS.items()} == {
        "ai_engage": 100,
        "followup_bumpup": 95,
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
        "followup_bumpup",
        "staff_email",
        "ai_summary",
    }
    assert {n for n, t in TASKS.items() if t.lane == P2} == {
        "sequence_step",
        "email_sequence",
        "webhook_reminder",
    }
    assert set(LANES) == {P1, P2}


def test_higher_reference_priority_means_lower_dramatiq_priority_number():
    ordered = sorted(TASKS.values(), key=lambda t: t.dramatiq_priority)
    assert [t.name for t in ordered] == [
        "ai_engage",
        "followup_bumpup",
        "staff_email",
        "ai_summary",
        "sequence_step",
        "email_sequence",
        "webhook_reminder",
    ]
