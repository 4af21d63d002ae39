"""Runs the cases through a running mesh, as a student and a tester would: POST /inbound-message,
then GET /leads/{id} until the reply to the message is there (with the AI's reading of it)."""

from __future__ import annotations

import time
import uuid
from functools import cache

import httpx

from bench.ai_eval.cases import Case
from bench.ai_eval.score import Outcome

# The quiet a conversation waits for before a reply, plus the turn itself.
REPLY_TIMEOUT = 45.0


def _headers(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


@cache
def _knowledge(base: str, token: str | None, company_id: str) -> tuple[str, ...]:
    """The company's documents, the sources a reply's facts must come from."""
    response = httpx.get(
        f"{base}/admin/companies/{company_id}/knowledge", headers=_headers(token), timeout=10
    )
    response.raise_for_status()
    return tuple(text for d in response.json() for text in (d["title"], d["content"]))


def _post(base: str, phone: str, email: str, text: str, channel: str) -> dict:
    body = {"phone_number": phone, "contact_name": "Rahul Kumar", "message_text": text, "channel": channel}
    if channel == "email":
        body["email"] = email
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    while True:
        response = httpx.post(f"{base}/inbound-message", json=body, headers=headers, timeout=10)
        # Hundreds of cases from one address meet the intake's rate limits: wait as told.
        if response.status_code != 429:
            break
        time.sleep(int(response.headers.get("Retry-After", "1")))
    response.raise_for_status()
    return response.json()


def _wait_for_reply(base: str, token: str | None, lead_id: str, message_id: str) -> tuple[dict | None, dict]:
    """The outbound message answering `message_id` (None if none came), and the conversation."""
    deadline = time.monotonic() + REPLY_TIMEOUT
    view: dict = {}
    while time.monotonic() < deadline:
        response = httpx.get(f"{base}/leads/{lead_id}", headers=_headers(token), timeout=10)
        response.raise_for_status()
        view = response.json()
        for message in view["messages"]:
            ai = message.get("ai") or {}
            if message["direction"] == "outbound" and message_id in ai.get("answered_message_ids", ()):
                return message, view
        time.sleep(0.2)
    return None, view


def run_case(base: str, case: Case, token: str | None, channel: str) -> tuple[Outcome, list[str]]:
    base = base.rstrip("/")
    suffix = uuid.uuid4().int % 10**8
    phone, email = f"+9195{suffix:08d}", f"eval.{suffix}@example.com"
    for who, text in case.history:
        if who == "lead":  # our side of the history is what the mesh itself replies
            posted = _post(base, phone, email, text, channel)
            _wait_for_reply(base, token, posted["lead_id"], posted["message_id"])
    posted = _post(base, phone, email, case.text, channel)
    reply, view = _wait_for_reply(base, token, posted["lead_id"], posted["message_id"])
    lead = view.get("lead", {})
    knowledge = list(_knowledge(base, token, lead["company_id"])) if lead else []
    if reply is None:
        opted_out = lead.get("status") == "opted_out"
        return Outcome(case.id, "", "opt_out" if opted_out else "", opted_out, error="no reply"), knowledge
    ai = reply["ai"]
    return (
        Outcome(
            case_id=case.id,
            text=reply["text"],
            intent=ai["intent"],
            opt_out=ai["intent"] == "opt_out" or lead.get("status") == "opted_out",
            unanswered=ai["unanswered"],
            hand_off=ai["hand_off"] or lead.get("status") == "handed_off",
        ),
        knowledge,
    )
