"""The offline provider: a deterministic, network-free counsellor grounded in the knowledge base.

Of the company's prompt it uses the counsellor's name, sign-off and tone
(persona.py); it greets the student by name, answers what was asked by quoting the
sentences of the knowledge-base documents that answer it (so every price,
date and offer it states is in the knowledge base verbatim), asks one
qualifying question and proposes a next step. What the snippets cannot
answer, it says a counsellor will confirm, and marks the turn unanswered.
"""

from __future__ import annotations

import re
import time

import shvya_language as language
from shvya_ai import grounding, intents, persona
from shvya_ai.grounding import TOPIC, Reading, Topic
from shvya_ai.turn import Reply, Snippet, Turn

PROVIDER = "offline"
MODEL = "shvya-offline-1"
# At most this many courses are listed when a question names none ("what are your fees?").
MAX_LISTED = 4
MIN_RANK = grounding.MIN_RANK

_QUALIFYING = (
    "Are you looking to start a new career, or to grow in your current role?",
    "Which would help you decide: the syllabus, the schedule or the fees?",
    "When would you like to start?",
)
_NEXT_STEP = "Would you like a counsellor to call you to talk it through?"
# An expression of interest that names something to learn ("I want to do an MBA").
_ASKS_FOR_SOMETHING = re.compile(
    r"\b(?:do|learn|study|studying|course|courses|program|programme|class|classes|training|coaching|"
    r"seekh\w*|sikh\w*|padh\w*|karna)\b"
)
# Asking whether there is a course for something asks for the course, not for one sentence of it.
_ASKS_FOR_A_COURSE = re.compile(
    r"\b(?:is there|do you have|do you offer|do you teach|any) (?:a |an |any )?(?:course|program|programme|"
    r"training|class)\b"
)
_ASKS_IF_BOT = re.compile(r"\b(?:bot|robot|chat ?bot|automated|machine|ai|real|human)\b")
_CONFIRM = "a counsellor will confirm {it} for you shortly."


def _signature(settings: persona.Persona, company_name: str) -> str:
    """The company prompt's sign-off, or its counsellor's name with the company's."""
    if settings.sign_off:
        return f"\n\n{settings.sign_off}"
    if settings.name:
        return f"\n\n{settings.name}" + (f", {company_name}" if company_name else "")
    return ""


def first_name(full_name: str) -> str:
    name = full_name.strip().split()
    return name[0].capitalize() if name else ""


class _Facts:
    """Sentences quoted from the knowledge base, in order, with the documents they came from."""

    def __init__(self) -> None:
        self.sentences: list[str] = []
        self.documents: list[str] = []
        self.missing: list[str] = []

    def add(self, sentence: str | None, snippet: Snippet, label: str = "") -> bool:
        if not sentence:
            return False
        text = sentence if not label or label.lower() in sentence.lower() else f"{label}: {sentence}"
        if text not in self.sentences and sentence not in self.sentences:
            self.sentences.append(text)
        if snippet.document_id not in self.documents:
            self.documents.append(snippet.document_id)
        return True

    def lack(self, label: str) -> None:
        if label not in self.missing:
            self.missing.append(label)


def _usable(turn: Turn) -> list[Snippet]:
    return [s for s in turn.knowledge if s.rank >= MIN_RANK]


def _answer_topic(
    topic: Topic, reading: Reading, snippets: list[Snippet], facts: _Facts, question: str
) -> None:
    about = reading.about[:3]
    courses = [s for s in about if grounding.is_course(s)]
    if topic.per_course and courses:
        for snippet in courses:
            label = snippet.title if len(courses) > 1 else ""
            if not facts.add(grounding.answer(topic, snippet), snippet, label):
                # Never another course's figure: only a document for every course (an FAQ).
                shared = [s for s in grounding.general(snippets, topic) if not grounding.is_course(s)]
                if not (shared and facts.add(grounding.answer(topic, shared[0]), shared[0])):
                    facts.lack(topic.label)
        return
    if topic.per_course:
        if reading.unknown_words and not about:
            facts.lack(topic.label)
            return
        answering = grounding.general(snippets, topic)
        # A document that answers for every course (a fees FAQ) rather than one course's figure.
        shared = [s for s in answering if not _is_course(s, topic)]
        if shared and topic.name not in ("fee", "start", "timing", "duration"):
            facts.add(grounding.answer(topic, shared[0]), shared[0])
            return
        courses = [s for s in answering if _is_course(s, topic)][:MAX_LISTED]
        for snippet in courses:
            facts.add(grounding.answer(topic, snippet), snippet, snippet.title)
        if not courses and not (shared and facts.add(grounding.answer(topic, shared[0]), shared[0])):
            facts.lack(topic.label)
        return
    # The course asked about, then documents for every course; another course's own
    # sentence only when no course was named.
    others = [s for s in snippets if s not in about]
    candidates = about + [s for s in others if not grounding.is_course(s)]
    if not about:
        candidates += [s for s in others if grounding.is_course(s)]
    if topic.name == "about":
        candidates = [s for s in snippets if s.title.lower().startswith("about")]
    for snippet in candidates:
        found = grounding.answers(topic, snippet, question)
        for sentence in found:
            facts.add(sentence, snippet)
        if found:
            return
    facts.lack(topic.label)


