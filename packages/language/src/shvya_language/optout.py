"""Opt-outs and wrong numbers, in every language and spelling `normalise` reads.

One detector for the crm (at intake, before anything else can be sent) and
the ai service (whatever the provider), so both suppress the same messages.
It must never block an interested student: a stop that is negated ("don't
stop sending me updates", "band mat karo") or is about something else
("can I pause the course", "will the recordings stop", "a bus stop") is
taken out before the opt-out patterns are read.
"""

from __future__ import annotations

import re

from shvya_language.normalise import normalise


def _compile(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


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
# Ways of being contacted, as students name them.
_CONTACTING = (
    r"(?:messages?|messaging|msgs?|texts?|texting|sms|whatsapps?|emails?|mails?|calls?|calling|spam|notifications?|"
    r"pings?|reminders?|follow ?ups?)"
)
_OPT_OUT = _compile(
    [
        r"\bunsubscribe\b",
        r"\bunsub\b",
        r"\bopt[\s-]?(?:me )?out\b",
        r"\bcancel\w* (?:my |the |this |your )?(?:subscription|messages|alerts|notifications)\b",
        r"\bdnd\b|\bdo not disturb\b",
        # "Enough said" agrees; it stops nothing.
        r"\b(?:quit|cease|enough(?! said))\b[^.?!]{0,10}\b(?:messag\w*|text\w*|call\w*|contact\w*|spam\w*|send\w*)\b",
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
        r"\bno (?:more|further) (?:messages|message|texts|text|emails|calls|whatsapp|spam|sms|communications?|contact|"
        r"follow ?ups?|reminders|notifications)\b",
        # Follow-ups refused ("stop following up", "no need to follow up"), but not put off to a later
        # time ("don't follow up until March" asks for a follow-up then).
        r"\b(?:stop|quit|no need to|don't|do not|pls don't|please don't|never) (?:to )?follow(?:ing)?[ -]?ups?\b"
        r"(?![^.?!]*\b(?:until|till|before|after|next|later|in (?:a|an|\d+|two|few) ))",
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
        # Asked politely or in the past tense: "I'd appreciate it if you stopped contacting me", "I'd rather
        # not get any more of these", "I would prefer not to be contacted"; not a time that suits better
        # ("if you didn't call during office hours") nor one thing not to send ("the wrong details").
        r"\b(?:appreciate|grateful|prefer|rather|better|good) (?:it )?if (?:you|u|your \w+) (?:stop|stopped|would stop|"
        r"could stop|no longer|didn't|did not|don't|do not|won't|would not) (?:\w+ )?(?:contact|messag|text|email|"
        r"call|send|whatsapp|ping|bother|disturb|spam)\w*(?: (?:me|us|these|them|this))?(?: (?:again|anymore|any more|"
        r"any longer|please|so often|ever again))*\s*(?:[.!,;]|$)",
        rf"\b(?:rather|prefer(?:red)?|like) not (?:to )?(?:(?:get|receive|hear) (?:any |these |more |your |such |of )*"
        rf"(?:{_CONTACTING}|these|them|anything from you|from you)|be (?:contacted|messaged|called|texted|emailed))\b",
        # A new message greeted with sarcasm, asking nothing: "great, another message", "oh wonderful, one
        # more reminder".
        rf"^(?:oh )?(?:great|wonderful|fantastic|perfect|awesome|lovely|brilliant|yay|wow)\b[ ,.!]*(?:just |yet )?"
        rf"(?:another|one more|more)(?: \w+)? {_CONTACTING}\b[^?]*$",
        r"\bwrong number\b",
        # Hinglish: "band karo", "mat bhejo", "message mat karo", "pareshan mat karo", ...
        r"\bbandh? kar(?:o|do|dijiye|iye|na|en|ein)?\b",
        r"\bbandh? ho(?:na)? chahiye\b",
        r"\bmat bhej\w*",
        r"\b(?:message|messages|call|calls|phone|whatsapp|sms|contact|text|email|spam)\b[^.?!]{0,20}\b(?:mat|na)\b"
        r"(?: \w+)?(?: karo| kare| karna| kijiye| bhej(?:o|iye|ein|en|na)| kar)?\b(?![^.!]*\b(?:kya|ki nahi)\b[^.!]*\?)",
        r"\bmat (?:karo|kariye|karna)\b[^.?!]{0,20}\b(?:message|messages|call|contact|whatsapp|sms)\b",
        r"\b(?:pareshan|disturb|tang|irritate) mat\b",
        r"\bbas (?:kar(?:o|do|en|iye|ein)?|kijiye|kijie|kariye)\b",
        r"\b(?:number|naam|details) (?:hata|delete|remove)\w*\b",
        r"\b(?:message|messages|call|calls|sms) nahi chahiye\b",
        r"\bnahi chahiye\b[^.?!]{0,15}\b(?:message|messages|call|calls)\b",
        r"\b(?:dobara|phir se|fir se|kabhi) (?:mat |na )?(?:message|call|contact|likh\w*|bhej\w*)\b",
    ]
)


# "Don't call, message me the details": a preference for one channel, not an opt-out.
_NEGATION = re.compile(
    r"\b(?:don't|do not|didn't|did not|won't|never|no|not|stop|stopped|mat|nahi|band|bandh|na)\b"
)
_WANTS_MESSAGES = re.compile(
    r"\b(?:message|text|whatsapp|email|mail|send|ping|sms) (?:me|us)\b|\bjust (?:message|text|whatsapp|email|mail)\b"
    r"|\b(?:message|text|whatsapp|email|mail) (?:instead|only)\b"
    r"|\b(?:message|messages|text|texts|whatsapp|email|mail|chat|sms)(?: here)? (?:is|are) (?:fine|ok|okay|good|better|"
    r"enough|preferred|best)\b|\b(?:prefer|rather) (?:a )?(?:message|text|whatsapp|email|mail|chat)\b"
)


def _prefers_another_channel(t: str) -> bool:
    clauses = re.split(r"[,.;!?]|\b(?:but|just|instead|only)\b", t)
    return any(_WANTS_MESSAGES.search(c) and not _NEGATION.search(c) for c in clauses) or bool(
        re.search(r"\b(?:just|only) (?:message|text|whatsapp|email|mail)\b", t)
    )


# The carrier keywords and unmistakable phrases, as whole messages or anywhere.
_KEYWORDS = {
    "stop", "stop all", "stopall", "unsubscribe", "unsub", "cancel", "end", "quit", "opt out", "optout",
    "stop please", "please stop", "pls stop", "plz stop", "stop it", "band karo", "bandh karo", "band kar do",
    "bandh kar do",
    "mat bhejo", "mat bhejna", "no more messages", "remove me",
    "dnd", "do not disturb", "leave me alone", "stop now", "stop pls", "stop plz", "stop karo", "stop kar do",
    "mat bhejiye", "band kijiye", "band karo please", "bas karo", "bas kijiye", "mat karo message", "no more",
    "unsubscribe me", "opt me out", "remove my number", "not interested stop", "please unsubscribe",
}  # fmt: skip
_KEYWORD_PHRASES = re.compile(
    r"\b(?:unsubscribe|opt[\s-]?out)\b"
    r"|\b(?:stop|quit) (?:messaging|texting|sending|contacting|calling|spamming|bothering|whatsapp\w*|email\w*|mail\w*)\b"
    r"|\b(?:don'?t|do not|dont|never) (?:message|text|contact|call|email|mail|whatsapp|disturb|bother) (?:me|us)\b"
    r"|\b(?:message|msg|messages|msgs|sms|whatsapp|call|calls)\b[^.?!]{0,20}\b(?:band kar\w*|bandh kar\w*|mat (?:bhej\w*|kar\w*))"
    r"|\b(?:band kar\w*|bandh kar\w*|mat bhej\w*)\b[^.?!]{0,20}\b(?:message|msg|messages|msgs|whatsapp|please|pls|plz|ji)\b"
    r"|\b(?:remove|delete) (?:me|my (?:number|email|details|contact))\b"
    r"|\btake me off (?:your|the|this) (?:list|mailing list|database|contacts)\b"
    r"|\b(?:messages?|msgs?|mails?|emails?|whatsapp)\b[^.?!]{0,20}\b(?:mat karo|mat kijiye|band kijiye|bhejna band)\b"
    # "stop msgs", "Stop promotions" (the text of Meta's marketing opt-out button).
    r"|^(?:please )?stop (?:the |these |your |all )?(?:messages?|texts?|sms|emails?|mails?|promotions?|promotional"
    r"(?: messages)?|marketing(?: messages)?|ads|offers|updates|notifications)$"
    r"|^no more (?:messages?|texts?|emails?|mails?|sms|calls)$"
    r"|\b(?:messages?|sms|whatsapp|emails?|mails?) na bhej(?:o|iye|e|ein|en|na)\b"
    r"|\bblock kar ?(?:dunga|dungi|denge|doonga|doongi)\b"
    r"|\b(?:don'?t|do not|never) send (?:me |us )?(?:any )?(?:more )?(?:messages|texts|emails|mails|sms)\b"
    r"|\b(?:mera|my) (?:number|no) (?:delete|hata|remove)\w*",
    re.IGNORECASE,
)
# Words around a keyword that do not change it: "band karo yaar", "ab band karo".
_FILLERS = {"please", "yaar", "yar", "bhai", "bro", "ji", "sir", "madam", "mam", "now", "ab", "abhi", "bas", "ok", "mujhe"}  # fmt: skip


# Opt-outs said indirectly: annoyance at the messages, "enough", wanting nothing from anyone.
_INDIRECT = _compile(
    [
        rf"\b(?:annoy\w*|irritat\w*|fed up|sick (?:of|and tired)|tired of|frustrat\w*|pissed|disturb\w*|bother\w*|torture\w*|"
        rf"harass\w*|pareshan|tang|tras)\b[^.?!]{{0,40}}\b{_CONTACTING}\b",
        # Not "your calls are not annoying".
        rf"\b{_CONTACTING}\b(?:(?!\b(?:not|never|isn't|aren't)\b)[^.?!]){{0,30}}\b(?:annoy\w*|irritat\w*|disturb\w*|"
        rf"bother\w*|pareshan|tang)\b",
        # "You keep messaging me" complains; "keep messaging" (or a negated stop, read as "keep") asks for more.
        r"\b(?:you|u|you guys|they|your (?:team|people|company)|why do (?:you|u)|people) (?:still )?keep (?:on )?"
        r"(?:messag\w*|text\w*|call\w*|send\w*|spam\w*|ping\w*|email\w*|bother\w*|contact\w*)\b",
        rf"\b(?:every ?day|daily|again and again|so many|too many|how many times|baar baar|roz roz|har din|"
        rf"kitni baar|\d+(?:st|nd|rd|th)? (?:message|time))\b[^.?!]{{0,30}}\b{_CONTACTING}\b",
        rf"\b{_CONTACTING}\b[^.?!]{{0,20}}\b(?:every ?day|daily|again and again|baar baar|roz roz|kitni baar|"
        rf"karoge|karte rahoge|bhejte rahoge)\b",
        # A complaint about the messages closed by a bare "enough".
        rf"\b{_CONTACTING}\b[^?]*[,.!] *enough(?: (?:now|already|please))?[ .!]*$",
        r"^(?:ok(?:ay)?[,.!]? )?enough(?: (?:now|already|please|yaar|bro|is enough|of this|with (?:this|these|the)"
        r" \w+))*\s*[.!]*(?: please[.!]*)?$",
        r"\benough (?:of )?(?:your|these|the|this) (?:messages|texts|calls|spam|emails|follow ?ups)\b",
        # "Seriously, enough already": "enough" as a short message's last word, not "enough money?".
        r"^(?:[a-z']+[ ,.!]+){0,3}(?<!not )(?<!is )enough(?: (?:already|now|please|yaar|bro|man|guys|is enough))*"
        r"[ .!]*(?:please[ .!]*)?$",
        r"\b(?:don't|do not) want (?:anything|nothing|any more|anymore|any) (?:\w+ )?from (?:you|anyone|anybody|"
        r"your \w+)\b",
        r"\b(?:don't|do not) want (?:anything|nothing) (?:more )?(?:from|with) (?:you|anyone|anybody)\b",
        r"\bkuch nahi chahiye\b[^.?!]{0,20}\b(?:kisi|aap|tum|aapse|tumse|se)\b|\bkisi se kuch nahi\b",
        r"\b(?:don't|do not|never) (?:want to )?(?:hear|hear back) from (?:you|your \w+)\b",
        r"\b(?:don't|do not) (?:ever )?(?:contact|message|text|call|email|reach|bother) (?:me )?(?:again|in future|"
        r"in the future|anymore|any more)\b",
        r"\bleave me (?:be|alone|in peace)\b|\blet me be\b",
        r"\bi'?m done with (?:you|this|these|your)\b|^i'?m done[.!]*$|\b(?:message|msg|text)\w* (?:today|again)\b[^?]*"
        r"\bi'?m done\b",
        # Annoyance said and "no more" after it: "so annoying, no more please".
        r"(?<!not )(?<!n't )(?<!never )\b(?:annoying|irritating|annoyed|irritated|fed up)\b[^?]{0,20}\b(?:no more|"
        r"enough)\b",
        r"\bno more (?:of (?:this|these|it|your \w+))\b|^no more[.!]*(?: please[.!]*)?$",
        r"\btake (?:my (?:number|no|email|name|details)) (?:off|out)\b|\b(?:number|email|name) (?:off|out of) "
        r"(?:your|the|this) (?:list|database|system)\b",
        r"\b(?:you(?: guys)?|u|your (?:team|company|people)) (?:are|r|keep) (?:spamming|harass\w*|bother\w*|"
        r"annoy\w*|irritat\w*|disturb\w*)\b",
        r"^stop[.!]+(?: (?:just|please|pls)? ?stop[.!]*)*$|^just stop[.!]*$",
        r"\b(?:this is|it'?s|that'?s|you'?re|you are|these are) (?:\w+ )?(?:harassment|harassing|spam|spamming|"
        r"annoying|irritating|disturbing)\b",
        r"\b(?:told|asked|said to|requested) you\b[^.?!]{0,25}\b(?:don't want|do not want|not interested|stop|"
        r"no more|not to)\b",
        r"\brefrain from (?:messag\w*|contact\w*|call\w*|text\w*|email\w*|whatsapp\w*|send\w*)",
        r"\bunsubscribe\b|\bdon't (?:send|message|disturb)\b[^.?!]{0,15}$",
        r"\b(?:never|didn't|did not) (?:ask(?:ed)?|sign(?:ed)? up|register(?:ed)?) (?:for )?(?:any ?(?:thing|of) ?"
        r"(?:this|these|it)?|this|these)\b",
    ]
)
# Asked as a question: "can you not message me anymore".
_ASKED_NOT_TO = re.compile(
    r"\b(?:can|could|would|will) (?:you|u) (?:please |pls )?(?:not|stop) (?:message|messaging|text|texting|call|"
    r"calling|contact|contacting|email|emailing|whatsapp|ping|pinging|bother|disturb)\w*\b"
)
# In glossed text the verb often comes last ("message don't send", "me message don't want"): a clause
# with a way of contacting and a refusal or a stop, in any order.
_CLAUSE_CONTACT = re.compile(rf"\b{_CONTACTING}\b|\b(?:contact|disturb|bother)\b")
_CLAUSE_REFUSAL = re.compile(
    r"\b(?:don't|do not|stop|mat|na bhej(?:o|iye|ein|en|na)|nahi chahiye|don't want|no more|band|bandh|block)\b"
)
_CLAUSE = re.compile(r"[.;!?\n]|,(?= )|\bbut\b|\blekin\b|\bpar\b")
# Whole messages that ask for silence once glossed: "stop", "don't disturb me", "don't send".
_GLOSSED_WHOLE = re.compile(
    r"^(?:(?:please|me|sir|ji|andi|now|i|you) )*(?:stop|don't send|don't disturb me|don't disturb|don't contact me|"
    r"don't want|don't)(?: (?:please|me|sir|ji|andi|now))*[ .!]*$"
)

# A stop that is negated or about something else is not an opt-out.
_NEGATED_STOP = re.compile(
    r"\b(?:don't|do not|dont|never|not|won't|will not|please don't|pls don't|no need to|no way|why would|"
    r"why should|why will|why do)\b"
    r"(?: (?:want|wanna|need|wish|plan|planning|going|asking|saying|telling|ask|tell|you|u|me|to|ever|really|"
    r"even|i|i'm|am|will|would|gonna|we))* (?:stop|stopping|unsubscrib\w*|block|blocking|end|opt(?:ing)? out)\b"
    r"|\b(?:stop|band|bandh|unsubscribe)\b (?:mat|na|nahi|nako|naka|mat karo)\b"
    r"|\b(?:mat|na) (?:band|bandh|stop)\b"
    # Verb-final languages put the "don't" after the stop: "band karu naka", "nirutta vendam".
    r"|\b(?:stop|band|bandh) (?:don't|dont|not|do not)\b"
    # A stop asked back and refused: "unsubscribe? no way" (normalise sets the "?" apart).
    r"|\b(?:stop|unsubscribe|unsub|opt out|block)\s*\?+\s*(?:no|nope|nah|never|of course not)\b"
)
_COURSE_THINGS = (
    r"(?:course|courses|class|classes|lecture\w*|batch\w*|emi\w*|installment\w*|instalment\w*|payment\w*|"
    r"recording\w*|studies|study|studying|learning|job|jobs|work|internship|subscription to (?:the )?course|"
    r"program\w*|sessions?|training|module|beech|midway|halfway|plan)"
)
_STOP_WORD = r"(?:stop\w*|pause\w*|end|ending|quit\w*|band|bandh|discontinu\w*|cancel\w*|break)"
_OTHER_STOP = re.compile(
    rf"\b{_STOP_WORD}\b(?: \w+){{0,3}} {_COURSE_THINGS}\b"
    rf"|\b{_COURSE_THINGS}\b(?: \w+){{0,4}} {_STOP_WORD}\b"
    r"|\b(?:bus|full|pit|one|non|last|next|first|metro|train) stop\b"
)


def _without_other_stops(t: str) -> str:
    t = _NEGATED_STOP.sub(" keep ", t)
    return _OTHER_STOP.sub(" course question ", t)


_WRONG_NUMBER = _compile(
    [
        r"\bwrong (?:number|no|num|nmbr|person|contact|guy|girl|lady|man|address|email|mail|id)\b",
        r"\b(?:not|isn't|is not|nahi|nahi hai) (?:\w+'s|\w+ (?:ka|ki|ke)) (?:number|no|phone|email)\b",
        r"\b(?:this|it|ye|yeh|mera) (?:number|no|phone|email) (?:is not|isn't|nahi|belongs to|is my \w+'s|"
        r"is of my)\b",
        r"\b(?:this|it|ye|yeh) (?:is )?(?:not|nahi) (?:\w+'s) (?:number|phone|no|email)\b",
        r"\b(?:i am|i'm|main|mai) not (?:\w+)\b[^.?!]{0,30}\b(?:wrong|number|phone|person)\b",
        r"\bno (?:one|body) (?:by|named|called) (?:that|this|\w+) (?:name )?(?:here|lives)\b",
        r"\b(?:there is )?no (?:\w+ )?(?:here )?by that name\b",
        r"\b(?:is not|isn't|am not|'m not|nahi|nahi hai|nahi hu|nahi hoon)\b[^?]{0,40}\b(?:check your (?:records|list|"
        r"data|database|details)|you have the wrong|you've got the wrong|got the wrong)\b",
        r"\b(?:you have|you've got|you got|u have) the wrong\b",
        # Hindi order: "ye Amit ka number nahi hai", "yeh number Amit ka nahi hai".
        r"\b[a-z]+ (?:ka|ki|ke) (?:number|phone|no|email|mobile) (?:nahi|nhi)\b",
        r"\b(?:ye|yeh|yah|this|is) (?:number|phone|no|mobile) [a-z]+ (?:ka|ki|ke) (?:nahi|nhi)\b",
        r"\bwho is [a-z]+\b[^.]{0,20}\b(?:don't|do not) know\b|\b(?:don't|do not) know (?:any|anyone|anybody) "
        r"(?:named |called )?[a-z]+\b[^.]{0,20}\bwho is\b",
        r"\b(?:this|it) is (?:his|her|their|my) [a-z]+'s (?:number|phone|no|mobile|email)\b",
        r"\b(?:he|she) (?:doesn't|does not|don't|no longer) (?:use|uses|have|has) (?:it|this|this number|this phone)\b",
        r"\b(?:someone|somebody|kisi) (?:else'?s|aur (?:ka|ki|ke)) (?:number|phone|no|mobile|email)\b",
        # "ye number meri mummy ka hai", "this number my brother's is" (Marathi order).
        r"\b(?:this|ye|yeh|yah) (?:number|phone|no|mobile) (?:is )?(?:my|meri|mere|mera) [a-z]+(?:'s| ka| ki| ke)? ?"
        r"(?:is|hai)\b",
        r"\b(?:number|phone|sim|mobile)\b[^?]{0,40}\b(?:previous|former|old|earlier) (?:owner|user|holder)\b|"
        r"\b(?:previous|former|old|earlier) (?:owner|user|holder)\b[^?]{0,30}\b(?:number|phone|sim|mobile)\b",
        r"\b(?:number|phone|no) belongs to\b|\bwrong (?:whatsapp|inbox)\b|\b(?:galat|galti se) (?:number|insaan|aadmi|banda)\b",
    ]
)


def is_wrong_number(text: str) -> bool:
    """The message says the address reaches someone else (a wrong number or person)."""
    return bool(_WRONG_NUMBER.search(normalise(text)))


def _clause_opt_out(t: str) -> bool:
    for clause in _CLAUSE.split(t):
        if (
            _CLAUSE_CONTACT.search(clause)
            and _CLAUSE_REFUSAL.search(clause)
            and not _prefers_another_channel(clause)
        ):
            return True
    return False


def is_opt_out(text: str) -> bool:
    """The student asks to stop being contacted (directly, indirectly, or by saying it is a wrong number)."""
    t = normalise(text)
    if is_wrong_number(text):
        return True
    bare = " ".join(re.sub(r"[^a-z' ]", " ", t).split())
    trimmed = _trim(bare.split())
    if {bare, trimmed} & (_OPT_OUT_WHOLE | _KEYWORDS) or _GLOSSED_WHOLE.match(bare):
        return True
    t = _without_other_stops(t)
    if _prefers_another_channel(t) and not _INDIRECT.search(t):
        return False
    return bool(
        _OPT_OUT.search(t)
        or _KEYWORD_PHRASES.search(t)
        or _ASKED_NOT_TO.search(t)
        or _INDIRECT.search(t)
        or _clause_opt_out(t)
    )


def _trim(words: list[str]) -> str:
    while words and words[0] in _FILLERS:
        words = words[1:]
    while words and words[-1] in _FILLERS:
        words = words[:-1]
    return " ".join(words)
