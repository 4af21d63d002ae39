"""Checking a reply's amounts, percentages and dates against its sources (no network)."""

from __future__ import annotations

import pytest

from shvya_ai.facts import unsupported

SOURCE = (
    "The fee is Rs 24,999, or Rs 2,199 per month on a 12-month EMI. The next batch starts on 5 January 2027. "
    "If a student withdraws within 7 days of the batch start, the full fee is refunded."
)


@pytest.mark.parametrize(
    "reply",
    [
        "The fee is Rs 24,999.",
        "It costs ₹24999, or ₹2,199 a month.",
        "That is 24,999 rupees in total.",
        "We start on January 5th.",
        "The batch begins 5 Jan 2027.",
        "A 12-month EMI is available.",
    ],
)
def test_a_figure_the_source_states_is_supported_however_it_is_written(reply):
    assert unsupported(reply, [SOURCE]) == []


@pytest.mark.parametrize(
    ("reply", "flagged"),
    [
        ("Only Rs 19,999 this week!", "an amount of 19,999"),
        ("Get 20% off today.", "20%"),
        ("Pay just 15k.", None),  # a bare number with no currency is no amount
        ("The fee is Rs 20k.", "an amount of 20,000"),
        ("The next batch starts on 1 March 2027.", "the date 1 Mar"),
    ],
)
def test_a_figure_the_source_does_not_state_is_flagged(reply, flagged):
    found = unsupported(reply, [SOURCE])

    assert found == ([flagged] if flagged else [])


def test_the_students_own_figures_count_as_a_source():
    assert (
        unsupported("You mentioned Rs 15,000 elsewhere.", [SOURCE, "another institute charges 15000"]) == []
    )
