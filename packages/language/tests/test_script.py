"""Indian scripts in Latin letters, spelt as students write them in chat."""

from __future__ import annotations

import pytest

from shvya_language.script import romanise, scripts_in


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("गलत नंबर", "galat nambar"),  # the last inherent vowel is not said; the nasal before b is m
        ("कितनी", "kitni"),  # nor one between two syllables
        ("मैसेज मत भेजो", "maisej mat bhejo"),
        ("ভুল নম্বর", "bhul nambar"),
        ("நிறுத்துங்கள்", "niruttunkal"),
        ("మెసేజ్", "mesej"),
    ],
)
def test_each_script_is_written_the_way_chat_writes_it(text, latin):
    assert romanise(text) == latin


def test_latin_text_and_digits_are_left_as_they_are():
    assert romanise("UI UX fee 34,999 ₹ ok") == "UI UX fee 34,999 ₹ ok"


def test_a_mixed_message_romanises_only_its_indian_script():
    assert romanise("data science की fees") == "data science ki fees"


def test_the_scripts_of_a_message_are_named():
    assert scripts_in("data science की fees, ফি কত") == {"Devanagari", "Bengali"}
