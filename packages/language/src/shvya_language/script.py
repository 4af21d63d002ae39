"""Indian scripts to Latin letters, spelt the way students write them in chat."""

from __future__ import annotations

import re
import unicodedata
import warnings
from functools import cache

# Unicode blocks of the scripts students write in, and aksharamukha's name for each.
_BLOCKS: tuple[tuple[int, int, str], ...] = (
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
)
# Scripts whose words drop their last inherent vowel in speech ("galata" is said "galat").
_SCHWA_DROPPING = {"Devanagari", "Bengali", "Gurmukhi", "Gujarati"}
# ISO 15919 letters to the plain Latin spellings of chat ("ś" is written "sh", "c" "ch").
_ISO_TO_CHAT = (
    ("ṃ", "n"), ("ṅ", "n"), ("ñ", "n"), ("ṇ", "n"), ("ṉ", "n"),
    ("ś", "sh"), ("ṣ", "sh"), ("r̥", "ri"), ("ṛ", "r"), ("ṟ", "r"), ("ḷ", "l"), ("ḻ", "zh"),
    ("ẏ", "y"), ("ḥ", ""), ("ŏ", "o"), ("ĕ", "e"), ("æ", "e"), ("ê", "e"), ("ô", "o"),
)  # fmt: skip
_RUN = re.compile(r"[\u0900-\u0D7F\u200c\u200d]+")
_VOWELS = "aāiīuūeēoōŏĕ"
_V = f"[{_VOWELS}]"
_C = rf"[^\W\d_{_VOWELS}]"
# The inherent vowel at the end of a word, and between two syllables ("kitanī" is said "kitnī").
_FINAL_SCHWA = re.compile(rf"(?<={_C})a$")
_MEDIAL_SCHWA = re.compile(rf"(?<={_V}{_C})a(?={_C}{_V})")


def script_of(char: str) -> str | None:
    code = ord(char)
    for low, high, name in _BLOCKS:
        if low <= code <= high:
            return name
    return None


@cache
def _transliterator():
    # aksharamukha builds its tables on first import (about a second): only when an
    # Indian script is first met, or when a service warms it at start.
    with warnings.catch_warnings():
        # Its sources compare strings with "is" and hold odd escapes (harmless here): when they are
        # first compiled the warnings would reach every log.
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        from aksharamukha import transliterate

    return transliterate.process


# A word in each script students write, to load its tables at start.
_SAMPLES = ("नमस्ते", "নমস্কার", "வணக்கம்", "నమస్తే", "ನಮಸ್ಕಾರ", "നമസ്കാരം", "નમસ્તે", "ਸਤਿ", "ନମସ୍କାର")


def warm() -> None:
    """Load the transliteration tables now, so that no student's message waits for them."""
    for sample in _SAMPLES:
        romanise(sample)


def _drop_schwa(word: str, medial: bool) -> str:
    if len(word) <= 2:
        return word
    word = _FINAL_SCHWA.sub("", word)
    if medial:
        # Right to left, one at a time: deleting one inherent vowel keeps the next one.
        for match in reversed(list(_MEDIAL_SCHWA.finditer(word))):
            at = match.start()
            if _MEDIAL_SCHWA.match(word, at):
                word = word[:at] + word[at + 1 :]
    return word


def _chat_spelling(iso: str, script: str) -> str:
    text = unicodedata.normalize("NFC", iso.lower())
    if script in _SCHWA_DROPPING:
        text = re.sub(r"[^\W\d_]+", lambda m: _drop_schwa(m.group(0), medial=script == "Devanagari"), text)
    # The nasal sign is said "m" before p, b and m; Bengali's at a word's end is "ng".
    text = re.sub(r"ṁ(?=[pbm])", "m", text)
    text = re.sub(r"ṁ\b", "ng" if script == "Bengali" else "n", text)
    text = text.replace("ṁ", "n")
    for letter, chat in _ISO_TO_CHAT:
        text = text.replace(letter, chat)
    # Long vowels and retroflex dots fold away: "ḍēṭā" is written "deta".
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    # Tamil writes s and ch with one letter, mostly said "s" in borrowed words ("mecej" is "message").
    return text.replace("c", "s") if script == "Tamil" else re.sub(r"c(?!h)", "ch", text)


# Words already romanised, per script: students reuse a small vocabulary, so most words of a
# message are here and only the new ones go through aksharamukha (milliseconds a call).
_WORDS: dict[tuple[str, str], str] = {}
_MAX_WORDS = 100_000


def _romanise_run(run: str, script: str) -> str:
    words = run.split()
    # A local copy: another thread may clear the shared cache meanwhile.
    known = {w: _WORDS.get((script, w)) for w in dict.fromkeys(words)}
    new = [w for w, latin in known.items() if latin is None]
    if new:
        done = _transliterator()(script, "ISO", " ".join(new)).split()
        if len(done) != len(new):  # a word split or merged: romanise them one by one
            done = [_transliterator()(script, "ISO", w).strip() for w in new]
        if len(_WORDS) > _MAX_WORDS:
            _WORDS.clear()
        for word, iso in zip(new, done, strict=True):
            known[word] = _WORDS[(script, word)] = _chat_spelling(iso, script)
    return " ".join(known[w] or w for w in words)


def romanise(text: str) -> str:
    """The text with every run of an Indian script written in Latin letters; the rest as it was."""

    def replace(match: re.Match[str]) -> str:
        run = match.group(0)
        script = next((s for s in map(script_of, run) if s), None)
        if script is None:
            return run
        return _romanise_run(run.replace("\u200c", "").replace("\u200d", ""), script)

    return _RUN.sub(replace, text)


def scripts_in(text: str) -> set[str]:
    """The Indian scripts the text uses."""
    return {s for s in map(script_of, text) if s}
