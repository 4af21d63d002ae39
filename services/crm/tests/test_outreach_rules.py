"""The pieces of outreach that need no server: enrolment rules, template rendering, bump wording."""

from __future__ import annotations

import pytest

from shvya_crm.outreach.followups import LAST_NUDGE, NUDGES, wording
from shvya_crm.outreach.sequences import matches
from shvya_crm.outreach.templates import render

RULE = {"course": "digital marketing"}


@pytest.mark.parametrize(
    ("text", "course"),
    [
        ("Interested in Digital Marketing course", ""),
        ("digital-marketing details please", ""),
        ("Please send details", "Digital Marketing"),
        ("Please send details", "Digital Marketing Pro (weekend)"),
    ],
)
def test_a_course_rule_matches_the_form_field_or_the_message(text, course):
    assert matches(RULE, text=text, course=course, channel="email", lead_created=True)


@pytest.mark.parametrize("text", ["Interested in UI/UX Design", "digital marketingXYZ", "marketing digital"])
def test_a_course_rule_does_not_match_other_courses(text):
    assert not matches(RULE, text=text, course="", channel="email", lead_created=True)


def test_a_rule_limited_to_channels_ignores_others():
    rule = {**RULE, "channels": ["wa_cloud"]}
    assert not matches(rule, text="digital marketing", course="", channel="email", lead_created=True)
    assert matches(rule, text="digital marketing", course="", channel="wa_cloud", lead_created=True)


def test_all_new_leads_enrols_only_new_leads():
    rule = {"all_new_leads": True}
    assert matches(rule, text="hi", course="", channel="email", lead_created=True)
    assert not matches(rule, text="hi", course="", channel="email", lead_created=False)


def test_keywords_match_whole_words():
    rule = {"keywords": ["EMI", "scholarship"]}
    assert matches(rule, text="Is there an EMI?", course="", channel="email", lead_created=False)
    assert not matches(rule, text="Send the premium brochure", course="", channel="email", lead_created=False)


def test_rendering_fills_variables_and_drops_unknown_ones_cleanly():
    values = {"first_name": "Priya", "course": "Data Science and AI"}
    assert render("Hi {first_name}, about {course}.", values) == "Hi Priya, about Data Science and AI."
    assert render("Hi {first_name} {surname}, welcome!", values) == "Hi Priya, welcome!"


def test_bump_wording_varies_and_the_last_bump_says_so():
    assert [wording(n, 3) for n in (1, 2, 3)] == [NUDGES[0], NUDGES[1], LAST_NUDGE]
    assert len({wording(n, 5) for n in range(1, 6)}) == 4
    assert wording(1, 1) == NUDGES[0]
