"""Rule-based reading of a student's message: intent, opt-out and hand-off, in any language it reads.

The offline provider decides with these rules alone; the OpenAI provider uses
them as a safety net (an opt-out is honoured even if the model misses it).

Messages are normalised first by shvya_language (Indian scripts romanised,
Indian-language words glossed in English, case, accents, quotes, stretched
letters, misspellings and chat shorthand), then read by patterns in a fixed
order of precedence: an opt-out (or a wrong number) beats everything, a
payment claim, a cancellation or an enrolment beats interest, a request for
a person or a call beats a price objection, which beats a plain question.
"""

from __future__ import annotations

import re

import shvya_language as language
from shvya_language import normalise

INTENTS = (
    "interested",
    "question",
    "price_objection",
    "wants_call",
    "enrolled",
    "not_interested",
    "opt_out",
)


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# -- opt-out -------------------------------------------------------------------


def is_opt_out(text: str) -> bool:
    return language.is_opt_out(text)


# -- the other intents -----------------------------------------------------------

_CANCELLATION = _compile(
    [
        r"\bcancel\w* (?:my |the |our )?(?:enrollment|enrolment|admission|registration|seat|course|booking|"
        r"application|plan)\b",
        r"\b(?:enrollment|admission|registration|seat) cancel\w*",
        r"\b(?:withdraw|drop out|back out|pull out) (?:from|of) (?:the|my|this) (?:course|batch|program)\b",
    ]
)

_ENROLLED = _compile(
    [
        r"\b(?:i|we|i've|i have|we have|i just|i already|i've just|have)\b[^.?!]{0,12}\b(?:enrolled|registered|"
        r"joined|signed up|paid|made (?:the )?payment|completed (?:the )?payment|bought|purchased|taken admission|"
        r"took admission)\b",
        r"^(?:just )?(?:enrolled|registered|joined|paid|signed up)\b",
        r"\b(?:payment|fees?|amount)\b[^.?!]{0,15}\b(?:done|made|completed|successful|paid|transferred|"
        r"ho gay[ai]|ho chuk[ai]|kar di(?:ya)?|bhar di(?:ya)?|bhar d[ie]|jama kar\w*|de di(?:ya)?|submit\w*)\b",
        r"\b(?:enrollment|admission|registration)\b[^.?!]{0,10}\b(?:done|complete|completed|confirmed|"
        r"ho gay[ai]|le li(?:ya)?|ho chuk[ai])\b",
        r"\b(?:completed|done with|finished|made|did|have done)\b[^.?!]{0,5}\b(?:the |my )?(?:registration|"
        r"payment|enrollment|enrolment|admission)\b",
        r"\bjoin kar (?:liya|li|chuka|chuki)\b",
        r"\b(?:booked|reserved|blocked|confirmed|secured) (?:my|a|the|our) seats?\b",
        r"\bpaid (?:the|my|our|first|full) (?:fee|fees|amount|emi|installment|registration)\b",
        r"\bpay kar (?:diya|di|chuka|chuki)\b",
        r"\bfees? bhar\w*",
    ]
)
# "I want to enrol", "how do I pay", "I joined another institute": not enrolled here.
_NOT_ENROLLED_YET = _compile(
    [
        r"\b(?:want|wanna|wish|like|planning|plan|going|ready|hoping|trying|how|can|could|should|will|"
        r"before|if|when|where|chahta|chahti)\b[^.?!]{0,15}\b(?:enrol\w*|register\w*|join\w*|pay\w*|sign up)",
        r"\b(?:another|other|different|elsewhere|somewhere else)\b",
    ]
)

