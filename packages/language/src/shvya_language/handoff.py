"""Messages a counsellor must take over: a payment claimed, a person, a call or a video call asked for."""

from __future__ import annotations

import re

from shvya_language.normalise import normalise


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


_PAID_VERB = (
    r"(?:paid|payed|pay done|payment (?:done|did|made|kar\w*|ho gay\w*|complete\w*)|transferred|transfered|deposited|"
    r"sent (?:the |you the )?(?:money|amount|fees?|payment)|made (?:the )?payment|done (?:the )?payment|"
    r"completed (?:the )?payment|pay kar (?:diya|di|diye|chuka|chuki|dia)|bhar (?:di|diya|diye|dia)|"
    r"jama kar (?:di|diya|diye|dia)|bhej (?:diya|diye|di|dia)|transfer kar (?:diya|di|diye|dia)|"
    r"kar (?:di|diya|diye|dia) (?:payment|pay|transfer)|i have paid)"
)
_PAID = _compile(
    [
        rf"\b(?:i|we|i've|i have|we have|maine|mene|humne|already|just|have)\b[^.?!]{{0,30}}\b{_PAID_VERB}",
        rf"^(?:ok(?:ay)?|done|yes|sir|ji|hi|hello)?[ ,.!]*{_PAID_VERB}\b",
        r"\b(?:payment|fees?|amount|money|paisa|paise|upi|emi)\b[^.?!]{0,25}\b(?:done|did|made|completed|successful|sent|deposited|"
        r"transferred|paid|kar (?:di|diya|diye|dia)|bhej (?:di|diya|diye|dia)|bhar (?:di|diya|diye|dia)|"
        r"ho gay\w*|ho chuk\w*|jama)\b",
        r"\b(?:transaction|txn|utr|reference|ref) (?:id|no|number)\b|\b(?:payment )?screenshot\b",
        r"\bi money paid\b|\bmoney paid\b|\bpay done\b",
        r"\b(?:sent|paid|transferred)\b[^.?!]{0,20}\b(?:via|through|by|on|using|from) (?:gpay|google pay|phonepe|"
        r"phone pe|paytm|upi|neft|imps|rtgs|bank transfer|net ?banking|card)\b",
        r"\b(?:sent|paid|transferred) (?:rs\.? ?|₹ ?|inr ?)?\d[\d,]{2,}\b",
    ]
)
# Asking how or whether to pay is not a payment.
_NOT_PAID_YET = _compile(
    [
        r"\b(?:how|can|could|should|will|shall|want|wanna|before|if|when|where|kaise|kab|kahan|planning|going)\b"
        r"[^.?!]{0,15}\b(?:pay\w*|transfer\w*|bhar\w*|jama)\b",
        r"\b(?:not|haven't|have not|didn't|did not|nahi|nhi|yet to)\b[^.?!]{0,10}\b(?:paid|pay|transfer\w*)\b",
        r"\bis (?:the )?payment\b|\bpayment (?:options?|methods?|modes?|link)\b",
    ]
)

_PERSON = _compile(
    [
        # Is this a bot?
        r"\b(?:are you|r u|are u|is this|is it|am i (?:talking|chatting|speaking) (?:to|with)|you are|you're|u r)\b"
        r"[^.?!]{0,25}\b(?:a )?(?:bot|robot|chat ?bot|automated|automatic|machine|computer|ai|real|human|person|"
        r"insaan|insan|chat ?gpt|gpt)\b",
        r"\b(?:are|is) (?:these|this|the|your) (?:messages?|replies|chats?|texts?|answers?)\b[^.?!]{0,10}\b(?:automatic|"
        r"automated|auto|bot|ai|generated|real)\b",
        r"\b(?:chatting|talking|speaking) (?:to|with) (?:chat ?gpt|gpt|an? ai|artificial intelligence)\b",
        r"\b(?:bot|robot|chatbot|machine) (?:se|hai|ho)\b|\b(?:talking|chatting|speaking) (?:to|with) (?:a |an )?(?:bot|"
        r"robot|machine|ai)\b",
        r"\b(?:a|the|some) (?:bot|robot|chat ?bot|machine|computer|program) (?:is )?(?:replying|answering|"
        r"responding|writing|typing|texting|chatting)\b",
        # A person, not the bot.
        r"\b(?:real|actual|live|human|proper) (?:person|human|counsell?or|agent|being|people|executive|man|woman)\b",
        r"\b(?:talk|speak|chat|connect|discuss)\w*\b[^.?!]{0,25}\b(?:human|person|insaan|insan|someone|somebody|"
        r"counsell?or|advisor|adviser|agent|executive|representative|team|staff|manager|expert|mentor)\b",
        r"\b(?:human|person|insaan|insan|someone|somebody|counsell?or|koi)\b[^.?!]{0,15}\b(?:se )?baat\b",
        # Indian languages put the verb last: "a person with want to talk".
        r"\b(?:human|person|someone|somebody|counsell?or)\b[^.?!]{0,20}\b(?:want to )?talk (?:want|is)\b",
        r"\bbaat kar(?:wa|va)\w*|\bwant to talk\b|\bwant to talk to someone\b",
        r"\b(?:connect|transfer|put) me (?:to|with|through)\b",
        # A call, a video call, a meeting.
        r"\bvideo ?(?:call|chat|meeting)\b|\b(?:a |quick )?meet(?:ing)? with\b",
        # Zoom or Meet asked for, not asked about ("are classes on Zoom?").
        r"\b(?:can|could|shall|let'?s|please|want|wanna|would like|prefer|possible|schedule|set up|hop on|have)\b"
        r"[^.?!]{0,20}\b(?:a )?(?:zoom|google meet|gmeet|teams|g meet)(?: call| meeting| session)?\b",
        r"\b(?:call|ring|phone) (?:me |us )?(?:at|around|after|before|tomorrow|today|tonight|in the (?:morning|evening|afternoon)|"
        r"on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|please|asap|now|back)\b",
        r"\b(?:call|phone|ring)\b[^.?!]{0,25}\b(?:\d{1,2}(?::\d\d)? ?(?:am|pm|baje|o'?clock)|morning|evening|"
        r"afternoon|tomorrow|subah|shaam|sham|evening)\b",
        r"\b(?:tomorrow|kal|today|aaj|evening|morning|shaam|subah)\b[^.?!]{0,25}\bcall\b",
        r"\bcall (?:me|please|karo|kariye|kijiye|kar do|karna)\b|\bme call please\b|\bcall please\b|\bplease call\b",
        r"\b(?:phone|call) (?:kara|karo|kar do|kijiye|kariye)\b|\bme phone please\b|\bphone please\b",
    ]
)


def claims_payment(text: str) -> bool:
    """The student says they have paid (a counsellor must confirm it, not the bot)."""
    t = normalise(text)
    return bool(_PAID.search(t)) and not _NOT_PAID_YET.search(t)


# A call refused ("please don't call me, chat is better", "no need to call") asks for none.
_REFUSED_CALL = re.compile(
    r"\b(?:don't|do not|dont|never|no need to|not|no|please don't|pls don't)(?: ever| need to)? (?:call|calls|calling|"
    r"phone|ring)(?: (?:me|us|karo|please|pls))?\b"
)


def without_refused_calls(normalised: str) -> str:
    """The normalised text with any refused call taken out."""
    return _REFUSED_CALL.sub(" ", normalised)


def asks_for_person(text: str) -> bool:
    """The student asks for a person, a call or a video call, or whether they are talking to a bot."""
    return bool(_PERSON.search(without_refused_calls(normalise(text))))
