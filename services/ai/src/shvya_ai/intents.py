"""Rule-based reading of a student's message: intent and opt-out, in English and Hinglish.

The offline provider decides with these rules alone; the OpenAI provider uses
them as a safety net (an opt-out is honoured even if the model misses it).
"""

from __future__ import annotations

import re
import unicodedata

INTENTS = (
    "interested",
    "question",
    "price_objection",
    "wants_call",
    "enrolled",
    "not_interested",
    "opt_out",
)

# Whole-message opt-outs: the classic carrier keywords.
_OPT_OUT_EXACT = {
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "optout",
    "opt out",
    "stop please",
}

_OPT_OUT = [
    r"\bunsubscribe\b",
    r"\bopt(?:[\s-]?out)\b",
    r"\bstop (?:messag|text|send|contact|call|spamm|bother|whatsapp|email|mail)\w*",
    r"\b(?:don'?t|do not|dont|never) (?:message|text|contact|call|email|mail|whatsapp|disturb|bother) me\b",
    r"\bno (?:more )?(?:messages|msgs|texts|emails|calls)\b",
    r"\bremove (?:me|my (?:number|name|email))\b",
    r"\btake me off\b",
    r"\b(?:leave me alone)\b",
    r"\bstop it\b",
    r"\bstop\b[.!]*$",
    r"^\s*stop\b",
    # Hinglish: "band karo", "mat bhejo", "message mat karo", "pareshan mat karo", ...
    r"\bband kar(?:o|do|dijiye|iye|na)?\b",
    r"\bbandh kar(?:o|do|dijiye)?\b",
    r"\bmat bhej(?:o|iye|na|en)?\b",
    r"\bmat kar(?:o|iye|na)\b.*\b(?:message|msg|call|contact)\b",
    r"\b(?:message|msg|messages|call|calls|contact)\b.*\bmat (?:kar(?:o|iye|na)?|bhej(?:o|iye)?)\b",
    r"\bpareshan mat\b",
    r"\bdisturb mat\b",
    r"\bnahi chahiye\b.*\b(?:message|msg|call)\b",
    r"\b(?:message|msg|messages)\b.*\bnahi chahiye\b",
]

_ENROLLED = [
    r"\b(?:i(?:'ve| have)?|we(?:'ve| have)?) (?:just )?(?:enrolled|registered|joined|signed up|paid)\b",
    r"\b(?:payment|fees?) (?:done|paid|completed|kar di|kar diya|ho gay[ai])\b",
    r"\b(?:enroll?ed|admission (?:done|ho gaya|le li))\b",
    r"\bjoin kar (?:liya|li)\b",
    r"\bpay kar (?:diya|di)\b",
]

_NOT_INTERESTED = [
    r"\bnot interested\b",
    r"\bno longer interested\b",
    r"\bnot (?:looking|planning)\b",
    r"\b(?:interest|interested) nahi\b",
    r"\bnahi (?:chahiye|karna|lena)\b",
    r"\b(?:joined|chose|took) (?:another|a different|some other)\b",
    r"\bmaybe later\b|\bnot now\b|\bnext year\b",
    r"\bno thanks\b|\bno,? thank you\b",
]

_WANTS_CALL = [
    r"\bcall me\b",
    r"\b(?:can|could|please|pls|plz) (?:you )?(?:call|ring|phone)\b",
    r"\b(?:give|gimme) (?:me )?a (?:call|ring)\b",
    r"\b(?:talk|speak) (?:to|with) (?:a |someone|somebody|counsell?or|human|person|agent|advisor)",
    r"\bcall (?:back|kar(?:o|do|iye|ein|en|na)?)\b",
    r"\bphone (?:pe|par) baat\b",
    r"\bbaat kar(?:ni|na|wa)?\b",
    r"\bcallback\b|\bcall-back\b",
    r"\bschedule (?:a )?call\b|\bbook (?:a )?call\b",
]

_PRICE_OBJECTION = [
    r"\btoo (?:expensive|costly|much|high)\b",
    r"\b(?:very|bahut|bohot|bahot|kaafi) (?:expensive|costly|mehenga|mehnga|zyada|jyada)\b",
    r"\b(?:mehenga|mehnga|mahanga)\b",
    r"\bcan'?t afford\b|\bcannot afford\b|\bafford nahi\b",
    r"\bout of (?:my )?budget\b|\bbudget (?:nahi|kam|is low|issue|problem)\b|\bover (?:my )?budget\b",
    r"\b(?:any|koi) (?:discount|scholarship|offer|concession)\b",
    r"\bdiscount\b|\bcheaper\b|\bless (?:fee|price)\b|\bkam (?:karo|kar do|ho sakta)\b",
]

_PRICE_QUESTION = [
    r"\b(?:fee|fees|price|pricing|cost|costs|charges|emi|instal+ments?|payment|pay)\b",
    r"\bkitn[ae] (?:ka|ki|ke|hai|paise|rupees?)?\b|\bkitne? (?:paise|rs|rupees?)\b",
    r"\bhow much\b",
    r"\brs\.?\s?\d|₹|\binr\b",
]

_QUESTION = [
    r"\?",
    r"^(?:what|when|where|which|who|how|is|are|do|does|can|will|should|could|would)\b",
    r"\b(?:kya|kab|kaise|kaun|kitna|kitne|kahan|kidhar|konsa|kaunsa)\b",
    r"\b(?:tell me|details|detail|info|information|syllabus|curriculum|duration|timing|timings|batch|schedule|"
    r"placement|certificate|eligib\w*|prerequisite\w*|refund|demo|trial)\b",
    r"\bbatao\b|\bbataiye\b|\bbata (?:do|dijiye|sakte)\b|\bjaankari\b|\bjankari\b",
]


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_OPT_OUT_RE = _compile(_OPT_OUT)
_ENROLLED_RE = _compile(_ENROLLED)
_NOT_INTERESTED_RE = _compile(_NOT_INTERESTED)
_WANTS_CALL_RE = _compile(_WANTS_CALL)
_PRICE_OBJECTION_RE = _compile(_PRICE_OBJECTION)
_PRICE_QUESTION_RE = _compile(_PRICE_QUESTION)
_QUESTION_RE = _compile(_QUESTION)


def normalise(text: str) -> str:
    """Lower-case, accents folded, curly quotes straightened, whitespace collapsed."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(folded.lower().split())


def is_opt_out(text: str) -> bool:
    t = normalise(text)
    bare = re.sub(r"[^a-z ]", "", t).strip()
    if bare in _OPT_OUT_EXACT:
        return True
    return bool(_OPT_OUT_RE.search(t))


def asks_price(text: str) -> bool:
    return bool(_PRICE_QUESTION_RE.search(normalise(text)))


def classify(text: str) -> str:
    """The intent of one student message, one of INTENTS."""
    t = normalise(text)
    if is_opt_out(t):
        return "opt_out"
    if _ENROLLED_RE.search(t):
        return "enrolled"
    if _NOT_INTERESTED_RE.search(t):
        return "not_interested"
    if _PRICE_OBJECTION_RE.search(t):
        return "price_objection"
    if _WANTS_CALL_RE.search(t):
        return "wants_call"
    if _QUESTION_RE.search(t) or _PRICE_QUESTION_RE.search(t):
        return "question"
    return "interested"
