"""The structured answer a model gives for one turn: its JSON schema, and its validation.

The schema goes to the model as a `json_schema` response format (strict), and
the answer is validated again here with pydantic, because OpenAI-compatible
servers differ in how strictly they enforce it. Validation also checks that
the cited sources exist and that every amount, percentage and date in the
reply is stated by those sources: an answer that fails gets one repair
attempt with the reason.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shvya_ai import facts
from shvya_ai.intents import INTENTS

STAGES = ("", "contacted", "qualified", "enrolled", "lost")

Intent = Literal[
    "interested", "question", "price_objection", "wants_call", "enrolled", "not_interested", "opt_out"
]
Stage = Literal["", "contacted", "qualified", "enrolled", "lost"]


class TurnOutput(BaseModel):
    model_config = ConfigDict(extra="ignore")

    reply: str = Field(min_length=1, max_length=4000)
    subject: str = Field("", max_length=200)
    intent: Intent
    suggested_stage: Stage = ""
    hand_off: bool = False
    opt_out: bool = False
    unanswered: bool = False
    sources: list[int] = Field(default_factory=list)


SCHEMA: dict = {
    "type": "object",
    "properties": {
        "reply": {"type": "string", "description": "The message to send to the student."},
        "subject": {"type": "string", "description": "A short email subject line for the reply."},
        "intent": {
            "type": "string",
            "enum": list(INTENTS),
            "description": "What the student's message means.",
        },
        "suggested_stage": {
            "type": "string",
            "enum": list(STAGES),
            "description": "The pipeline stage the lead should move to, or empty to stay.",
        },
        "hand_off": {"type": "boolean", "description": "A human counsellor should take over."},
        "opt_out": {"type": "boolean", "description": "The student asked to stop receiving messages."},
        "unanswered": {
            "type": "boolean",
            "description": "The course information did not answer the student's question.",
        },
        "sources": {
            "type": "array",
            "items": {"type": "integer"},
            "description": "Numbers of the course-information documents the reply relied on.",
        },
    },
    "required": [
        "reply",
        "subject",
        "intent",
        "suggested_stage",
        "hand_off",
        "opt_out",
        "unanswered",
        "sources",
    ],
    "additionalProperties": False,
}

INSTRUCTIONS = f"""
Answer with one JSON object and nothing else, with exactly these fields:
- reply: the message to the student (plain text, no markdown).
- subject: a short email subject line.
- intent: one of {", ".join(INTENTS)}. A discount or scholarship asked for without a complaint about
  the price is a question; price_objection is for a price said to be too high or unaffordable.
- suggested_stage: one of "contacted", "qualified", "enrolled", "lost", or "" to leave the stage as it is.
- hand_off: true when a human counsellor should take over (the student asks for a call or a person, or
  something only a human can settle).
- opt_out: true when the student asks to stop receiving messages.
- unanswered: true when the course information does not answer the student's question.
- sources: the numbers of the course-information documents the reply relies on (empty if none).
""".strip()


class InvalidAnswer(ValueError):
    """The model's answer is not a valid turn; the message says why, for the repair request."""


class Ungrounded(InvalidAnswer):
    """The answer is well-formed but states a price, percentage or date its sources do not."""


def parse(content: str, documents: int, sources: list[str]) -> TurnOutput:
    """Validates the answer against the schema, the documents given and the facts they state."""
    text = content.strip()
    if text.startswith("```"):  # some servers wrap JSON in a code fence despite the format
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidAnswer(f"the answer is not JSON ({exc.msg} at position {exc.pos})") from None
    if not isinstance(data, dict):
        raise InvalidAnswer("the answer must be a JSON object")
    try:
        output = TurnOutput.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'answer'}: {e['msg']}" for e in exc.errors())
        raise InvalidAnswer(f"the answer does not follow the schema: {problems}") from None
    if not output.reply.strip():
        raise InvalidAnswer("reply must not be empty")
    wrong = [n for n in output.sources if not 1 <= n <= documents]
    if wrong:
        raise InvalidAnswer(
            f"sources {wrong} do not exist: cite only documents 1 to {documents}"
            if documents
            else "no course information was given, so sources must be empty"
        )
    invented = facts.unsupported(output.reply, sources)
    if invented:
        raise Ungrounded(
            f"the reply states {', '.join(invented)}, which the course information does not: state only "
            "prices, dates and offers that it gives, or say a counsellor will confirm"
        )
    return output
