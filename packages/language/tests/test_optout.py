"""Opt-outs and wrong numbers in every language; negated and unrelated stops are not opt-outs."""

from __future__ import annotations

import pytest

from shvya_language import is_opt_out, is_wrong_number


@pytest.mark.parametrize(
    "text",
    [
        "STOP",
        "मैसेज मत भेजो",
        "मला मेसेज करू नका",
        "எனக்கு மெசேஜ் அனுப்ப வேண்டாம்",
        "naaku message pampakandi",
        "আমাকে মেসেজ পাঠাবেন না",
        "message bondho korun",
    ],
)
def test_a_direct_opt_out_is_read_in_every_language(text):
    assert is_opt_out(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm sick of your texts",
        "Seriously, enough already",
        "why do you keep messaging me",
        "kitni baar message karoge",
        "please stop following up, I've decided",
        "I joined elsewhere, no need to follow up",
        "no further communication please",
    ],
)
def test_an_indirect_opt_out_is_read(text):
    assert is_opt_out(text)


@pytest.mark.parametrize(
    "text",
    [
        "Don't stop sending me updates, I'm interested",
        "I don't want to unsubscribe, just busy this week",
        "message band mat karo, fees batao",
        "Can I pause my EMI for a month?",
        "Will the classes stop during Diwali?",
        "Is there a bus stop near the centre?",
        "message na bheja kya?",
        "no need to call, just message me the fee",
        "don't stop following up with me, I'm interested",
        "can you follow up on my application?",
    ],
)
def test_a_negated_or_unrelated_stop_is_not_an_opt_out(text):
    assert not is_opt_out(text)


@pytest.mark.parametrize(
    "text", ["wrong number", "ye Amit ka number nahi hai", "चुकीचा नंबर आहे", "தவறான எண்", "bhul number"]
)
def test_a_wrong_number_is_read_and_is_an_opt_out(text):
    assert is_wrong_number(text)
    assert is_opt_out(text)


def test_a_question_about_numbers_is_not_a_wrong_number():
    assert not is_wrong_number("what number should I call for the demo?")


@pytest.mark.parametrize(
    "text",
    [
        "sms aapakandi, course details pampandi",  # Telugu: "don't stop"
        "whatsapp band karu naka",  # Marathi: "don't stop"
        "call nirutha vendam, I want the details",  # Tamil: "no need to stop"
    ],
)
def test_a_stop_negated_after_its_verb_is_not_an_opt_out(text):
    assert not is_opt_out(text)


@pytest.mark.parametrize("text", ["calls pannatheenga", "whatsapp anuppaatheenga", "ఇంక చాలు, మెసేజ్ విసిగించకండి"])
def test_a_negative_imperative_is_read_whatever_its_verb(text):
    assert is_opt_out(text)


def test_asking_to_keep_messaging_is_not_a_complaint_about_messages():
    assert not is_opt_out("keep messaging, I'm travelling this week")
    assert is_opt_out("you guys keep messaging me")


def test_a_stop_asked_back_and_refused_is_not_an_opt_out():
    assert not is_opt_out("Stop?? Nope. Send me the syllabus")


def test_a_complaint_about_the_messages_closed_by_enough_is_an_opt_out():
    assert is_opt_out("your texts every morning at 7, enough")


def test_someone_elses_number_is_a_wrong_number():
    assert is_wrong_number("this is someone else's phone")


@pytest.mark.parametrize(
    "text", ["ye number mere bhai ka hai", "I just got this sim, its previous owner gave you the number"]
)
def test_a_number_that_is_a_relatives_or_a_previous_owners_is_a_wrong_number(text):
    assert is_wrong_number(text)


def test_a_telugu_wrong_number_is_read():
    assert is_wrong_number("తప్పు నంబర్ అండి")


@pytest.mark.parametrize(
    "text",
    [
        "not annoying at all, no more questions, I will join",
        "previous owner of the course laptop? no, fees please",
    ],
)
def test_annoyance_denied_or_an_owner_of_something_else_is_no_opt_out(text):
    assert not is_opt_out(text)


@pytest.mark.parametrize("text", ["your calls are not annoying", "enough said, send the fees"])
def test_messages_said_not_to_annoy_or_enough_said_is_no_opt_out(text):
    assert not is_opt_out(text)


@pytest.mark.parametrize(
    "text",
    [
        "I would appreciate it if you stopped messaging me",
        "it would be better if you didn't text me again",
        "I'd rather not receive any more of these",
        "I would prefer not to be contacted",
        "Oh wonderful, yet another reminder",
    ],
)
def test_a_polite_or_sarcastic_opt_out_is_read(text):
    assert is_opt_out(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd rather not pay the whole fee at once, is there an EMI?",
        "I would prefer not to get into debt for this",
        "I'd be grateful if you didn't call during office hours",
        "please don't call, WhatsApp is fine. What is the DM fee?",
        "great, another batch is starting!",
        "great, another message from you, what is the fee?",
        "I'd appreciate it if you stopped sending me the wrong course details, I want data science",
    ],
)
def test_a_preference_or_a_polite_question_is_not_an_opt_out(text):
    assert not is_opt_out(text)
