"""Payment claims and requests for a person, a call or a video call."""

from __future__ import annotations

import pytest

from shvya_language import asks_for_person, claims_payment


@pytest.mark.parametrize(
    "text",
    [
        "I've paid",
        "payment kar diya hai",
        "मैंने फीस भर दी है",
        "nenu fee kattanu",
        "done the payment, txn id 4432",
    ],
)
def test_a_payment_claim_is_read(text):
    assert claims_payment(text)


@pytest.mark.parametrize(
    "text", ["how do I pay?", "I will pay next week", "I haven't paid yet", "what are the payment options"]
)
def test_asking_about_paying_is_not_a_payment_claim(text):
    assert not claims_payment(text)


@pytest.mark.parametrize(
    "text",
    ["Am I talking to a bot?", "I want to talk to a human", "Can we do a video call?", "call me tomorrow at 5 pm",
     "kisi insaan se baat karwao", "मला कॉल करा"],
)  # fmt: skip
def test_a_request_for_a_person_or_a_call_is_read(text):
    assert asks_for_person(text)


@pytest.mark.parametrize("text", ["what is the data science fee?", "is the demo class free?"])
def test_an_ordinary_question_asks_for_no_person(text):
    assert not asks_for_person(text)


def test_a_tamil_verb_in_its_completed_form_claims_a_payment():
    assert claims_payment("பணம் கட்டிவிட்டேன்")


def test_asking_whether_a_machine_is_answering_hands_off():
    assert asks_for_person("is a machine answering me?")


def test_a_person_asked_for_with_the_verb_last_hands_off():
    assert asks_for_person("एखाद्या माणसाशी बोलायचं आहे")


def test_a_romanised_tamil_completed_payment_is_a_claim():
    assert claims_payment("naan kattivitten sir")


@pytest.mark.parametrize("text", ["please don't call me, chat is fine", "no need to call, just text the fee"])
def test_a_refused_call_asks_for_no_person(text):
    assert not asks_for_person(text)
