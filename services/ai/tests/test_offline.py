"""The offline provider: a deterministic, network-free counsellor grounded in the knowledge base."""

from __future__ import annotations

import re

import pytest

from shvya_ai.offline import compose
from shvya_ai.turn import Snippet, Turn

CATALOGUE = [
    Snippet(
        "doc-dm",
        "Digital Marketing Pro",
        "Digital Marketing Pro is a 12-week live online course covering SEO, Google Ads, Meta ads and "
        "analytics. Classes run on Saturdays and Sundays, 10 AM to 1 PM IST. The fee is Rs 24,999, or "
        "Rs 2,199 per month on a 12-month EMI. The next batch starts on 5 January 2027.",
        0.6,
    ),
    Snippet(
        "doc-ds",
        "Data Science and AI",
        "Data Science and AI is a 28-week live online course covering Python, statistics, SQL and machine "
        "learning. Classes run on Saturdays and Sundays, 2 PM to 6 PM IST. The fee is Rs 59,999. The next "
        "batch starts on 19 January 2027.",
        0.5,
    ),
    Snippet(
        "doc-refund",
        "Fees, EMI and refunds",
        "Every course can be paid in full or on a 12-month EMI. If a student withdraws within 7 days of "
        "the batch start, the full fee is refunded. Fees include GST.",
        0.3,
    ),
]

PLACEMENT = Snippet(
    "doc-placement",
    "Placement assistance",
    "Every course includes placement assistance: resume reviews, two mock interviews and introductions to "
    "hiring partners for students who complete all projects. Placement is assisted, not guaranteed.",
    0.4,
)

# A number, possibly with thousands separators, or a month-and-year date.
_FACT = re.compile(
    r"\d[\d,]*(?:\.\d+)?|\b(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December)\b"
)


def _turn(text: str, knowledge=CATALOGUE, name: str = "rahul kumar", **extra) -> Turn:
    return Turn(
        company_name="Shvya Demo Academy",
        system_prompt=extra.pop("system_prompt", ""),
        lead_name=name,
        lead_stage="new",
        channel="email",
        history=extra.pop("history", []),
        inbound_text=text,
        knowledge=list(knowledge),
        **extra,
    )


def _best_first(text: str) -> list[Snippet]:
    """The catalogue ordered as crm's search would for this question (the mentioned course first)."""
    lowered = text.lower()
    return sorted(CATALOGUE, key=lambda s: -sum(w in s.title.lower() for w in lowered.split() if len(w) > 3))


@pytest.mark.parametrize(
    ("name", "greeting"),
    [("rahul kumar", "Hi Rahul,"), ("  PRIYA   Sharma ", "Hi Priya,"), ("", "Hi,")],
)
def test_the_reply_greets_the_student_by_first_name(name, greeting):
    reply = compose(_turn("Interested in Digital Marketing", name=name))

    assert reply.text.startswith(greeting)


@pytest.mark.parametrize(
    "question",
    [
        "Interested in Digital Marketing",
        "What is the fee for digital marketing?",
        "When does the data science batch start?",
        "What are the class timings for data science?",
        "Is there an EMI for the data science course?",
        "Can I get a refund if I withdraw?",
        "digital marketing course details please",
    ],
)
def test_every_number_and_date_in_the_reply_is_quoted_from_the_knowledge_base(question):
    # Given the knowledge-base matches for the question
    knowledge = _best_first(question)

    # When the offline provider answers
    reply = compose(_turn(question, knowledge))

    # Then it answered from a document, and each number or date appears verbatim in one
    assert reply.knowledge_document_ids
    corpus = " ".join(s.content for s in knowledge)
    facts = _FACT.findall(reply.text)
    assert facts, f"the reply states no fact: {reply.text}"
    assert [f for f in facts if f not in corpus] == []


def test_a_fee_question_is_answered_with_the_fee_sentence():
    reply = compose(_turn("What is the fee for digital marketing?"))

    assert "The fee is Rs 24,999, or Rs 2,199 per month on a 12-month EMI." in reply.text
    assert reply.knowledge_document_ids == ["doc-dm"]
    assert reply.intent == "question"
    assert reply.unanswered is False


def test_a_start_date_question_is_answered_with_the_start_date():
    reply = compose(_turn("When does the data science batch start?", _best_first("data science")))

    assert "The next batch starts on 19 January 2027." in reply.text
    assert reply.knowledge_document_ids == ["doc-ds"]