def _is_course(snippet: Snippet, topic: Topic) -> bool:
    """Whether the snippet states this topic for one course (its answer names an amount or a date)."""
    sentence = grounding.answer(topic, snippet) or ""
    return bool(
        grounding.answer(TOPIC["fee"], snippet)
        and (topic.name != "emi" or any(c.isdigit() for c in sentence))
    )


def _overview(snippet: Snippet, facts: _Facts) -> None:
    """A course at a glance: what it is, what it costs, when it starts."""
    parts = grounding.sentences(snippet.content)
    if parts:
        facts.add(parts[0], snippet)
    for name in ("fee", "start"):
        facts.add(grounding.answer(TOPIC[name], snippet), snippet)


def _gather(intent: str, reading: Reading, snippets: list[Snippet], question: str) -> _Facts:
    facts = _Facts()
    topics = list(reading.topics)
    if intent == "price_objection":
        topics += [TOPIC[name] for name in grounding.OBJECTION_TOPICS if TOPIC[name] not in topics]
        topics = [t for t in topics if t.name != "refund" or t in reading.topics]
        if not reading.about:  # no course named: the payment options, not every course's fee
            topics = [t for t in topics if t.name != "fee"]
    elif TOPIC["discount"] in topics and reading.about and TOPIC["emi"] not in topics:
        # A discount the catalogue does not state is confirmed by a counsellor; what it does state
        # about paying less at once (the course's EMI) is worth saying meanwhile.
        topics.append(TOPIC["emi"])
    if intent == "wants_call" and not topics:
        # What the knowledge base says about calls with a counsellor, if anything.
        for snippet in snippets:
            for sentence in grounding.mentions(snippet, ["call"]):
                facts.add(sentence, snippet)
                return facts
        return facts
    if not topics:
        if reading.about:
            snippet = reading.about[0]
            specific = grounding.mentions(snippet, reading.subject_words) if intent == "question" else []
            title_only = all(
                w in grounding.subject_words(snippet.title) or w in snippet.title.lower()
                for w in reading.subject_words
            )
            if specific and not title_only and not _ASKS_FOR_A_COURSE.search(intents.normalise(question)):
                for sentence in specific[:2]:
                    facts.add(sentence, snippet)
            else:
                _overview(snippet, facts)
        elif (reading.unknown_words or intent == "question") and (
            intent != "interested" or _ASKS_FOR_SOMETHING.search(question.lower())
        ):
            # A question that names no topic and no course the catalogue knows is one it cannot answer.
            facts.lack("that")
        return facts
    if intent == "interested" and reading.about and not reading.from_history:
        # Interest in a named course hears what it costs and when it starts, whatever else was said.
        _overview(reading.about[0], facts)
    for topic in topics:
        _answer_topic(topic, reading, snippets, facts, question)
    if reading.unknown_words and not reading.about and not facts.missing:
        facts.lack("that")
    return facts


def _qualifying_question(turn: Turn) -> str:
    earlier_replies = sum(1 for from_lead, _ in turn.history if not from_lead)
    return _QUALIFYING[min(earlier_replies, len(_QUALIFYING) - 1)]


def _confirm(missing: list[str]) -> str:
    if missing == ["that"]:
        return "I don't have confirmed information on that here, so " + _CONFIRM.format(it="it")
    labels = [m for m in missing if m != "that"]
    named = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"I don't have confirmed information on {named} here, so " + _CONFIRM.format(it="it")


