"""The offline summary of a conversation: who, what they asked, what is open, where it stands.

Extractive and deterministic: it quotes the student's own words and names
the topics asked about, so it never states a fact the conversation did not.
"""

from __future__ import annotations

import time

from shvya_ai import grounding, intents
from shvya_ai.offline import MODEL, PROVIDER, first_name
from shvya_ai.turn import Conversation, Summary

MAX_QUOTE = 160
_INTENT_WORDS = {
    "wants_call": "asked for a call",
    "price_objection": "raised the price",
    "enrolled": "says they have enrolled",
    "not_interested": "said they are not interested",
    "opt_out": "asked us to stop messaging",
    "question": "asked questions",
    "interested": "showed interest",
}


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_QUOTE else flat[: MAX_QUOTE - 1].rstrip() + "…"


def summarize(conversation: Conversation) -> Summary:
    started = time.perf_counter()
    said = [text for from_lead, text in conversation.messages if from_lead and text.strip()]
    name = first_name(conversation.lead_name) or "The student"
    parts = []
    if not said:
        parts.append(f"{name} has not written yet.")
    else:
        topics = []
        for text in said:
            normalised = intents.normalise(text)
            topics += [
                t.label for t in grounding.TOPICS if t.ask.search(normalised) and t.label not in topics
            ]
        seen = []
        for text in said:
            reading = _INTENT_WORDS[intents.classify(text)]
            if reading not in seen:
                seen.append(reading)
        parts.append(
            f'{name} wrote {len(said)} message{"s" if len(said) > 1 else ""}: first "{_quote(said[0])}"'
        )
        if len(said) > 1:
            parts[-1] += f', latest "{_quote(said[-1])}"'
        parts[-1] += "."
        parts.append(f"They {', '.join(seen)}.")
        if topics:
            parts.append(f"Topics: {', '.join(topics)}.")
    replies = sum(1 for from_lead, _ in conversation.messages if not from_lead)
    where = f"Stage {conversation.lead_stage or 'new'}, status {conversation.lead_status or 'active'}"
    parts.append(f"{where}; {replies} repl{'ies' if replies != 1 else 'y'} sent.")
    if conversation.reason == "handoff":
        parts.append("Handed off: a counsellor should follow up.")
    return Summary(
        text=" ".join(parts),
        provider=PROVIDER,
        model=MODEL,
        latency_ms=int((time.perf_counter() - started) * 1000),
    )