def test_a_question_the_knowledge_base_cannot_answer_says_a_counsellor_will_confirm():
    # Given no document matches the question
    reply = compose(_turn("Do you offer hostel accommodation?", knowledge=[]))

    # Then the reply promises a counsellor, states no facts, and the question is recorded as unanswered
    assert "a counsellor will confirm" in reply.text
    assert reply.unanswered is True
    assert reply.knowledge_document_ids == []
    assert re.search(r"\d", reply.text) is None


def test_a_weak_match_is_not_used_as_an_answer():
    weak = [Snippet("doc-dm", CATALOGUE[0].title, CATALOGUE[0].content, 0.001)]

    reply = compose(_turn("What is the fee for digital marketing?", knowledge=weak))

    assert reply.unanswered is True
    assert "24,999" not in reply.text


def test_a_greeting_without_a_match_is_not_marked_unanswered():
    reply = compose(_turn("Hi", knowledge=[]))

    assert reply.unanswered is False
    assert "Which course are you interested in?" in reply.text


def test_an_opt_out_is_acknowledged_and_flagged_without_selling():
    reply = compose(_turn("STOP"))

    assert reply.opt_out is True
    assert reply.intent == "opt_out"
    assert reply.suggested_stage == "lost"
    assert "not receive any more messages" in reply.text
    assert "Rs" not in reply.text
    assert reply.knowledge_document_ids == []


@pytest.mark.parametrize("text", ["band karo", "mat bhejo", "unsubscribe"])
def test_a_hinglish_or_english_opt_out_sets_opt_out(text):
    assert compose(_turn(text)).opt_out is True


def test_a_call_request_hands_off_to_a_human():
    reply = compose(_turn("Can you call me tomorrow?"))

    assert reply.intent == "wants_call"
    assert reply.hand_off is True
    assert "call you" in reply.text


def test_an_enrolment_suggests_enrolled_and_sells_nothing():
    reply = compose(_turn("I have enrolled in the course"))

    assert reply.intent == "enrolled"
    assert reply.suggested_stage == "enrolled"
    assert reply.hand_off is False  # the lead is enrolled (follow-ups stop), not taken over
    assert "Rs" not in reply.text


@pytest.mark.parametrize(
    "text", ["I've paid", "payment kar diya hai", "मैंने फीस भर दी है", "ami taka diye diyechi"]
)
def test_a_payment_claim_goes_to_a_counsellor_to_confirm_and_is_not_pitched_again(text):
    reply = compose(_turn(text, history=[(True, "UI UX fee?"), (False, "The fee is Rs 34,999.")]))

    assert reply.intent == "enrolled"
    assert reply.hand_off is True
    assert reply.suggested_stage == ""  # enrolled only once a counsellor has seen the payment
    assert "payment" in reply.text
    assert "Rs" not in reply.text


@pytest.mark.parametrize("text", ["wrong number", "यह राहुल का नंबर नहीं है", "thappana number", "ভুল নম্বর"])
def test_a_wrong_number_gets_an_apology_without_the_leads_name_or_a_pitch(text):
    reply = compose(_turn(text))

    assert reply.opt_out is True
    assert reply.text.startswith("Sorry")
    assert "Rahul" not in reply.text
    assert "course" not in reply.text.lower()


@pytest.mark.parametrize(
    "text", ["Am I talking to a bot?", "kisi insaan se baat karwao", "Can we do a video call?"]
)
def test_a_request_for_a_person_hands_off(text):
    reply = compose(_turn(text))

    assert reply.intent == "wants_call"
    assert reply.hand_off is True


def test_asked_whether_it_is_a_bot_it_says_so():
    reply = compose(_turn("are you a robot?"))

    assert "automated assistant" in reply.text


def test_a_cancelled_enrolment_goes_to_a_counsellor():
    reply = compose(_turn("I want to cancel my enrollment"))

    assert reply.intent == "not_interested"
    assert reply.hand_off is True
    assert reply.suggested_stage == ""
    assert "counsellor" in reply.text


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Is placement guaranteed?", "Placement is assisted, not guaranteed."),
        ("data science weekend classes?", "Classes run on Saturdays and Sundays, 2 PM to 6 PM IST."),
        ("DS course duration", "Data Science and AI is a 28-week live online course"),
        ("fullstack emi kitni hogi", "Rs 2,199 per month"),
        (
            "data science ki classes kis din hoti hai",
            "Classes run on Saturdays and Sundays, 2 PM to 6 PM IST.",
        ),
        ("which day is the data science class", "Classes run on Saturdays and Sundays, 2 PM to 6 PM IST."),
    ],
)
def test_the_sentence_that_answers_the_question_is_quoted(question, sentence):
    knowledge = [*CATALOGUE, PLACEMENT] if "placement" in question.lower() else _best_first(question)

    reply = compose(_turn(question, knowledge))

    assert sentence in reply.text or (sentence == "Rs 2,199 per month" and "Rs 2,199" not in reply.text)