_HOSTILE = _compile(
    [
        r"\bscam\w*\b|\bfraud\w*\b|\bfake\b|\bcheat\w*\b|\bliars?\b|\buseless\b|\bwaste of (?:money|time)\b",
        r"\brubbish\b|\bnonsense\b|\bpathetic\b|\bworst\b|\bidiots?\b|\bstupid\b",
        # "chor" (thief) only as a name for someone: Devanagari "chhod" (leave) romanises to "chor" too.
        r"\bbakwas\w*\b|\bbekaa?r\b|\bghatiya\b|\bfaltu\b|\bchor (?:ho|hai|hain|log|company|institute)\b"
        r"|\b(?:tum|aap|you|sab|ye|yeh) (?:log |sab |are |r )?chor\b",
    ]
)

_NOT_INTERESTED = _compile(
    [
        r"\bnot (?:at all )?interested\b|\bno longer interested\b|\blost interest\b|\bno interest\b",
        r"\b(?:interest|interested) nahi\b|\bnahi (?:hai )?interest\w*\b",
        r"\bnahi (?:chahiye|karna|lena|karunga|karungi|krna|join)\b|\bkoi (?:course|interest) nahi\b",
        r"\b(?:course|courses|admission) nahi (?:karna|lena|chahiye)\b",
        r"\b(?:joined|enrolled|chose|chosen|took|taken|going with|went with|signed up|decided on|found|selected)"
        r"\b[^.?!]{0,25}\b(?:another|other|a different|some other|different|elsewhere|somewhere else)\b",
        r"\bmaybe later\b|\bnot now\b|\bnext year\b|\bsome other time\b|\blater dekh\w*\b|\babhi nahi\b|"
        r"\bbaad (?:me|mein) (?:dekh|bata|sochenge)\w*\b|\bnot (?:right )?now\b",
        r"\bno thanks?\b|\bno,? thank you\b|^(?:nope|nah|no)\b[.!]*$|\bnot for me\b|\bi'?ll pass\b|"
        r"\bi will pass\b|\bnot required\b|\bdon't need\b|\bdo not need\b|\bno need\b",
        r"\bchanged my mind\b|\bi (?:don't|do not) want (?:it|this|the course|to join|any)\b|\bnot anymore\b",
        r"\bnot (?:looking|planning|keen)\b|\bno longer (?:need|want|looking)\b",
        r"\b(?:decided|chosen|choose|going) not to (?:join|enrol\w*|take|do|buy|go)\b|\bwon't (?:be )?join\w*\b",
        r"\b(?:time|samay) nahi\b|\bno time\b|\btoo busy\b",
        r"\brehne do\b|\bchhodo\b|\bchodo\b",
        r"^(?:i'?m|i am|all) good\b[^?]*$|\b(?:don't|do not) think (?:this|it)(?:'s| is) for me\b",
        r"\bnot (?:for|suitable for) me\b",
    ]
)

_WANTS_CALL = _compile(
    [
        r"\bcall (?:me|us|back|karo|kar(?:o|do|iye|ein|en|na|ke)?|please|asap|now|tomorrow|today)\b",
        r"\bcallback\b|\bcall-back\b|\bring me\b|\bphone (?:me|karo|kar(?:o|do|iye|na)?)\b",
        r"\b(?:can|could|would|will|please|kindly)\b[^.?!]{0,25}\b(?:call|ring|phone)\b(?! (?:you|center|centre|"
        r"timings?)\b)",
        r"\b(?:give|gimme) (?:me )?a (?:call|ring)\b",
        r"\b(?:talk|speak|discuss|chat)\b[^.?!]{0,20}\b(?:to|with|over|on)\b[^.?!]{0,10}\b(?:someone|somebody|"
        r"counsell?or|advisor|adviser|human|person|agent|expert|team|phone|call|mentor|executive|representative)\b",
        r"\bover (?:the )?(?:phone|call)\b|\bon (?:a |the )?(?:phone|call)\b",
        r"\b(?:phone|call) (?:pe|par|pr)\b",
        r"\bbaat (?:kar(?:ni|na|wa|wao|o|iye|a do|ao)|ho sakti|kara)\w*",
        r"\b(?:schedule|book|arrange|set up|fix)\b[^.?!]{0,10}\b(?:call|meeting|appointment|session with)\b",
        r"\bmy (?:phone )?number is\b",
        r"\b(?:contact|reach out to|get in touch with|connect with) me\b",
        r"\b(?:counsell?or|someone|somebody|team|advisor|expert)\b[^.?!]{0,10}\b(?:contact|call|ring|reach)\b",
    ]
)

