"""Students' messages in one spelling: Unicode, Indian scripts, their romanised forms, chat shorthand.

`normalise` is what every reader of a message starts from (intents, opt-outs,
hand-offs, knowledge-base search): NFKC, then every run of an Indian script
in Latin letters, then the words of Hindi, Marathi, Tamil, Telugu and Bengali
(in script or romanised) glossed in English, then case, accents, quotes,
stretched letters, chat shorthand and misspellings folded. The glossary is
data (data/gloss.json), loaded once on first use.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from importlib import resources

from shvya_language import script

# Chat shorthand and frequent misspellings, word for word.
_SHORTHAND = {
    "pls": "please",
    "plz": "please",
    "plss": "please",
    "plzz": "please",
    "msg": "message",
    "msgs": "messages",
    "msging": "messaging",
    "msgng": "messaging",
    "msgin": "messaging",
    "messeging": "messaging",
    "mesaging": "messaging",
    "texing": "texting",
    "stp": "stop",
    "sotp": "stop",
    "stpo": "stop",
    "sstop": "stop",
    "mssg": "message",
    "txt": "text",
    "txts": "texts",
    "u": "you",
    "ur": "your",
    "r": "are",
    "wat": "what",
    "wht": "what",
    "whats": "what is",
    "wen": "when",
    "hw": "how",
    "cal": "call",
    "bak": "back",
    "dont": "don't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "havent": "haven't",
    "cant": "can't",
    "wont": "won't",
    "im": "i'm",
    "ive": "i've",
    "thx": "thanks",
    "ty": "thanks",
    "abt": "about",
    "info": "information",
    "nhi": "nahi",
    "nai": "nahi",
    "nahin": "nahi",
    "krna": "karna",
    "kro": "karo",
    "kr": "kar",
    "karo.": "karo",
    "mujhko": "mujhe",
    "mjhe": "mujhe",
    "fess": "fees",
    "fes": "fees",
    "feez": "fees",
    "bohot": "bahut",
    "bahot": "bahut",
    "boht": "bahut",
    "bht": "bahut",
    "bhot": "bahut",
    # The common SMS forms of a few words that dropping vowels or letters does not explain.
    "amt": "amount",
    "kb": "kab",
    "bcz": "because",
    "coz": "because",
    "cuz": "because",
    "tmrw": "tomorrow",
    "frm": "from",
    "when's": "when is",
    "where's": "where is",
}
# Words a misspelling is corrected to (same first letter, close enough).
_CANONICAL = (
    "unsubscribe",
    "interested",
    "interest",
    "enrolled",
    "enrollment",
    "registered",
    "admission",
    "expensive",
    "counsellor",
    "discount",
    "scholarship",
    "installment",
    "message",
    "messages",
    "messaging",
    "contact",
    "whatsapp",
    "spamming",
    "texting",
    "sending",
    "calling",
    "placement",
    "affordable",
    "afford",
    "budget",
    "payment",
)
# Words SMS writers drop the vowels of ("nxt btch", "hw mch"), beside the corrected ones.
_ABBREVIATED = (
    *_CANONICAL,
    "much",
    "next",
    "batch",
    "when",
    "what",
    "fees",
    "course",
    "class",
    "classes",
    "start",
    "details",
    "price",
    "please",
    "number",
    "thanks",
    "timing",
    "months",
    "online",
)
# Words a hurried writer drops letters of ("bach", "timng", "clas"), corrected only to these: never to
# a word of the consent vocabulary, so a shortened word can never make a stop.
_CONSENT_WORDS = frozenset(
    ("unsubscribe", "message", "messages", "messaging", "contact", "whatsapp", "spamming", "texting",
     "sending", "calling")
)  # fmt: skip
_ENQUIRY = (
    *(w for w in _ABBREVIATED if w not in _CONSENT_WORDS),
    "amount",
    "timings",
    "batches",
    "starting",
    "design",
    "schedule",
    "duration",
    "syllabus",
    "certificate",
    "weekend",
    "weekday",
)
_FUZZY_CUTOFF = 0.85
_TOKEN = re.compile(r"[a-z']+|[^a-z'\s]+")
_VOWELS = set("aeiouy")


def abbreviates(short: str, word: str) -> int | None:
    """How many consonants of `word` a vowel-less `short` leaves out, if it is that word written
    without its vowels ("dgtl" digital, "mktg" marketing, "btch" batch); None if it is not."""
    if len(short) < 3 or not short.isalpha() or _VOWELS & set(short) or short[0] != word[0]:
        return None
    consonants = [c for c in word if c not in _VOWELS]
    gap = len(consonants) - len(short)
    # Three letters name a word only exactly ("css" is not "class"); longer ones may drop a few more.
    if gap > (0 if len(short) == 3 else 2):
        return None
    it = iter(consonants)
    return gap if all(c in it for c in short) else None


# A shortened word keeps this share of the word's letters at least: "bach" (batch), "timng" (timing).
_SHORTENED_MIN_SHARE = 0.65
_SHORTENED_MIN = 4
_INFLECTIONS = frozenset(("s", "es", "ed", "d", "ing", "er", "ers", "ment", "ments", "ly"))


def shortens(short: str, word: str) -> int | None:
    """How many letters of `word` a shorter `short` leaves out, if it is that word with a few letters
    dropped ("bach" batch, "timng" timing, "clas" class, "pric" price), keeping its first and last
    letters (a dropped final "e" aside) in order; None if it is not. Four letters at least, since
    three name too many words this way."""
    if len(short) < _SHORTENED_MIN or not short.isalpha() or short == word or short[0] != word[0]:
        return None
    if len(short) < _SHORTENED_MIN_SHARE * len(word) or len(short) >= len(word):
        return None
    if len(short) > _SHORTENED_MIN and word.startswith(short) and word[len(short) :] in _INFLECTIONS:
        return None  # a word of its own ("class", "register"), not "classes" or "registered" shortened
    for target in (word, word[:-1] if word.endswith("e") else ""):
        if target and short[-1] == target[-1]:
            it = iter(target)
            if all(c in it for c in short):
                return len(word) - len(short)
    return None


def expand_abbreviation(short: str, words: Iterable[str], *, shortened: bool = True) -> str | None:
    """The word of `words` that `short` abbreviates most closely (fewest letters left out): written
    without its vowels ("dgtl"), or, with `shortened`, with a few letters dropped ("bach")."""
    scored = []
    for word in words:
        gap = abbreviates(short, word)
        if gap is None and shortened:
            gap = shortens(short, word)
        if gap is not None:
            scored.append((gap, word))
    return min(scored)[1] if scored else None


def _correct(token: str) -> str:
    if token in _SHORTHAND:
        return _SHORTHAND[token]
    expanded = expand_abbreviation(token, _ABBREVIATED, shortened=False) or expand_abbreviation(
        token, _ENQUIRY
    )
    if expanded is not None:
        return expanded
    if len(token) < 6 or token in _CANONICAL:
        return token
    for candidate in difflib.get_close_matches(token, _CANONICAL, n=2, cutoff=_FUZZY_CUTOFF):
        # An inflection ("contacted", "messaged") is a word, not a misspelling.
        if candidate[0] == token[0] and not token.startswith(candidate) and not candidate.startswith(token):
            return candidate
    return token


def _latin_normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").lower()
    folded = re.sub(r"([a-z])\1{2,}", r"\1", folded)  # "stoppp" -> "stop", "hiii" -> "hi"
    return " ".join(_correct(t) for t in _TOKEN.findall(folded))


# -- glossing ---------------------------------------------------------------------

_SCRIPT_RUN = re.compile(r"[\u0900-\u0D7F\u200c\u200d]+(?:[\s,.?!]+[\u0900-\u0D7F\u200c\u200d]+)*")
_GLOSS_TOKEN = re.compile(r"[a-z0-9']+|[^\sa-z0-9']+")
_MAX_PHRASE = 5
LATIN = "Latin"
_DEVOICED = {"Tamil"}


def key(word: str, devoice: bool = False) -> str:
    """One spelling for the ways a word is romanised: "thappaana", "tappana" and "thapana" meet.

    With `devoice`, for Tamil script, which writes t and d (k and g, p and b) with one letter."""
    k = word.lower()
    k = k.replace("ph", "f")
    if devoice:
        # Tamil writes English f as its p ("phone" is "pon"), so f folds to p too.
        k = k.translate(str.maketrans("dgbf", "tkpp")).replace("w", "v").replace("z", "j")
    k = re.sub(r"(?<=[bdgjkt])h|^(?=x)x", "", k)
    k = k.replace("sh", "s").replace("ee", "i").replace("oo", "u")
    return re.sub(r"(.)\1+", r"\1", k)


@cache
def _glossary() -> dict[str, dict[str, str]]:
    """Glosses by the script they apply to (LATIN for Latin letters), keyed by `key`."""
    data = json.loads(resources.files("shvya_language").joinpath("data/gloss.json").read_text("utf-8"))
    tables: dict[str, dict[str, str]] = {LATIN: {}}
    tables[LATIN].update({key(k): v for k, v in data["loanwords"].items()})
    for language in data["languages"].values():
        tables[LATIN].update({key(k): v for k, v in language.get("words", {}).items()})
    for language in data["languages"].values():
        for name in language["scripts"]:
            devoice = name in _DEVOICED
            table = tables.setdefault(name, {key(k, devoice): v for k, v in data["loanwords"].items()})
            for group in ("words", "script_only"):
                table.update({key(k, devoice): v for k, v in language.get(group, {}).items()})
    return tables


# A Latin-letter word is only cut at an ending this long once folded: shorter ones end too many
# English words ("certificate" is not "certific" and a Tamil "-aathe").
_LATIN_SUFFIX_MIN = 4
# A negative imperative is read as "don't" whatever its verb, if the ending is unmistakable: in an
# Indian script always, in Latin letters when it is this long.
_LATIN_NEGATIVE_MIN = 5
_MIN_STEM = 2
# Vowels a stem takes back before it is looked up ("nirutt" is found as "niruttu", "aap" as "aapu").
_STEM_VOWELS = ("", "u", "a", "i")


@cache
def _suffixes() -> dict[str, tuple[tuple[str, str], ...]]:
    """Endings by the script they apply to (LATIN: every language's longer endings), longest first."""
    data = json.loads(resources.files("shvya_language").joinpath("data/gloss.json").read_text("utf-8"))
    tables: dict[str, dict[str, str]] = {LATIN: {}}
    for language in data["languages"].values():
        endings = language.get("suffixes", {})
        tables[LATIN].update({key(k): v for k, v in endings.items() if len(key(k)) >= _LATIN_SUFFIX_MIN})
        for name in language["scripts"]:
            devoice = name in _DEVOICED
            tables.setdefault(name, {}).update({key(k, devoice): v for k, v in endings.items()})
    return {name: tuple(sorted(t.items(), key=lambda kv: -len(kv[0]))) for name, t in tables.items()}


def _stem_gloss(word: str, table_name: str) -> str | None:
    """A word glossed by its stem and ending ("korsanantar" is "course after"), if its stem is known."""
    devoice = table_name in _DEVOICED
    folded = key(word, devoice)
    table = _glossary().get(table_name, _glossary()[LATIN])
    for ending, meaning in _suffixes().get(table_name, ()):
        if not folded.endswith(ending) or len(folded) - len(ending) < _MIN_STEM:
            continue
        stem = folded[: -len(ending)]
        found = next((table[stem + v] for v in _STEM_VOWELS if stem + v in table), None)
        if found is None and table_name != LATIN and len(consonants(stem)) >= _SOUNDED_MIN:
            # An English word with the script's ending ("devhalapmentachi" is "development of").
            found = _sounded(devoice).get(consonants(stem, devoice))
        if found is not None:
            return f"{found} {meaning}".strip()
    for ending, meaning in _suffixes().get(table_name, ()):
        # "pannatheenga" is "don't (do)" though "pann" is not in the glossary.
        if (
            meaning == "don't"
            and folded.endswith(ending)
            and len(folded) - len(ending) > _MIN_STEM
            and (table_name != LATIN or len(ending) >= _LATIN_NEGATIVE_MIN)
        ):
            return f"{folded[: -len(ending)]} {meaning}"
    return None


@cache
def _exact_latin() -> dict[str, str]:
    data = json.loads(resources.files("shvya_language").joinpath("data/gloss.json").read_text("utf-8"))
    exact = {k.lower(): v for k, v in data["loanwords"].items()}
    for language in data["languages"].values():
        exact.update({k.lower(): v for k, v in language.get("words", {}).items()})
    return exact


# Letters an Indian script spells an English sound with, folded with the English spellings of it.
# A "c" before e, i or y sounds as s ("placement" is "plesment" in a script), else as k.
_SOUND_FOLDS = (("tch", "ch"), ("chh", "s"), ("ch", "s"), ("sh", "s"), ("ph", "f"), ("ck", "k"), ("ce", "se"),
                ("ci", "si"), ("cy", "si"), ("c", "k"), ("q", "k"), ("x", "ks"), ("z", "j"), ("w", "v"),
                ("ng", "n"))  # fmt: skip
# A single word is matched by its consonants only when it has this many: fewer meet too many words.
_SOUNDED_MIN = 3


# Tamil writes b, d, g and j with the letters of p, t, k and s: "batch" is written "pets".
_DEVOICED_SOUNDS = str.maketrans("bdgjf", "ptksp")


def consonants(word: str, devoice: bool = False) -> str:
    """The consonants of a word as it sounds ("staik", "styak" and "stack" are all "stk")."""
    k = word.lower()
    for spelt, sound in _SOUND_FOLDS:
        k = k.replace(spelt, sound)
    k = re.sub(r"[aeiouyh\W\d]", "", k)
    if devoice:
        k = k.translate(_DEVOICED_SOUNDS)
    return re.sub(r"(.)\1+", r"\1", k)


@cache
def _sounded(devoice: bool = False) -> dict[str, str]:
    """English words and phrases Indian scripts spell by sound, keyed by their consonants."""
    data = json.loads(resources.files("shvya_language").joinpath("data/gloss.json").read_text("utf-8"))
    table: dict[str, str] = {}
    for english in data.get("sounded", ()):
        skeleton = " ".join(consonants(w, devoice) for w in english.split())
        if " " in skeleton or len(skeleton) >= _SOUNDED_MIN:
            table.setdefault(skeleton, english)
    return table


def _sounded_like(words: list[str], devoice: bool = False) -> str | None:
    """The English word or two-word phrase these script words sound like, if the glossary knows one."""
    return _sounded(devoice).get(" ".join(consonants(w, devoice) for w in words))


def _sounded_pair(pair: list[str], table_name: str) -> str | None:
    """The English phrase two script words sound like, the second perhaps with the script's ending
    ("phul stekachi" is "full stack of")."""
    devoice = table_name in _DEVOICED
    found = _sounded_like(pair, devoice)
    if found is not None:
        return found
    folded = key(pair[1], devoice)
    for ending, meaning in _suffixes().get(table_name, ()):
        if folded.endswith(ending) and len(folded) - len(ending) >= _MIN_STEM:
            found = _sounded_like([pair[0], folded[: -len(ending)]], devoice)
            if found is not None:
                return f"{found} {meaning}".strip()
    return None


def gloss(text: str, table_name: str = LATIN) -> str:
    """Latin-letter text with the Indian-language words it knows replaced by English glosses."""
    table = _glossary().get(table_name, _glossary()[LATIN])
    tokens = _GLOSS_TOKEN.findall(text.lower())
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for n in range(min(_MAX_PHRASE, len(tokens) - i), 0, -1):
            words = tokens[i : i + n]
            if not all(w[0].isalpha() for w in words):
                continue
            phrase = " ".join(words)
            folded = key(phrase, table_name in _DEVOICED)
            # In Latin letters a word spelt as its own key is looked up as spelt: the key would
            # make English words of some ("made" would meet Marathi "madhe").
            if table_name == LATIN and folded == phrase:
                found = _exact_latin().get(phrase)
            else:
                found = table.get(folded)
            if found is not None:
                out.append(found)
                i += n
                break
        else:
            # Words of an Indian script that the glossary lacks may be English spelt by sound
            # ("phul staik" is "full stack"); in Latin letters they would be English already.
            pair = tokens[i : i + 2]
            if table_name != LATIN and len(pair) == 2 and all(w.isalpha() for w in pair):
                found = _sounded_pair(pair, table_name)
                if found is not None:
                    out.append(found)
                    i += 2
                    continue
            stemmed = _stem_gloss(tokens[i], table_name) if tokens[i][0].isalpha() else None
            if stemmed is None and table_name != LATIN and tokens[i].isalpha():
                stemmed = _sounded_like([tokens[i]], table_name in _DEVOICED)
            out.append(stemmed if stemmed is not None else tokens[i])
            i += 1
    return " ".join(out)


def _latin(text: str) -> str:
    """Accents folded ("STÓP" is "STOP"); only outside Indian scripts, whose vowel signs are combining marks."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _gloss_all(text: str) -> str:
    """Each run of an Indian script romanised and glossed with its languages' words; Latin text with all."""
    parts: list[str] = []
    at = 0
    for match in _SCRIPT_RUN.finditer(text):
        parts.append(gloss(_latin(text[at : match.start()])))
        run = match.group(0)
        name = next((s for s in map(script.script_of, run) if s), LATIN)
        parts.append(gloss(script.romanise(run), name))
        at = match.end()
    parts.append(gloss(_latin(text[at:])))
    return " ".join(p for p in parts if p)


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower-case Latin text in one spelling, Indian-language words glossed in English."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return _latin_normalise(_gloss_all(text))
