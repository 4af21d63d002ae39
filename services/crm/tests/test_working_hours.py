"""Working hours: who is on duty at a given instant, and which hours are refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shvya_crm.assignment.counsellors import Hours, on_duty, validate_hours
from shvya_rpc.errors import FieldErrors

OFFICE = Hours(days=(1, 2, 3, 4, 5), start="09:30", end="18:30", timezone="Asia/Kolkata")
NIGHT = Hours(days=(5,), start="22:00", end="06:00", timezone="Asia/Kolkata")


def ist(day: int, hour: int, minute: int = 0) -> datetime:
    """December 2026 in India (UTC+05:30): 7 December is a Monday."""
    return datetime.fromisoformat(f"2026-12-{day:02d}T{hour:02d}:{minute:02d}:00+05:30")


def test_no_hours_means_always_on_duty():
    assert on_duty(Hours(), ist(6, 3), "Asia/Kolkata")


def test_office_hours_hold_on_a_weekday_between_start_and_end():
    assert on_duty(OFFICE, ist(7, 9, 30), "UTC")
    assert not on_duty(OFFICE, ist(7, 18, 30), "UTC")


def test_office_hours_do_not_hold_on_the_weekend():
    assert not on_duty(OFFICE, ist(6, 12), "UTC")


def test_the_users_zone_wins_over_the_companys():
    # 04:30 UTC is 10:00 in India: on duty there, though not at 04:30 in the company's zone.
    assert on_duty(OFFICE, datetime(2026, 12, 7, 4, 30, tzinfo=UTC), "UTC")


def test_a_night_shift_runs_past_midnight_into_the_next_day():
    assert on_duty(NIGHT, ist(11, 23), "UTC")  # Friday night
    assert on_duty(NIGHT, ist(12, 5), "UTC")  # Saturday small hours: Friday's shift
    assert not on_duty(NIGHT, ist(12, 23), "UTC")  # Saturday night: no shift


@pytest.mark.parametrize(
    ("hours", "field"),
    [
        (Hours(days=(0,)), "working_hours.days"),
        (Hours(start="09:00"), "working_hours.start"),
        (Hours(start="9am", end="17:00"), "working_hours.start"),
        (Hours(start="09:00", end="09:00"), "working_hours.end"),
        (Hours(timezone="Mars/Olympus"), "working_hours.timezone"),
    ],
)
def test_bad_hours_are_refused_naming_the_field(hours, field):
    with pytest.raises(FieldErrors) as refused:
        validate_hours(hours)
    assert field in refused.value.violations