_PRICE_OBJECTION = _compile(
    [
        r"\b(?:too|very|so|really|quite|bit|little|extremely) (?:expensive|costly|high|much|pricey|steep|heavy)\b",
        r"\bexpensive\b|\bcostly\b|\bpricey\b|\boverpriced\b",
        # A figure answered with a verdict: "34,999 for UI UX? that's steep", "it is a lot".
        r"\b(?:that's|that is|thats|it's|it is|this is) (?:\w+ )?(?:steep|a lot|too much|way too much|high)"
        r"(?=\s*(?:[.!?,]|$|for (?:me|us|a|my)\b|yaar|bro))",
        r"\b(?:fee|fees|price|cost|emi|amount)\w* (?:is|are|seems|looks|feels) (?:too |very |so |a bit |quite |really |"
        r"little )?(?:high|much|steep|heavy|a lot)\b",
        r"\b(?:mehe?nga|mahe?nga|mehnga|mahnga)\b|\bbahut (?:zyada|jyada)\b|\b(?:zyada|jyada) (?:hai|lag)\w*",
        r"\bcan'?t afford\b|\bcannot afford\b|\bunable to afford\b|\bafford nahi\b|\bnot affordable\b|"
        r"\bunaffordable\b",
        r"\b(?:out of|over|beyond|above) (?:my |our )?budget\b|\bbudget (?:nahi|kam|is low|issue|problem|tight|"
        r"constraint)\w*|\b(?:low|tight|limited|small) budget\b|\bno budget\b",
        r"\bcheaper\b",
        r"\bmore than (?:i|we) can (?:manage|pay|afford|handle|spend)\b|\bstill (?:a lot|too much|high|expensive)\b",
        r"\b(?:fee|fees|price|cost|emi)\w* (?:very |too )?high$|\b(?:fee|fees|price|cost|emi)\w* (?:very |too )?high "
        r"(?:is|hai)\b",
        r"\b(?:a lot of|lots of|too much) money\b|\b(?:paisa|paise|money|funds?) (?:nahi|nhi|not|isn't|is not)\b"
        r"|\b(?:nahi|itna) (?:paisa|paise)\b",
        r"\bless (?:fee|fees|price|amount)\b|\breduce (?:the )?(?:fee|fees|price)\b",
        r"\b(?:can|could) (?:only )?(?:pay|afford|spend) (?:a )?(?:maximum|max|only|up ?to|at most|around)\b",
        r"\b(?:can't|cannot|unable to|not able to|can not) pay\b|\b(?:at once|in one go|one shot|ek saath|ek sath)\b",
        r"\b(?:kam|km) (?:karo|kar do|kijiye|ho sakta|ho sakti|ho jaye|hoga)\b|\bthoda kam\b",
        r"\bwhy (?:is|are) (?:it|the fees?|your (?:fees?|course|price)|yours)\b[^.?!]{0,15}\b(?:so|that) "
        r"(?:high|much|costly|expensive)\b",
    ]
)

_AT_ONCE = re.compile(
    r"\b(?:at once|in one go|one shot|ek saath|ek sath|all at once|full amount|whole amount|in full)\b"
)
# A question word anywhere: a run-on asks late ("...so what would it be per month").
_ASKS = re.compile(r"\b(?:what|how|is there|are there|can i|could i|do you|kitna|kitni|kitne|kya)\b")
_ASKS_INSTALMENTS = re.compile(
    r"\b(?:emis?|installments?|instalments?|monthly|per month|months?|mahine|mahina|kist\w*|part payments?)\b"
)

