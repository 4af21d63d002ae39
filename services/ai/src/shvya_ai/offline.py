"""The offline provider: a deterministic, network-free counsellor grounded in the knowledge base.

It greets the student by name, answers from the best-matching knowledge-base
document by quoting its sentences (so every price, date and offer it states
is in the knowledge base verbatim), asks one qualifying question and proposes
a next step. When no document answers the question it says a counsellor will
confirm, and marks the turn unanswered.
"""

from __future__ import annotations

import re
import time

from shvya_ai import intents
from shvya_ai.turn import Reply, Snippet, Turn

PROVIDER = "offline"
MODEL = "shvya-offline-1"

# Below this full-text rank a match is too weak to answer from.
MIN_RANK = 0.05

_STOPWORDS = frozenset(
    (
        "a an the and or but if of to in on for with at by from is are was were be been am i me my we you "
        "your it its this that these those do does did can could would should will shall may might have "
        "has had what when where which who how please pls plz hi hello hey sir madam mam maam ji thanks "
        "thank about want wants like know tell also any some there here interested interest course "
        "courses more info kya hai hain ka ki ke ko se me mein bhi aur ya toh to"
    ).split()
)

_PRICE_WORDS = re.compile(r"\b(?:rs|fee|fees|emi|price|paid|payment|refund)\b|₹", re.IGNORECASE)
_DATE_WORDS = re.compile(
    r"\b(?:starts?|batch|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|20\d\d)\b",
    re.IGNORECASE,
)
_TIME_WORDS = re.compile(
    r"\b(?:classes run|am|pm|ist|monday|tuesday|saturday|sunday|weekends?)\b", re.IGNORECASE
)
_ASKS_DATE = re.compile(r"\b(?:when|start|starts|starting|batch|date|kab|shuru)\b", re.IGNORECASE)
_ASKS_TIME = re.compile(
    r"\b(?:timing|timings|time|schedule|weekend|weekday|evening|morning|class(?:es)? run)\b", re.I
)


def _words(text: str) -> set[str]:
    return {
        w[:6] for w in re.findall(r"[a-z0-9]+", intents.normalise(text)) if w not in _STOPWORDS and len(w) > 1
    }


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text.strip())
    return [p.strip() for p in parts if p.strip()]


def first_name(full_name: str) -> str:
    name = full_name.strip().split()
    return name[0].capitalize() if name else ""


def _select_sentences(snippet: Snippet, question: str, limit: int = 2) -> list[str]:
    """The sentences of the document that best answer the question, in document order."""
    sentences = _sentences(snippet.content)
    if not sentences:
        return []
    asked = _words(question)
    wants_price = intents.asks_price(question)
    wants_date = bool(_ASKS_DATE.search(question))
    wants_time = bool(_ASKS_TIME.search(question))
    scored = []
    for index, sentence in enumerate(sentences):
        score = len(asked & _words(sentence))
        if wants_price and _PRICE_WORDS.search(sentence):
            score += 3
        if wants_date and _DATE_WORDS.search(sentence):
            score += 3
        if wants_time and _TIME_WORDS.search(sentence):
            score += 3
        if index == 0:
            score += 0.5  # the overview sentence is a good default
        scored.append((score, index))
    specific = wants_price or wants_date or wants_time
    if not specific:
        # A general enquiry gets the overview and the next start date.
        chosen = {0}
        dated = [i for i, s in enumerate(sentences) if _DATE_WORDS.search(s) and "start" in s.lower()]
        if dated:
            chosen.add(dated[0])
        else:
            best = max(scored[1:], default=None)
            if best is not None and best[0] > 0:
                chosen.add(best[1])
    else:
        top = sorted(scored, key=lambda s: (-s[0], s[1]))[:limit]
        chosen = {i for score, i in top if score > 0.5} or {0}
    return [sentences[i] for i in sorted(chosen)][: limit + 1]


def _answer_source(turn: Turn) -> Snippet | None:
    """The knowledge-base document to answer from, if one matches well enough."""
    for snippet in turn.knowledge:
        if snippet.rank >= MIN_RANK and (
            _words(turn.inbound_text) & _words(snippet.title + " " + snippet.content)
        ):
            return snippet
    return None


def _qualifying_question(turn: Turn) -> str:
    earlier_replies = sum(1 for from_lead, _ in turn.history if not from_lead)
    questions = (
        "Are you looking to start a new career, or to grow in your current role?",
        "Which would help you decide: the syllabus, the schedule or the fees?",
        "When would you like to start?",
    )
    return questions[min(earlier_replies, len(questions) - 1)]


def compose(turn: Turn) -> Reply:
    started = time.perf_counter()
    name = first_name(turn.lead_name)
    hello = f"Hi {name}," if name else "Hi,"
    intent = intents.classify(turn.inbound_text)
    reply = Reply(text="", subject="", intent=intent, provider=PROVIDER, model=MODEL)
    source = _answer_source(turn)
    about = source.title if source else turn.company_name or "your enquiry"
    reply.subject = (
        f"Your enquiry about {about}" if source else f"Your enquiry at {turn.company_name}".strip()
    )

    if intent == "opt_out":
        reply.opt_out = True
        reply.suggested_stage = "lost"
        reply.text = (
            f"{hello} understood. You will not receive any more messages from us. "
            "If you change your mind, just write to us any time."
        )
        reply.subject = "You are unsubscribed"
    elif intent == "enrolled":
        reply.suggested_stage = "enrolled"
        reply.hand_off = True
        reply.text = (
            f"{hello} congratulations, and welcome! A counsellor will confirm your enrolment "
            "and share the next steps shortly."
        )
    elif intent == "not_interested":
        reply.suggested_stage = "lost"
        reply.text = (
            f"{hello} no problem, thank you for letting us know. "
            "If you would like to explore a course later, just message us."
        )
    elif intent == "wants_call":
        reply.hand_off = True
        reply.suggested_stage = "qualified"
        reply.text = (
            f"{hello} of course. A counsellor will call you shortly. Is there a time that suits you best?"
        )
    else:
        reply.suggested_stage = "qualified" if intent in ("question", "price_objection") else ""
        parts = [hello]
        if source is not None:
            facts = _select_sentences(source, turn.inbound_text)
            reply.knowledge_document_ids = [source.document_id]
            if turn.purpose == "followup":
                parts.append(f"just following up on {source.title}.")
            elif intent == "price_objection":
                parts.append("I understand that fees matter.")
            else:
                parts.append(f"thank you for your interest in {source.title}!")
            parts.extend(facts)
            if intent == "price_objection":
                parts.append("A counsellor can walk you through the payment options.")
            parts.append(_qualifying_question(turn))
            parts.append("Would you like a counsellor to call you to talk it through?")
        else:
            reply.unanswered = intent == "question"
            parts.append(
                f"thank you for reaching out to {turn.company_name}."
                if turn.company_name
                else "thank you for reaching out."
            )
            parts.append(
                "That is a good question; a counsellor will confirm the details for you shortly."
                if intent in ("question", "price_objection")
                else "A counsellor will share the course details with you shortly."
            )
            parts.append("Which course are you interested in?")
        reply.text = " ".join(parts)

    reply.latency_ms = int((time.perf_counter() - started) * 1000)
    return reply
