"""Rule-based reading of a student's message: intent and opt-out, in English and Hinglish.

The offline provider decides with these rules alone; the OpenAI provider uses
them as a safety net (an opt-out is honoured even if the model misses it).

Messages are normalised first (case, accents, curly quotes, stretched
letters, common misspellings and chat shorthand), then read by patterns in
a fixed order of precedence: an opt-out beats everything, a cancellation or
an enrolment beats interest, a call request beats a price objection, which
beats a plain question.
"""

from __future__ import annotations

import difflib
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
_FUZZY_CUTOFF = 0.85
_TOKEN = re.compile(r"[a-z']+|[^a-z'\s]+")


def _correct(token: str) -> str:
    if token in _SHORTHAND:
        return _SHORTHAND[token]
    if len(token) < 6 or token in _CANONICAL:
        return token
    for candidate in difflib.get_close_matches(token, _CANONICAL, n=2, cutoff=_FUZZY_CUTOFF):
        # An inflection ("contacted", "messaged") is a word, not a misspelling.
        if candidate[0] == token[0] and not token.startswith(candidate) and not candidate.startswith(token):
            return candidate
    return token


def normalise(text: str) -> str:
    """Lower-case, accents folded, quotes straightened, stretched letters and misspellings fixed."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").lower()
    folded = re.sub(r"([a-z])\1{2,}", r"\1", folded)  # "stoppp" -> "stop", "hiii" -> "hi"
    return " ".join(_correct(t) for t in _TOKEN.findall(folded))


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# -- opt-out -------------------------------------------------------------------

# A whole message that is an opt-out (the carrier keywords, and short forms).
_OPT_OUT_WHOLE = {
    "stop",
    "stop all",
    "stopall",
    "stop please",
    "please stop",
    "stop it",
    "stopp",
    "unsubscribe",
    "unsub",
    "cancel",
    "end",
    "quit",
    "opt out",
    "optout",
    "remove",
    "remove me",
    "block",
    "spam",
    "wrong number",
    "no calls",
    "no calls please",
    "mute",
    "dnd",
    "band",
    "band karo",
    "bandh karo",
    "bas",
    "bas karo",
}
_CONTACT = (
    r"(?:message|messages|messaging|text|texts|texting|sms|whatsapp|whatsapping|email|emails|emailing|"
    r"mail|mails|call|calls|calling|contact|contacting|spam|spamming|send|sending|ping|pinging|bother|"
    r"bothering|bug|bugging|disturb|disturbing|harass\w*|these|this|it|them|now|immediately|right now|already|"
    r"please)"
)
_OPT_OUT = _compile(
    [
        r"\bunsubscribe\b",
        r"\bunsub\b",
        r"\bopt[\s-]?(?:me )?out\b",
        r"\bcancel\w* (?:my |the |this |your )?(?:subscription|messages|alerts|notifications)\b",
        r"\bdnd\b|\bdo not disturb\b",
        r"\b(?:quit|cease|enough)\b[^.?!]{0,10}\b(?:messag\w*|text\w*|call\w*|contact\w*|spam\w*|send\w*)\b",
        r"\b(?:don't|do not|never) (?:want|wish|like) (?:to (?:receive|get) )?(?:any |these |your |more |the |such )*"
        r"(?:messages|message|texts|calls|emails|mails|whatsapps?|spam|sms|promotions?|promotional|updates)\b",
        r"\b(?:don't|do not) (?:wish|want) to (?:receive|get|hear)\b",
        r"\b(?:how|where) did you get my (?:number|details|contact)\b",
        r"\bremove (?:me )?from (?:your |the |this )?(?:list|database|group|contacts|mailing list)\b",
        rf"\bstop\b(?: \w+)? {_CONTACT}\b",
        r"^(?:stop\s*)+(?:[.!]|$)",
        r"\bstop\s*[.!]*$",
        r"\b(?:don't|do not|never|pls don't|please don't) (?:ever )?(?:message|text|contact|call|email|mail|"
        r"whatsapp|disturb|bother|spam|send|ping|sms|bug)\b(?:(?! (?:you|if)\b).)*$",
        r"\bno (?:more|further) (?:messages|message|texts|text|emails|calls|whatsapp|spam|sms)\b",
        r"^no (?:messages|texts|emails|calls|whatsapp|spam|sms)(?: (?:please|thanks|thank you))?\s*[.!]*$",
        r"\bremove (?:me|my (?:number|name|email|details|contact|data))\b",
        r"\b(?:take|delete|erase) (?:me|my (?:number|name|email|details|contact|data))\b",
        r"\b(?:remove|delete|erase) my (?:no|num|nmbr|numbr|nos)\b(?! (?:one|idea|problem|doubt)\b)",
        r"\b(?:take me off|off your list|out of your list)\b",
        r"\bleave me alone\b|\bgo away\b|\bget lost\b|\b(?:f+u?c?k|piss|buzz) off\b|\bf off\b",
        # Masked abuse: "f*** off", "f**k off", "f*ck off" (normalised to "f *** off", ...).
        r"\bf ?[*#@$%]+(?: ?[a-z]{1,3})? off\b",
        r"\bthis is spam\b|\byou(?:'re| are) spamming\b|\breport(?:ing)? (?:you|this|as spam)\b",
        r"\bwill (?:block|report)\b|\bblock(?:ing)? (?:you|this|your number)\b|, block\b|\bblock$",
        r"\b(?:block|report) kar ?(?:dunga|dungi|denge|doonga|doongi|dalunga|dalungi)\b",
        # The whole message stops the marketing: "Stop promotions" is Meta's opt-out button.
        r"^(?:please )?stop (?:the |these |your |all )?(?:promotions?|promotional(?: messages)?|marketing"
        r"(?: messages)?|ads|offers|updates|notifications)(?: please)?\s*[.!]*$",
        r"\bwho gave (?:you )?my (?:number|details|contact)\b",
        r"\bshut up\b|\bchup (?:raho|rho|kar\w*|baith\w*)\b",
        r"\bquit (?:it|this|that|now)\b|\bcut it out\b|\bknock it off\b|\benough is enough\b",
        r"\b(?:lose|forget|delete|erase) my (?:number|details|data|contact|email)\b|\bwrong person\b",
        r"\b(?:didn't|did not|never) (?:sign(?:ed)? up|register(?:ed)?|subscribe[d]?|opt(?:ed)? in|enquired|"
        r"inquired) (?:for (?:this|these|it|anything|any)|anywhere|with you)\b",
        r"\b(?:didn't|did not|never) (?:fill(?:ed)? (?:any|a|your|this) form|ask(?:ed)? for (?:this|these|it))\b",
        r"\bstop (?:pester\w*|harass\w*|stalk\w*|chasing)\b",
        r"\b(?:list|group|database|contacts) se (?:hata|nikal|remove|delete)\w*|"
        r"\b(?:mujhe|mera number|number|naam) (?:hata|hatao|nikal|nikalo)\w*\b",
        r"\b(?:pichha|peecha|picha|pecha) (?:chhod|chod)\w*\b",
        r"\bwrong number\b",
        # Hinglish: "band karo", "mat bhejo", "message mat karo", "pareshan mat karo", ...
        r"\bbandh? kar(?:o|do|dijiye|iye|na|en|ein)?\b",
        r"\bbandh? ho(?:na)? chahiye\b",
        r"\bmat bhej\w*",
        r"\b(?:message|messages|call|calls|phone|whatsapp|sms|contact|text|email|spam)\b[^.?!]{0,20}\b(?:mat|na)\b"
        r"(?: \w+)?(?: karo| kare| karna| kijiye| bhej\w*| kar)?\b",
        r"\bmat (?:karo|kariye|karna)\b[^.?!]{0,20}\b(?:message|messages|call|contact|whatsapp|sms)\b",
        r"\b(?:pareshan|disturb|tang|irritate) mat\b",
        r"\bbas kar(?:o|do|en|iye)?\b",
        r"\b(?:number|naam|details) (?:hata|delete|remove)\w*\b",
        r"\b(?:message|messages|call|calls|sms) nahi chahiye\b",
        r"\bnahi chahiye\b[^.?!]{0,15}\b(?:message|messages|call|calls)\b",
        r"\b(?:dobara|phir se|fir se|kabhi) (?:message|call|contact)\b",
    ]
)


# "Don't call, message me the details": a preference for one channel, not an opt-out.
_NEGATION = re.compile(r"\b(?:don't|do not|never|no|not|stop|mat|nahi|band|bandh|na)\b")
_WANTS_MESSAGES = re.compile(
    r"\b(?:message|text|whatsapp|email|mail|send|ping|sms) (?:me|us)\b|\bjust (?:message|text|whatsapp|email|mail)\b"
    r"|\b(?:message|text|whatsapp|email|mail) (?:instead|only)\b"
)


def _prefers_another_channel(t: str) -> bool:
    clauses = re.split(r"[,.;!?]|\b(?:but|just|instead|only)\b", t)
    return any(_WANTS_MESSAGES.search(c) and not _NEGATION.search(c) for c in clauses) or bool(
        re.search(r"\b(?:just|only) (?:message|text|whatsapp|email|mail)\b", t)
    )


def is_opt_out(text: str) -> bool:
    t = normalise(text)
    bare = " ".join(re.sub(r"[^a-z' ]", " ", t).split())
    if bare in _OPT_OUT_WHOLE:
        return True
    return bool(_OPT_OUT.search(t)) and not _prefers_another_channel(t)


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
        r"\bbakwas\w*\b|\bbekaa?r\b|\bghatiya\b|\bfaltu\b|\bchor\b",
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
        r"\b(?:mehe?nga|mahe?nga|mehnga|mahnga)\b|\bbahut (?:zyada|jyada)\b|\b(?:zyada|jyada) (?:hai|lag)\w*",
        r"\bcan'?t afford\b|\bcannot afford\b|\bunable to afford\b|\bafford nahi\b|\bnot affordable\b|"
        r"\bunaffordable\b",
        r"\b(?:out of|over|beyond|above) (?:my |our )?budget\b|\bbudget (?:nahi|kam|is low|issue|problem|tight|"
        r"constraint)\w*|\b(?:low|tight|limited|small) budget\b|\bno budget\b",
        r"\bdiscount\w*\b|\bscholarships?\b|\bconcession\b|\bcoupon\w*\b|\bcheaper\b|\bany offers?\b",
        r"\bearly ?bird\b|\boffer price\b|\b(?:special|festive|festival|student) (?:offer|price|discount)\b",
        r"\b\d+ ?% off\b|\b(?:fee|fees) waiver\b|\b(?:any|some) (?:reduction|waiver|rebate)\b",
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

_QUESTION = _compile(
    [
        r"\?",
        r"^(?:what|when|where|which|who|whom|whose|how|why|is|are|am|do|does|did|can|could|will|would|should|"
        r"shall|may|any|tell me (?:the|about the|what|when|how|if|whether))\b",
        r"\b(?:kya|kab|kaise|kaisa|kaun|kitna|kitne|kitni|kahan|kidhar|konsa|kaunsa|kyun|kyu|kis)\b",
        r"\b(?:fee|fees|price|cost|charges|emi|installments?|duration|timings?|schedule|syllabus|curriculum|"
        r"eligib\w*|prerequisites?|refund|placement|certificate|certification|recordings?|start date|"
        r"batch start|next batch|demo class)\b",
        r"\b(?:batao|bataiye|bataye|bata do|bata dijiye|bata sakte)\b",
        r"\b(?:hai|h|hoga|milega) ya\b|\bya (?:nahi|nhi)\b|\b(?:hai|milega|hoga|milenge|hain) kya\b",
        r"\bi (?:want|would like|need|wanted) to know\b|\blet me know\b|\bplease (?:tell|confirm|explain)\b",
        r"\b(?:can|could|should|may) (?:i|we)\b|\bis it possible\b|\bdo (?:i|we) need\b|\bam i eligible\b",
    ]
)


def is_hostile(text: str) -> bool:
    return bool(_HOSTILE.search(normalise(text)))


def wants_cancellation(text: str) -> bool:
    """The student wants to undo an enrolment (a counsellor must handle it)."""
    return bool(_CANCELLATION.search(normalise(text)))


def classify(text: str) -> str:
    """The intent of one student message, one of INTENTS."""
    t = normalise(text)
    if is_opt_out(text):
        return "opt_out"
    if _CANCELLATION.search(t):
        return "not_interested"
    if _ENROLLED.search(t) and not _NOT_ENROLLED_YET.search(t):
        return "enrolled"
    if _NOT_INTERESTED.search(t):
        return "not_interested"
    if _HOSTILE.search(t) and not (t.endswith("?") and _QUESTION.search(t.split()[0] if t else "")):
        return "not_interested"
    if _WANTS_CALL.search(t):
        return "wants_call"
    if _PRICE_OBJECTION.search(t):
        return "price_objection"
    if _QUESTION.search(t):
        return "question"
    return "interested"


def asks_price(text: str) -> bool:
    return bool(
        re.search(
            r"\b(?:fee|fees|price|pricing|cost|costs|charges|how much|kitna|kitne|kitni|kharcha|paise|rs)\b|₹",
            normalise(text),
        )
    )