def compose(turn: Turn) -> Reply:
    started = time.perf_counter()
    name = first_name(turn.lead_name)
    settings = persona.read(turn.system_prompt)
    hello = settings.greeting(name)
    question = turn.inbound_text
    history = [text for from_lead, text in turn.history if from_lead]
    replied_before = any(not from_lead for from_lead, _ in turn.history)
    if turn.purpose == "followup" and not question.strip() and history:
        question = history[-1]
    intent = intents.classify(question) if question.strip() else "interested"
    snippets = _usable(turn)
    # An objection names no course ("that's more than I can pay"): it is about the one talked of before.
    reading = grounding.read(question, snippets, history, objection=intent == "price_objection")
    if (
        intent == "question"
        and not reading.topics
        and reading.about
        and not reading.from_history
        and intents.seeks_a_course(question)
    ):
        intent = "interested"
    reply = Reply(text="", subject="", intent=intent, provider=PROVIDER, model=MODEL)
    about = reading.about[0] if reading.about else None
    reply.subject = (
        f"Your enquiry about {about.title}"
        if about and grounding.is_course(about)
        else f"Your enquiry at {turn.company_name}".strip()
    )
    parts = [hello]

    if intent == "opt_out" and language.is_wrong_number(question):
        # Someone else's number: no name (it is not theirs), no course, an apology.
        reply.opt_out = True
        reply.suggested_stage = "lost"
        reply.subject = "Sorry for the message"
        parts = [
            "Sorry for the trouble, we must have been given this number by mistake. "
            "We have removed it and will not message it again."
        ]
    elif intent == "opt_out":
        reply.opt_out = True
        reply.suggested_stage = "lost"
        reply.subject = "You are unsubscribed"
        parts.append(
            "understood. You will not receive any more messages from us. "
            "If you change your mind, just write to us any time."
        )
    elif intent == "not_interested":
        if intents.wants_cancellation(question):
            reply.hand_off = True
            parts.append(
                "I'm sorry to hear that. A counsellor will contact you about your enrolment shortly."
            )
        elif intents.is_hostile(question):
            reply.suggested_stage = "lost"
            parts.append(
                "I'm sorry you feel that way. We won't follow up; if you ever want to look at the course "
                "details, just message us."
            )
        else:
            reply.suggested_stage = "lost"
            parts.append(
                "no problem, thank you for letting us know. We won't follow up; if you would like to "
                "explore a course later, just message us."
            )
    elif intent == "enrolled" and language.claims_payment(question):
        # A payment is confirmed by a person who can see it, never by the counsellor bot.
        reply.hand_off = True
        parts.append(
            "thank you for letting us know. A counsellor will check your payment and confirm your enrolment "
            "with you shortly."
        )
    elif intent == "enrolled":
        reply.suggested_stage = "enrolled"
        parts.append(
            "congratulations, and welcome! A counsellor will confirm your enrolment and share the next "
            "steps shortly."
        )
        # What they ask next (when classes begin), not what they just paid.
        reading.topics = [
            t for t in reading.topics if t.name not in ("fee", "emi", "discount", "payment", "gst")
        ]
        facts = _gather("question", reading, snippets, question) if reading.topics else _Facts()
        parts.extend(facts.sentences)
        reply.knowledge_document_ids = facts.documents
    else:
        facts = _gather(intent, reading, snippets, question)
        reply.knowledge_document_ids = facts.documents
        reply.unanswered = bool(facts.missing) and intent != "wants_call"
        if intent == "wants_call":
            reply.hand_off = True
            reply.suggested_stage = "qualified"
            if language.asks_for_person(question) and _ASKS_IF_BOT.search(intents.normalise(question)):
                parts.append(
                    "I'm the academy's automated assistant, and I have asked a counsellor to contact you."
                )
            else:
                parts.append("of course. I have asked a counsellor to call you shortly.")
            parts.extend(facts.sentences)
            parts.append("Is there a time that suits you best?")
        else:
            if about and intent in ("question", "price_objection"):
                reply.suggested_stage = "qualified"
            if turn.purpose == "followup" and about:
                parts.append(f"just following up on {about.title}.")
            elif intent == "price_objection":
                parts.append("I understand that fees matter.")
            elif about and not reading.from_history and grounding.is_course(about):
                parts.append(f"thank you for your interest in {about.title}!")
            elif replied_before:
                if facts.sentences:  # mid-conversation: straight to the answer
                    parts.append("sure.")
            elif facts.sentences:
                parts.append("thank you for your question.")
            else:
                parts.append(
                    f"thank you for reaching out to {turn.company_name}."
                    if turn.company_name
                    else "thank you for reaching out."
                )
            parts.extend(facts.sentences)
            if facts.missing:
                parts.append(_confirm(facts.missing))
            if intent == "price_objection":
                parts.append("A counsellor can walk you through the payment options.")
            if about or facts.sentences:
                parts.append(_qualifying_question(turn))
                parts.append(_NEXT_STEP)
            else:
                if not facts.missing:
                    parts.append("A counsellor will share the course details with you shortly.")
                parts.append("Which course are you interested in?")
    reply.text = " ".join(parts) + _signature(settings, turn.company_name)
    reply.latency_ms = int((time.perf_counter() - started) * 1000)
    return reply