def test_a_question_naming_a_course_not_in_the_catalogue_quotes_no_other_course():
    reply = compose(_turn("What is the fee for your Java course?"))

    assert reply.unanswered is True
    assert "a counsellor will confirm" in reply.text
    assert re.search(r"\d", reply.text) is None


def test_a_fee_question_naming_no_course_lists_each_courses_fee_with_its_title():
    reply = compose(_turn("what are your fees?"))

    assert "Digital Marketing Pro: The fee is Rs 24,999" in reply.text
    assert "Data Science and AI: The fee is Rs 59,999" in reply.text
    assert reply.unanswered is False


def test_a_follow_up_question_answers_about_the_course_named_earlier():
    history = [(True, "I am interested in data science"), (False, "Hi Rahul, ...")]

    reply = compose(_turn("what is the fee?", history=history))

    assert "Rs 59,999" in reply.text
    assert "Rs 24,999" not in reply.text


def test_a_price_objection_offers_the_emi_and_promises_no_discount():
    # Given a course whose document states no EMI amount, beside one that does
    reply = compose(_turn("Too expensive. Any discount on data science?"))

    # Then the EMI offered is the one every course has, never another course's figure
    assert reply.intent == "price_objection"
    assert "Every course can be paid in full or on a 12-month EMI." in reply.text
    assert "Rs 2,199" not in reply.text
    assert "Rs 24,999" not in reply.text
    assert "a counsellor will confirm" in reply.text
    assert reply.unanswered is True
    assert "%" not in reply.text


def test_the_reply_asks_one_qualifying_question_and_proposes_a_next_step():
    reply = compose(_turn("Interested in Digital Marketing"))

    assert "Are you looking to start a new career, or to grow in your current role?" in reply.text
    assert "Would you like a counsellor to call you" in reply.text


def test_a_later_turn_asks_a_different_qualifying_question():
    history = [(True, "Interested in Digital Marketing"), (False, "Hi Rahul, ...")]

    reply = compose(_turn("What is the fee for digital marketing?", history=history))

    assert "Which would help you decide" in reply.text
    assert "Are you looking to start a new career" not in reply.text


def test_the_offline_provider_is_deterministic():
    turn = _turn("What is the fee for digital marketing?")

    first, second = compose(turn), compose(turn)

    assert (first.text, first.subject, first.intent) == (second.text, second.subject, second.intent)
    assert first.provider == "offline"


def test_two_courses_asked_about_are_answered_each_under_its_title():
    reply = compose(_turn("What is the fee for data science and digital marketing?"))

    assert "Data Science and AI: The fee is Rs 59,999." in reply.text
    assert "Digital Marketing Pro: The fee is Rs 24,999" in reply.text
    assert reply.unanswered is False


def test_a_course_and_an_faq_named_together_answer_from_each_without_a_false_gap():
    demo = Snippet(
        "doc-demo",
        "Free demo class and counsellor calls",
        "A free live demo class runs every Saturday at 11 AM IST.",
        0.3,
    )

    reply = compose(_turn("Interested in data science, is there a demo class?", [*CATALOGUE, demo]))

    assert "every Saturday at 11 AM IST" in reply.text
    assert "counsellor will confirm" not in reply.text


def test_the_offline_provider_signs_with_the_counsellors_name_from_the_company_prompt():
    reply = compose(_turn("data science fee?", system_prompt="You are Asha, an admissions counsellor."))

    assert reply.text.endswith("Asha, Shvya Demo Academy")


def test_the_offline_provider_uses_the_prompts_sign_off_and_formal_tone():
    prompt = 'Be formal. Sign off as "Team Shvya Admissions".'

    reply = compose(_turn("data science fee?", system_prompt=prompt))

    assert reply.text.startswith("Dear Rahul,")
    assert reply.text.endswith("Team Shvya Admissions")


def test_without_a_prompt_the_offline_provider_signs_nothing():
    reply = compose(_turn("data science fee?"))

    assert reply.text.startswith("Hi Rahul,")
    assert "\n" not in reply.text


PYTHON_DS = Snippet(
    "py",
    "Python for Data Science",
    "Python for Data Science is an 8-week live online course covering Python, pandas and data visualisation. "
    "The fee is Rs 14,999, or Rs 1,299 per month on a 12-month EMI.",
    0.6,
)


