"""From the crm's reply context to the ai's request, and from the ai's reading to the turn's outcome."""

from __future__ import annotations

import pytest

from shvya.ai.v1 import ai_service_pb2 as ai_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_conductor.conversation import compose_request, intent_name, turn_outcome
from shvya_conductor.engage import answers_wrong_number, opt_out_confirmation

INBOUND, OUTBOUND = crm_pb.MESSAGE_DIRECTION_INBOUND, crm_pb.MESSAGE_DIRECTION_OUTBOUND


def _context() -> conversations_pb.GetReplyContextResponse:
    return conversations_pb.GetReplyContextResponse(
        lead=crm_pb.Lead(id="lead-1", contact_name="Rahul Kumar", stage="contacted"),
        company=conversations_pb.Company(name="Shvya Demo Academy"),
        ai_model=conversations_pb.AiModel(
            provider="offline", model="gpt-4o-mini", temperature=0.2, max_tokens=300
        ),
        history=[
            crm_pb.Message(id="m1", direction=INBOUND, text="Interested in data science"),
            crm_pb.Message(id="r1", direction=OUTBOUND, text="Hi Rahul, ..."),
        ],
        pending=[
            crm_pb.Message(id="m2", direction=INBOUND, text="ok", channel=channel_pb2.CHANNEL_EMAIL),
            crm_pb.Message(
                id="m3", direction=INBOUND, text="fees?", channel=channel_pb2.CHANNEL_WHATSAPP_WEB
            ),
        ],
        knowledge=[
            conversations_pb.KnowledgeMatch(
                document=conversations_pb.KnowledgeDocument(
                    id="doc-ds", title="Data Science and AI", content="..."
                ),
                rank=0.4,
            )
        ],
    )


def test_the_request_answers_every_unanswered_message_after_the_history():
    request = compose_request(_context())

    assert [(m.from_lead, m.text) for m in request.history] == [
        (True, "Interested in data science"),
        (False, "Hi Rahul, ..."),
    ]
    assert request.inbound_text == "ok\nfees?"
    assert request.channel == channel_pb2.CHANNEL_WHATSAPP_WEB  # where the latest message came from
    assert [k.document_id for k in request.knowledge] == ["doc-ds"]
    assert (request.model.provider, request.model.max_tokens) == ("offline", 300)
    assert request.model.temperature == pytest.approx(0.2)
    assert (request.lead_name, request.lead_stage) == ("Rahul Kumar", "contacted")


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            ai_pb.ComposeReplyResponse(intent=ai_pb.INTENT_QUESTION, suggested_stage="qualified"),
            {"suggested_stage": "qualified", "hot": False, "enrolled": False, "hand_off": False},
        ),
        (
            ai_pb.ComposeReplyResponse(
                intent=ai_pb.INTENT_WANTS_CALL, hand_off=True, suggested_stage="qualified"
            ),
            {"suggested_stage": "qualified", "hot": True, "enrolled": False, "hand_off": True},
        ),
        (
            ai_pb.ComposeReplyResponse(intent=ai_pb.INTENT_ENROLLED, suggested_stage="enrolled"),
            {"suggested_stage": "", "hot": False, "enrolled": True, "hand_off": False},
        ),
        (
            # "I've paid": a counsellor confirms the payment before the lead is enrolled.
            ai_pb.ComposeReplyResponse(intent=ai_pb.INTENT_ENROLLED, hand_off=True),
            {"suggested_stage": "", "hot": False, "enrolled": False, "hand_off": True},
        ),
        (
            ai_pb.ComposeReplyResponse(intent=ai_pb.INTENT_QUESTION, suggested_stage="graduated"),
            {"suggested_stage": "", "hot": False, "enrolled": False, "hand_off": False},
        ),
    ],
)
def test_the_ai_reading_becomes_the_outcome(reply, expected):
    outcome = turn_outcome(reply, _context(), summarize_every_messages=10)

    assert {k: getattr(outcome, k) for k in expected} == expected
    assert list(outcome.answered_message_ids) == ["m2", "m3"]
    assert outcome.summarize_every_messages == 10


def test_an_unanswered_turn_stores_the_students_question():
    reply = ai_pb.ComposeReplyResponse(intent=ai_pb.INTENT_QUESTION, unanswered=True)

    assert turn_outcome(reply, _context(), 0).unanswered_question == "ok\nfees?"


def test_intent_names_are_the_reference_words():
    assert intent_name(ai_pb.INTENT_PRICE_OBJECTION) == "price_objection"
    assert intent_name(ai_pb.INTENT_UNSPECIFIED) == ""


def test_the_opt_out_confirmation_to_a_wrong_number_apologises_and_sells_nothing():
    text = opt_out_confirmation("Shvya Demo Academy", wrong_number=True)

    assert text.startswith("Sorry")
    assert "course" not in text


def test_a_wrong_number_is_read_from_the_messages_being_answered():
    context = conversations_pb.GetReplyContextResponse(
        pending=[crm_pb.Message(id="m1", text="galat number hai")]
    )

    assert answers_wrong_number(context)
