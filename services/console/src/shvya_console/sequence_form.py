"""The sequence editor's form: a sequence and its steps as rows of fields (step-<n>-<field>), read
back from a posted form, and the Sequence message the crm stores."""

from __future__ import annotations

import uuid

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2

STOP_CONDITIONS = ("replied", "handed_off", "enrolled")
# A step's wait is entered in a unit a person thinks in, and sent in seconds.
DELAY_UNITS = {"minutes": 60, "hours": 3600, "days": 86400}
# More rows than this in one post are not a person's editing.
MAX_ROWS = 50


def delay_in_unit(seconds: int) -> tuple[int, str]:
    """The largest unit the wait is a whole number of (3 days, not 72 hours)."""
    for unit in ("days", "hours", "minutes"):
        if seconds and seconds % DELAY_UNITS[unit] == 0:
            return seconds // DELAY_UNITS[unit], unit
    return seconds // 60, "minutes"


def _words(value: str) -> list[str]:
    return [word.strip() for word in value.split(",") if word.strip()]


def _int(value, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def blank_step(previous: list[dict]) -> dict:
    """A new row: the channel of the row before it, a day's wait, stopping when the student replies."""
    channel = previous[-1]["channel"] if previous else channel_pb2.CHANNEL_WHATSAPP_CLOUD
    return {"channel": channel, "template_id": "", "delay": 1, "unit": "days", "stops": ["replied"]}


def from_sequence(sequence: outreach_pb.Sequence | None = None) -> dict:
    """The editor's values for a stored sequence, or for a new one (with one empty step)."""
    if sequence is None:
        return {"id": "", "name": "", "active": True, "course": "", "keywords": "", "channels": [],
                "all_new_leads": False, "steps": [blank_step([])]}  # fmt: skip
    steps = []
    for step in sorted(sequence.steps, key=lambda s: s.position):
        amount, unit = delay_in_unit(step.delay_seconds)
        steps.append(
            {
                "channel": step.channel,
                "template_id": step.template_id,
                "delay": amount,
                "unit": unit,
                "stops": list(step.stop_conditions),
            }
        )
    trigger = sequence.trigger
    return {
        "id": sequence.id,
        "name": sequence.name,
        "active": sequence.active,
        "course": trigger.course,
        "keywords": ", ".join(trigger.keywords),
        "channels": list(trigger.channels),
        "all_new_leads": trigger.all_new_leads,
        "steps": steps or [blank_step([])],
    }


def parse(form) -> dict:
    """The editor's values from a posted form (a Starlette FormData): its rows in the order shown,
    without those marked for removal. What the crm would refuse is left for it to say."""
    steps = []
    for n in range(min(_int(form.get("step_count")), MAX_ROWS)):
        if form.get(f"step-{n}-remove"):
            continue
        unit = form.get(f"step-{n}-unit") or "days"
        steps.append(
            {
                "channel": _int(form.get(f"step-{n}-channel")),
                "template_id": form.get(f"step-{n}-template_id") or "",
                "delay": max(0, _int(form.get(f"step-{n}-delay"))),
                "unit": unit if unit in DELAY_UNITS else "days",
                "stops": [s for s in form.getlist(f"step-{n}-stop") if s in STOP_CONDITIONS],
            }
        )
    return {
        "id": form.get("sequence_id") or "",
        "name": form.get("name") or "",
        "active": bool(form.get("active")),
        "course": form.get("course") or "",
        "keywords": form.get("keywords") or "",
        "channels": [int(v) for v in form.getlist("trigger_channel") if v.isdigit()],
        "all_new_leads": bool(form.get("all_new_leads")),
        "steps": steps,
    }


def to_message(company_id: str, values: dict) -> outreach_pb.Sequence:
    """The Sequence to store: steps numbered from 1 in the order shown, waits in seconds."""
    sequence_id = str(uuid.UUID(values["id"])) if values["id"] else ""
    return outreach_pb.Sequence(
        id=sequence_id,
        company_id=company_id,
        name=values["name"].strip(),
        active=values["active"],
        trigger=outreach_pb.SequenceTrigger(
            course=values["course"].strip(),
            keywords=_words(values["keywords"]),
            channels=values["channels"],
            all_new_leads=values["all_new_leads"],
        ),
        steps=[
            outreach_pb.SequenceStep(
                position=n,
                channel=step["channel"],
                template_id=step["template_id"],
                delay_seconds=step["delay"] * DELAY_UNITS[step["unit"]],
                stop_conditions=step["stops"],
            )
            for n, step in enumerate(values["steps"], start=1)
        ],
    )
