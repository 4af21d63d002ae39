"""The sequence editor's rows read back into the Sequence the crm stores."""

from __future__ import annotations

from shvya_console import sequence_form
from starlette.datastructures import FormData

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2

COMPANY = "00000000-0000-4000-8000-000000000001"
EMAIL = str(channel_pb2.CHANNEL_EMAIL)


def _form(*rows: dict, **fields: str) -> FormData:
    items = [("step_count", str(len(rows))), ("name", "Nudges"), ("active", "1")]
    items += list(fields.items())
    for n, row in enumerate(rows):
        for key, value in row.items():
            for one in value if isinstance(value, list) else [value]:
                items.append((f"step-{n}-{key}", one))
    return FormData(items)


def test_steps_are_numbered_in_the_order_shown_with_waits_in_seconds():
    form = _form(
        {
            "channel": EMAIL,
            "template_id": "t1",
            "delay": "2",
            "unit": "hours",
            "stop": ["replied", "enrolled"],
        },
        {"channel": EMAIL, "template_id": "t2", "delay": "3", "unit": "days"},
    )

    sequence = sequence_form.to_message(COMPANY, sequence_form.parse(form))

    assert [(s.position, s.template_id, s.delay_seconds) for s in sequence.steps] == [
        (1, "t1", 7200),
        (2, "t2", 259200),
    ]
    assert list(sequence.steps[0].stop_conditions) == ["replied", "enrolled"]
    assert list(sequence.steps[1].stop_conditions) == []


def test_a_row_marked_for_removal_is_left_out_and_the_rest_renumbered():
    form = _form(
        {"channel": EMAIL, "template_id": "t1", "delay": "1", "unit": "days", "remove": "1"},
        {"channel": EMAIL, "template_id": "t2", "delay": "1", "unit": "days"},
    )

    sequence = sequence_form.to_message(COMPANY, sequence_form.parse(form))

    assert [(s.position, s.template_id) for s in sequence.steps] == [(1, "t2")]


def test_unknown_stop_conditions_and_units_are_not_passed_on():
    form = _form(
        {"channel": EMAIL, "template_id": "t1", "delay": "5", "unit": "weeks", "stop": ["never", "replied"]}
    )

    values = sequence_form.parse(form)

    assert values["steps"][0]["unit"] == "days"
    assert values["steps"][0]["stops"] == ["replied"]


def test_a_stored_wait_is_shown_in_the_largest_whole_unit():
    stored = outreach_pb.Sequence(
        name="Nudges",
        steps=[
            outreach_pb.SequenceStep(position=2, template_id="b", delay_seconds=5400),
            outreach_pb.SequenceStep(position=1, template_id="a", delay_seconds=172800),
        ],
    )

    steps = sequence_form.from_sequence(stored)["steps"]

    assert [(s["template_id"], s["delay"], s["unit"]) for s in steps] == [
        ("a", 2, "days"),
        ("b", 90, "minutes"),
    ]


def test_the_trigger_keeps_keywords_and_channels():
    form = _form(keywords="fee, price ,", course=" Data Science ", trigger_channel=EMAIL)

    sequence = sequence_form.to_message(COMPANY, sequence_form.parse(form))

    assert list(sequence.trigger.keywords) == ["fee", "price"]
    assert sequence.trigger.course == "Data Science"
    assert list(sequence.trigger.channels) == [channel_pb2.CHANNEL_EMAIL]
