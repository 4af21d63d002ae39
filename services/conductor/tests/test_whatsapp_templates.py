"""Choosing the company's approved WhatsApp template for a send, and filling its parameters."""

from __future__ import annotations

import pytest

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya_conductor.whatsapp_templates import UnfillableTemplate, choose, course_of, fill, values_for


def template(
    name: str, body: str = "Hi {first_name}", variables=(), language: str = "en"
) -> outreach_pb.Template:
    return outreach_pb.Template(name=name, body=body, variables=list(variables), language=language)


LEAD = crm_pb.Lead(contact_name="Priya  Sharma", phone_number="+919812345678")


def test_the_template_named_for_the_purpose_is_chosen():
    templates = [template("followup_nudge"), template("lead_intro_v1"), template("course_update")]

    assert choose(templates, crm_pb.SEND_PURPOSE_REPLY).name == "lead_intro_v1"
    assert choose(templates, crm_pb.SEND_PURPOSE_FOLLOWUP).name == "followup_nudge"


def test_a_reply_falls_back_to_the_first_template_by_name():
    assert choose([template("zeta"), template("alpha")], crm_pb.SEND_PURPOSE_REPLY).name == "alpha"


def test_an_opt_out_confirmation_never_borrows_a_selling_template():
    assert choose([template("lead_intro_v1")], crm_pb.SEND_PURPOSE_OPT_OUT_CONFIRMATION) is None


def test_no_templates_means_none():
    assert choose([], crm_pb.SEND_PURPOSE_REPLY) is None


def test_parameters_are_filled_in_the_templates_order_and_the_text_rendered():
    chosen = template(
        "lead_intro_v1",
        body="Hi {first_name}, thanks for asking about {course} at {company}.",
        variables=["first_name", "course", "company"],
        language="en_US",
    )

    filled = fill(chosen, values_for(LEAD, "Shvya Demo Academy", "Digital Marketing Pro"))

    assert list(filled.template.parameters) == ["Priya", "Digital Marketing Pro", "Shvya Demo Academy"]
    assert filled.template.language == "en_US"
    assert filled.text == "Hi Priya, thanks for asking about Digital Marketing Pro at Shvya Demo Academy."


def test_variables_default_to_the_bodys_placeholders():
    filled = fill(template("intro", body="Hello {name}, about {course}"), values_for(LEAD, "Acme", ""))

    assert list(filled.template.parameters) == ["Priya Sharma", "our courses"]


def test_a_lead_without_a_name_is_greeted_politely():
    filled = fill(template("intro", body="Hi {first_name}"), values_for(crm_pb.Lead(), "Acme", ""))

    assert list(filled.template.parameters) == ["there"]


def test_an_unknown_variable_is_refused_with_the_names_it_could_use():
    with pytest.raises(UnfillableTemplate, match=r"\{coupon_code\}"):
        fill(template("intro", body="Use {coupon_code}"), values_for(LEAD, "Acme", ""))


def test_the_course_is_the_best_matching_course_document():
    knowledge = [
        conversations_pb.KnowledgeMatch(
            document=conversations_pb.KnowledgeDocument(title="Fees, EMI and refunds", tags=["faq"])
        ),
        conversations_pb.KnowledgeMatch(
            document=conversations_pb.KnowledgeDocument(title="UI/UX Design", tags=["course", "ui"])
        ),
    ]

    assert course_of(knowledge) == "UI/UX Design"
    assert course_of([]) == ""