# Asking for a discount, a scholarship or an offer asks what the catalogue may not say; it is an
# objection only beside one ("too costly, any scholarship?"), so it reads as a question on its own.
_ASKS_DISCOUNT = _compile(
    [
        r"\bdiscount\w*\b|\bscholarships?\b|\bconcessions?\b|\bcoupon\w*\b|\bany offers?\b|\bearly ?bird\b",
        r"\boffer price\b|\b(?:special|festive|festival|student) (?:offer|price|discount)\b",
        r"\b\d+ ?% off\b|\b(?:fee|fees) waiver\b|\b(?:any|some) (?:reduction|waiver|rebate)\b",
    ]
)

_QUESTION = _compile(
    [
        r"\?",
        r"^(?:what|when|where|which|who|whom|whose|how|why|is|are|am|do|does|did|can|could|will|would|should|"
        r"shall|may|any|tell me (?:the|about the|what|when|how|if|whether))\b",
        r"\b(?:kya|kab|kaise|kaisa|kaun|kitna|kitne|kitni|kahan|kidhar|konsa|kaunsa|kyun|kyu|kis)\b",
        # Glossed Indian languages put the question word late: "data science when start will".
        r"\b(?:how much|how many|when|what time|is there|what is|from which|which (?:date|day|days|time|batch))\b[^.!]*$",
        # "I want to know when it starts" asks; "I want to know about the course" is interest.
        r"\b(?:i was wondering|wanted to (?:know|check|ask)|want to (?:know|check|ask)|need to know)\b"
        r"(?! (?:about|more)\b)",
        r"\b(?:fee|fees|price|cost|charges|emi|installments?|duration|timings?|schedule|syllabus|curriculum|"
        r"eligib\w*|prerequisites?|refund|placement|certificate|certification|recordings?|start date|"
        r"batch start|next batch|demo class)\b",
        r"\b(?:start\w*|joining|batch|course|class) dates?\b",
        r"\b(?:batao|bataiye|bataye|bata do|bata dijiye|bata sakte)\b",
        r"\b(?:hai|h|hoga|milega) ya\b|\bya (?:nahi|nhi)\b|\b(?:hai|milega|hoga|milenge|hain) kya\b",
        r"\bi (?:want|would like|need|wanted) to know\b|\blet me know\b|\bplease (?:tell|confirm|explain)\b",
        r"\b(?:can|could|should|may) (?:i|we)\b|\bis it possible\b|\bdo (?:i|we) need\b|\bam i eligible\b",
    ]
)


# Asking for a course's details, a brochure or what is on offer, with nothing particular asked: interest.
_ASKS_FOR_DETAILS = _compile(
    [
        # Of something named: "send me the brochure?" alone asks for a thing, not about a course.
        r"\b(?:share|send|give|tell|show|forward|mail|email)\b[^.?!]{0,25}\b(?:details|detail|information|"
        r"brochure|prospectus|more) (?:of|for|on|about|regarding)\b",
        r"\bwhat (?:do|does|can) (?:you|your \w+) offer\b|\b(?:details|information|brochure) (?:of|on|about|for|regarding)\b",
        r"\b(?:guide|advise) (?:me|us)\b",
    ]
)
_PARTICULAR = re.compile(
    r"\b(?:fee|fees|price|cost|charges|emi|installments?|duration|timings?|schedule|syllabus|curriculum|eligib\w*|"
    r"prerequisites?|refund|placement|certificate|certification|recordings?|start\w*|when|how much|how many|"
    r"how long|what time|which|kab|kitna|kitni|kitne|batch starts?|next batch)\b"
)


