"""Choosing and filling the company's approved WhatsApp template when free text is not allowed.

Outside WhatsApp's 24-hour customer-service window (first contact from a
website form, or a lead silent for a day) the Cloud API delivers only a
template Meta has approved. The company registers each one in the crm's
templates table (channel whatsapp_cloud) with the same name, language and body
as at Meta; the body's {variables} are the template's parameters, in order.

Which template: the one whose name says it is for this purpose (see PURPOSE_WORDS;
for example `lead_intro_v1` for a first reply, `followup_nudge` for a follow-up),
else, for a reply, the company's first template by name. The parameters are
filled from the lead and the conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shvya.channels.v1 import channels_service_pb2 as ch_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.crm.v1 import resources_pb2 as crm_pb

PURPOSE_WORDS = {
    crm_pb.SEND_PURPOSE_REPLY: ("intro", "welcome", "first", "reply", "enquiry", "inquiry", "lead"),
    crm_pb.SEND_PURPOSE_FOLLOWUP: ("followup", "follow_up", "nudge", "reminder", "bump"),
    crm_pb.SEND_PURPOSE_SEQUENCE: ("sequence", "step"),
    crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION: ("opt_out", "optout", "unsubscribe", "stop"),
}
# A purpose for which any approved template will do when none is named for it. An
# opt-out confirmation never borrows a selling template.
ANY_WILL_DO = {crm_pb.SEND_PURPOSE_REPLY, crm_pb.SEND_PURPOSE_FOLLOWUP, crm_pb.SEND_PURPOSE_SEQUENCE}

_VARIABLE = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class UnfillableTemplate(ValueError):
    """The template uses a variable Shvya cannot fill."""


@dataclass(frozen=True)
class Filled:
    template: ch_pb.TemplateMessage
    # The body as the student will read it, stored as the message's text.
    text: str


def choose(templates: list[outreach_pb.Template], purpose: int) -> outreach_pb.Template | None:
    ordered = sorted(templates, key=lambda t: (t.name, t.language))
    words = PURPOSE_WORDS.get(purpose, ())
    for template in ordered:
        if any(word in template.name for word in words):
            return template
    if purpose in ANY_WILL_DO and ordered:
        return ordered[0]
    return None


def values_for(lead: crm_pb.Lead, company_name: str, course: str) -> dict[str, str]:
    """What a template may name, for this lead."""
    full = " ".join(lead.contact_name.split())
    first = full.split(" ")[0] if full else ""
    return {
        "first_name": first or "there",
        "name": full or "there",
        "full_name": full or "there",
        "contact_name": full or "there",
        "company": company_name or "our academy",
        "company_name": company_name or "our academy",
        "academy": company_name or "our academy",
        "course": course or "our courses",
        "course_name": course or "our courses",
        "phone": lead.phone_number,
    }


def fill(template: outreach_pb.Template, values: dict[str, str]) -> Filled:
    names = list(template.variables) or list(dict.fromkeys(_VARIABLE.findall(template.body)))
    unknown = [n for n in names if n not in values]
    if unknown:
        raise UnfillableTemplate(
            f"template {template.name} uses {', '.join('{' + n + '}' for n in unknown)}, which Shvya cannot "
            f"fill (it can fill {', '.join('{' + n + '}' for n in sorted(values))})"
        )
    # Meta refuses line breaks and tabs inside a parameter.
    parameters = [" ".join(values[n].split()) for n in names]
    text = _VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), template.body)
    return Filled(
        template=ch_pb.TemplateMessage(name=template.name, language=template.language, parameters=parameters),
        text=text,
    )


def course_of(knowledge: list[conversations_pb.KnowledgeMatch]) -> str:
    """The course the student asked about: the best-matching course document's title."""
    for match in knowledge:
        tags = [t.lower() for t in match.document.tags]
        if "course" in tags:
            return match.document.title
    return ""