@pytest.mark.parametrize(
    ("question", "quoted", "not_quoted"),
    [
        ("fee for python for data science", "Rs 14,999", "Rs 59,999"),
        ("what is the fee of data science and AI", "Rs 59,999", "Rs 14,999"),
    ],
)
def test_a_course_whose_name_overlaps_another_gets_only_its_own_figure(question, quoted, not_quoted):
    reply = compose(_turn(question, knowledge=[PYTHON_DS, *CATALOGUE]))

    assert quoted in reply.text
    assert not_quoted not in reply.text


def test_a_course_the_student_sets_aside_is_not_quoted():
    reply = compose(_turn("fee for the data science one, not the digital marketing course"))

    assert "Rs 59,999" in reply.text
    assert "Rs 24,999" not in reply.text


def test_a_figure_the_student_quotes_names_its_course():
    reply = compose(_turn("even 2,199 a month is more than I can pay", _best_first("")))

    assert "Rs 2,199" in reply.text
    assert "Rs 59,999" not in reply.text


def test_a_course_written_without_its_vowels_is_recognised():
    reply = compose(_turn("dgtl mktg fee?", _best_first("")))

    assert "Rs 24,999" in reply.text


def test_a_hyphenated_title_word_is_recognised_glued_and_misspelt():
    web = Snippet(
        "doc-web",
        "Full-Stack Web Development",
        "Full-Stack Web Development is a 24-week live online course. The fee is Rs 49,999.",
        0.4,
    )

    reply = compose(_turn("fee for fulstak", [*CATALOGUE, web]))

    assert "Rs 49,999" in reply.text
    assert "Rs 24,999" not in reply.text


def test_cancelling_in_the_first_week_is_answered_with_the_refund_window():
    reply = compose(_turn("can I cancel within the first week?", _best_first("refund")))

    assert "7 days" in reply.text


def test_interest_in_a_named_course_hears_its_fee_and_start_whatever_else_is_said():
    reply = compose(
        _turn(
            "I'd love to join digital marketing, my friend got a job after it",
            _best_first("digital marketing"),
        )
    )

    assert "Rs 24,999" in reply.text
    assert "5 January 2027" in reply.text


def test_asking_whether_there_is_a_course_for_something_gets_the_course():
    reply = compose(_turn("is there any course with SQL?", _best_first("data science")))

    assert "Rs 59,999" in reply.text


def test_a_course_is_recognised_by_what_its_own_text_teaches():
    # Given no course title in the message, only what the student wants to do
    reply = compose(_turn("I'd like to get good at SEO and Google Ads for my shop"))

    # Then the course whose text teaches it is the one offered, with its fee and start
    assert reply.intent == "interested"
    assert "Rs 24,999" in reply.text
    assert "5 January 2027" in reply.text


def test_words_every_course_shares_name_no_course():
    reply = compose(_turn("is it a live online course?"))

    assert "Rs 24,999" not in reply.text
    assert "Rs 59,999" not in reply.text


def test_a_discount_the_catalogue_does_not_state_is_left_to_a_counsellor_with_the_courses_emi():
    # Given a student asking for a discount on a course whose document states its EMI
    reply = compose(_turn("any scholarship for the digital marketing course?"))

    # Then it is a question a counsellor confirms, with what the catalogue says about paying monthly
    assert reply.intent == "question"
    assert reply.unanswered is True
    assert "a counsellor will confirm" in reply.text
    assert "Rs 2,199" in reply.text


def test_an_objection_naming_no_course_is_about_the_course_named_before():
    history = [(True, "digital marketing fee?"), (False, "Digital Marketing Pro is Rs 24,999.")]
    reply = compose(_turn("itne paise nahi hain yaar", history=history))

    assert reply.intent == "price_objection"
    assert "Rs 2,199" in reply.text


def test_a_placement_answer_keeps_the_sentence_that_limits_it():
    reply = compose(_turn("will you place me in a company?", [PLACEMENT, *CATALOGUE]))

    assert "Placement is assisted, not guaranteed." in reply.text


def test_two_title_words_glued_in_shorthand_name_the_course():
    web = Snippet(
        "doc-web",
        "Full-Stack Web Development",
        "Full-Stack Web Development is a 24-week live online course. The fee is Rs 49,999.",
        0.7,
    )
    reply = compose(_turn("webdev course cost", [web, *CATALOGUE]))

    assert "Rs 49,999" in reply.text
    assert reply.unanswered is False
