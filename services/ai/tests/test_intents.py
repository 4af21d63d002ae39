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


@pytest.mark.parametrize(
    "text",
    ["f*** off", "F**k off!!", "just f*ck off", "block kar dunga agar message kiya", "report kar dungi",
     "Stop promotions", "stop marketing msgs", "stop the ads", "band kro ye sab", "remove my no.", "pls delete my num"],
)  # fmt: skip
def test_masked_abuse_block_threats_and_marketing_stops_are_opt_outs(text):
    assert is_opt_out(text)
    assert classify(text) == "opt_out"


@pytest.mark.parametrize(
    "text",
    [
        "seat block kar do please",
        "how do I stop ads from running on my store?",
        "what does f-off mean in SEO",
    ],
)
def test_seat_blocking_and_questions_about_ads_are_not_opt_outs(text):
    assert not is_opt_out(text)


def test_a_misspelt_fee_question_is_a_question():
    assert classify("digital marketing course ki fess") == "question"
    assert classify("fes for data science") == "question"


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


@pytest.mark.parametrize(
    "text",
    ["too expensive", "bahut mehenga hai", "I can't afford it", "costly, any scholarship?", "that's steep"],
)
def test_a_price_objection_is_recognised(text):
    assert classify(text) == "price_objection"


@pytest.mark.parametrize(
    "text", ["any discount?", "is there a scholarship for working people", "koi offer hai kya"]
)
def test_asking_for_a_discount_without_an_objection_is_a_question(text):
    assert classify(text) == "question"


def test_asking_for_the_emi_because_the_fee_cannot_be_paid_at_once_is_a_question():
    assert classify("I can't pay it all in one go so what would the monthly amount be") == "question"
    assert classify("I can't pay 40k in one go") == "price_objection"


def test_a_refused_call_is_not_a_request_for_one():
    assert classify("please don't call me, chat is better. what's the UI UX fee?") == "question"
    assert classify("no need to phone, just text me the fee") == "question"


@pytest.mark.parametrize("text", ["bohot zyada fees hai", "bht mehenga hai bhai"])
def test_a_price_objection_in_hinglish_spellings_is_recognised(text):
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


@pytest.mark.parametrize(
    "text",
    [
        "stp",
        "STOP!!!",
        "stoppp",
        "unsubscibe me",
        "UNSUSBCRIBE",
        "Opt me out",
        "cancel subscription",
        "no more msgs pls",
        "Kindly remove me from your mailing list",
        "I never signed up for this",
        "didnt fill any form",
        "lose my number",
        "stop pestering me",
        "quit it",
        "You are spamming my inbox",
        "who gave you my number?? stop texting me",
        "mera number hata do",
        "list se hata do mujhe",
        "pichha chhodo yaar",
        "phone mat karo",
        "kripya message na bheje",
        "Bhai kitni baar message karoge, band karo",
    ],
)
def test_opt_outs_in_many_wordings_are_recognised(text):
    assert is_opt_out(text)


@pytest.mark.parametrize(
    "text",
    [
        "Don't call, message me the details on whatsapp",
        "What is the fee? Also can you stop calling me, just message",
        "I never registered before, how do I sign up?",
        "No spam please, just send me the fee details",
        "no messages received yet, did you send the details?",
        "stop, I want the fee first",
        "Never contacted before, is this the right number for admissions?",
        "I didnt get the brochure",
    ],
)
def test_a_channel_preference_or_a_question_is_not_an_opt_out(text):
    assert not is_opt_out(text)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I want to cancel my enrollment", "not_interested"),
        ("I want to enroll, how do I pay?", "question"),
        ("I enrolled in another institute", "not_interested"),
        ("Booked my seat and paid the fee today", "enrolled"),
        ("I can't pay 35k at once", "price_objection"),
        ("Do you give 50% off for girls?", "question"),
        ("i m from commerce background can i learn data science", "question"),
        ("Have your counsellor contact me", "wants_call"),
        ("your course is a scam", "not_interested"),
    ],
)
def test_intents_that_turn_on_a_detail(text, intent):
    assert classify(text) == intent


def test_asking_for_a_named_courses_details_is_interest():
    assert classify("could you share the details of your design course?") == "interested"
    assert classify("could you share the fee details?") == "question"


def test_leaving_a_course_in_devanagari_is_not_an_insult():
    # "छोड़" (leave) romanises as "chor", which is also Hindi for "thief".
    assert classify("अगर मैं बीच में कोर्स छोड़ दूँ तो क्या होगा?") == "question"
    assert classify("tum log chor ho") == "not_interested"


@pytest.mark.parametrize(
    "text",
    ["if I find it is not for me after a week, is there a refund?", "not for me? then refund?"],
)
def test_leaving_imagined_in_a_question_is_a_question(text):
    assert classify(text) == "question"


@pytest.mark.parametrize(
    "text", ["the monthly EMI is more than we can afford", "கட்டணம் அதிகம்", "fees high hai"]
)
def test_a_price_said_to_be_beyond_the_student_is_an_objection(text):
    assert classify(text) == "price_objection"


@pytest.mark.parametrize("text", ["dobara mat likhiye", "so irritating, no more please"])
def test_asked_not_to_write_again_or_annoyed_with_no_more_is_an_opt_out(text):
    assert is_opt_out(text)
