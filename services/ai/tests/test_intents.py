"""Reading a student's message: intent and opt-out, in English and Hinglish (no network)."""

from __future__ import annotations

import pytest

from shvya_ai.intents import INTENTS, classify, is_opt_out


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "stop",
        "Stop.",
        "STOP ALL",
        "unsubscribe",
        "Please unsubscribe me",
        "please stop messaging me",
        "Don't message me again",
        "remove my number",
        "no more messages",
        "opt out",
        "band karo",
        "Band karo yaar",
        "message band karo",
        "mat bhejo",
        "ab message mat bhejo",
        "mujhe message mat karo",
        "pareshan mat karo",
    ],
)
def test_an_opt_out_is_recognised(text):
    assert is_opt_out(text)
    assert classify(text) == "opt_out"


@pytest.mark.parametrize(
    "text",
    [
        "I stopped working last year and want to learn coding",
        "Is there a bus stop near the centre?",
        "Can I stop the EMI midway?",
        "What time does the class end?",
        "Interested in the band of Data Science courses",
    ],
)
def test_a_message_that_merely_contains_stop_like_words_is_not_an_opt_out(text):
    assert not is_opt_out(text)
    assert classify(text) != "opt_out"


def test_an_opt_out_wins_over_every_other_intent():
    assert classify("Not interested, too expensive, stop messaging me") == "opt_out"


@pytest.mark.parametrize(
    "text",
    [
        "What is the fee?",
        "How much does the data science course cost?",
        "EMI options?",
        "fees kitni hai?",
        "kitne paise lagenge",
        "When does the next batch start?",
        "kab se shuru hai",
    ],
)
def test_a_price_or_schedule_question_is_a_question(text):
    assert classify(text) == "question"


@pytest.mark.parametrize(
    "text",
    [
        "call me",
        "Can you call me tomorrow?",
        "I want to talk to a counsellor",
        "call back please",
        "mujhe call karo",
        "phone pe baat karni hai",
    ],
)
def test_a_call_request_wants_a_call(text):
    assert classify(text) == "wants_call"


@pytest.mark.parametrize(
    "text",
    ["I have enrolled", "I enrolled yesterday", "payment done", "I've paid the fees", "admission ho gaya"],
)
def test_an_enrolment_is_recognised(text):
    assert classify(text) == "enrolled"


@pytest.mark.parametrize(
    "text", ["not interested", "I am no longer interested", "no thanks", "interest nahi hai", "nahi chahiye"]
)
def test_a_refusal_is_not_interested(text):
    assert classify(text) == "not_interested"


@pytest.mark.parametrize("text", ["too expensive", "bahut mehenga hai", "any discount?", "I can't afford it"])
def test_a_price_objection_is_recognised(text):
    assert classify(text) == "price_objection"


@pytest.mark.parametrize(
    "text", ["Interested in the Digital Marketing course", "Hi", "Hello, I want to join"]
)
def test_a_plain_enquiry_is_interest(text):
    assert classify(text) == "interested"


def test_curly_quotes_and_accents_do_not_hide_an_opt_out():
    assert classify("Please don\u2019t message me") == "opt_out"
    assert classify("STÓP") == "opt_out"


def test_every_classification_is_a_known_intent():
    samples = ["", "   ", "?", "12345", "🙏", "fees?", "STOP", "call me"]
    assert {classify(s) for s in samples} <= set(INTENTS)