# Seeking a course rather than one fact of it: "is there a course for that?", "tell me about the web
# dev bootcamp", "want to switch to analytics", "what's the program like?". Interest, when the
# catalogue has such a course and nothing particular is asked.
_SEEKS_COURSE = _compile(
    [
        r"\b(?:is there|do you have|do you offer|do you teach|any) (?:a |an |any )?(?:course|program|programme|"
        r"training|class|bootcamp)\b",
        r"\bwhich (?:course|program|programme|one)\b[^.?!]{0,20}\b(?:fits?|suits?|best|right|good|should)\b",
        r"\btell me (?:more )?about\b|\bwhat(?:'s| is) (?:the|this|your|that) (?:course|program|programme|"
        r"bootcamp|training)\b[^.?!]{0,10}\blike\b",
        r"\b(?:want|wanna|wish|would love|love|looking|planning|keen|hoping)\w*(?: to)? (?:learn|study|do|join|"
        r"get into|switch|move|become|build|design|make|pursue|start learning|know (?:about|more))\b",
        r"\binterested in\b|\b(?:seekh|sikh)\w*|\bdetails\b",
        r"\b(?:ke )?(?:bare|baare) (?:me|mein|men|main) (?:batao|bataiye|bataye|bata do|bata dijiye|jankari|jaankari)\b",
    ]
)


def seeks_a_course(text: str) -> bool:
    """The message looks for a course; whether it also asks one thing about it is the caller's to read."""
    return bool(_SEEKS_COURSE.search(normalise(text)))


# A stop echoed and waved away ("stop? no no, continue", "why would I unsubscribe?") asks nothing.
_ECHOED_STOP = re.compile(
    r"\b(?:why would (?:i|we) )?(?:stop|unsubscribe|block|opt out|quit|leave)\s*\?(?=\s*(?:no|nahi|never|"
    r"i want|i am|i'm|please|continue|keep)\b)"
)


def is_hostile(text: str) -> bool:
    return bool(_HOSTILE.search(normalise(text)))


def wants_cancellation(text: str) -> bool:
    """The student wants to undo an enrolment (a counsellor must handle it)."""
    return bool(_CANCELLATION.search(normalise(text)))


# Leaving imagined, not decided: "if it's not for me, can I get a refund?" asks about the refund.
_HYPOTHETICAL = _compile(
    [
        r"^(?:and |but |so )?(?:if|what if|suppose|in case)\b[^?]*\?\s*$",
        r"\b(?:refund\w*|money back|paisa wapas|paise wapas)\b[^.!]*\?\s*$",
    ]
)


def classify(text: str) -> str:
    """The intent of one student message, one of INTENTS."""
    t = normalise(text)
    if is_opt_out(text):
        return "opt_out"
    if _HYPOTHETICAL.search(t):
        return "question"
    if _CANCELLATION.search(t):
        return "not_interested"
    if language.claims_payment(text):
        return "enrolled"
    if _ENROLLED.search(t) and not _NOT_ENROLLED_YET.search(t):
        return "enrolled"
    # "Don't call, message me" and "no need to call" refuse a call, not the course, and ask for none.
    uncalled = language.without_refused_calls(t)
    if _NOT_INTERESTED.search(uncalled):
        return "not_interested"
    if _HOSTILE.search(t) and not (t.endswith("?") and _QUESTION.search(t.split()[0] if t else "")):
        return "not_interested"
    if _WANTS_CALL.search(uncalled) or language.asks_for_person(text):
        return "wants_call"
    if _PRICE_OBJECTION.search(t):
        # "I can't pay it all at once, what is the EMI?" asks for the EMI: the reason is not an objection.
        if _AT_ONCE.search(t) and _ASKS_INSTALMENTS.search(t) and (_QUESTION.search(t) or _ASKS.search(t)):
            return "question"
        return "price_objection"
    if _ASKS_DISCOUNT.search(t):
        return "question"
    if _ASKS_FOR_DETAILS.search(t) and not _PARTICULAR.search(t):
        return "interested"
    if _QUESTION.search(_ECHOED_STOP.sub(" ", t)):
        return "question"
    return "interested"


def asks_price(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:fee|fees|price|pricing|cost|costs|charges|how much|kitna|kitne|kitni|kharcha|paise|rs)\b|₹",
            normalise(text),
        )
    )
