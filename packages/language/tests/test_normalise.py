"""One spelling for students' messages: Indian-language words glossed, chat shorthand folded."""

from __future__ import annotations

import pytest

from shvya_language.normalise import gloss, key, normalise


@pytest.mark.parametrize(
    ("text", "glossed"),
    [
        ("डेटा साइंस कोर्स की फीस कितनी है?", "data science course ki fee kitni hai ?"),
        ("டேட்டா சயின்ஸ் கோர்ஸ் கட்டணம் எவ்வளவு?", "data science course fee how much ?"),
        ("డేటా సైన్స్ కోర్సు ఫీజు ఎంత?", "data science course fee how much ?"),
        ("ডেটা সায়েন্স কোর্সের ফি কত?", "data science course of fee how much ?"),
        ("data science chi fee kiti ahe?", "data science of fee how much is ?"),
    ],
)
def test_a_fee_question_reads_the_same_in_every_script(text, glossed):
    assert normalise(text) == glossed


def test_romanised_spellings_of_one_word_share_a_key():
    assert key("thappaana") == key("thapana") == key("tappana")


def test_an_english_word_is_not_taken_for_an_indian_word_with_the_same_key():
    # "made" has the key of Marathi "madhe" (in); spelt as its own key it is looked up as spelt.
    assert gloss("i have made the payment") == "i have made the payment"


def test_accents_and_curly_quotes_are_folded_before_reading():
    assert normalise("STÓP") == "stop"
    assert normalise("don\u2019t") == "don't"


def test_chat_shorthand_is_spelt_out():
    assert normalise("pls dont msg me") == "please don't message me"


def test_a_word_is_read_by_its_stem_and_ending():
    assert normalise("कोर्सनंतर") == "course after"
    assert normalise("চাকরির") == "job of"


def test_an_english_word_keeps_an_ending_an_indian_language_also_has():
    assert normalise("I need a certificate") == "i need a certificate"


def test_a_hindi_word_is_not_read_as_its_telugu_homograph_in_latin_letters():
    assert normalise("batch kab chalu hoga") == "batch kab chalu hoga"


def test_words_written_without_their_vowels_are_spelt_out():
    assert normalise("nxt btch wen") == "next batch when"
    assert normalise("css and html") == "css and html"


@pytest.mark.parametrize(
    ("text", "glossed"),
    [
        ("মেশিন লার্নিং", "machine learning"),
        ("ఫుల్ స్టాక్ డెవలపర్", "full stack developer"),
        ("रिएक्ट", "react"),
    ],
)
def test_english_words_an_indian_script_spells_by_sound_are_read_as_english(text, glossed):
    assert normalise(text) == glossed


def test_an_unknown_short_script_word_is_not_taken_for_an_english_one():
    assert normalise("तुम") == "tum"


def test_an_english_word_with_a_script_ending_is_read_by_its_sound():
    assert normalise("डेव्हलपमेंटसाठी") == "development for"


def test_tamil_vendum_is_wanting_not_refusing():
    assert "don't" not in normalise("எனக்கு விவரம் வேண்டும்")


@pytest.mark.parametrize("text", ["हर बैच में कितने छात्र", "ప్రతి బ్యాచ్‌లో విద్యార్థులు", "প্রতি ব্যাচে ছাত্রছাত্রী"])
def test_the_word_for_students_is_read_in_each_language(text):
    assert "students" in normalise(text)


def test_how_many_is_read_in_bengali():
    assert "how many students" in normalise("কতজন ছাত্র")


@pytest.mark.parametrize(
    ("text", "spelt"),
    [
        ("ux dsgn nxt bach", "ux design next batch"),
        ("ds clas timng", "ds class timing"),
        ("dm amt kb", "dm amount kab"),
    ],
)
def test_words_with_letters_dropped_are_spelt_out(text, spelt):
    assert normalise(text) == spelt


@pytest.mark.parametrize("word", ["class", "register", "css", "sop"])
def test_a_word_of_its_own_is_not_taken_for_a_longer_one(word):
    assert normalise(word) == word


def test_a_shortened_word_is_never_read_as_a_word_of_consent():
    # "cling" drops letters of "calling" and "sedng" of "sending": neither may make a stop.
    assert normalise("stop cling sedng") == "stop cling sedng"


@pytest.mark.parametrize(
    ("text", "glossed"),
    [
        ("டிஜிட்டல் மார்க்கெட்டிங் அடுத்த பேட்ச் எப்போது?", "digital marketing next batch when ?"),
        ("ডেটা সায়েন্সের পরের ব্যাচ কবে?", "data science of next batch when ?"),
        ("फुल स्टॅकची पुढची बॅच कधी आहे?", "full stack of next of batch when is ?"),
    ],
)
def test_the_next_batch_is_asked_for_in_every_script(text, glossed):
    assert normalise(text) == glossed


def test_a_c_before_e_sounds_as_s_in_an_english_word_a_script_spells():
    assert normalise("பிளேஸ்மென்ட்") == "placement"
