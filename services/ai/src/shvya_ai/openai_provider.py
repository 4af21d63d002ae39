"""The OpenAI provider: any OpenAI-compatible chat-completions endpoint through the `openai` package."""

from __future__ import annotations

import logging
import threading
import time

import openai

from shvya_ai import intents
from shvya_ai.turn import ProviderError, Reply, Turn

log = logging.getLogger(__name__)
PROVIDER = "openai"


def build_messages(turn: Turn) -> list[dict[str, str]]:
    """System prompt with the knowledge-base snippets, then the conversation in order."""
    system = turn.system_prompt.strip()
    if turn.knowledge:
        snippets = "\n\n".join(f"[{i + 1}] {s.title}\n{s.content}" for i, s in enumerate(turn.knowledge))
        system += "\n\nCourse information (the only source for prices, dates and offers):\n\n" + snippets
    else:
        system += "\n\nNo course information matched this message: say a counsellor will confirm the details."
    if turn.lead_name:
        system += f"\n\nThe student's name is {turn.lead_name}."
    if turn.purpose == "followup":
        system += "\nThe student has not replied for a while: write a short, friendly follow-up."
    messages = [{"role": "system", "content": system}]
    for from_lead, text in turn.history:
        messages.append({"role": "user" if from_lead else "assistant", "content": text})
    messages.append({"role": "user", "content": turn.inbound_text})
    return messages


class OpenAiProvider:
    """Holds one client per base URL; the clients are thread-safe and pooled."""

    def __init__(
        self, *, api_key: str, base_url: str | None, default_model: str, timeout: float, max_retries: int
    ) -> None:
        self._api_key = api_key
        self._base_url = base_url
        self._default_model = default_model
        self._timeout = timeout
        self._max_retries = max_retries
        self._clients: dict[str | None, openai.OpenAI] = {}
        self._lock = threading.Lock()

    def _client(self, base_url: str | None) -> openai.OpenAI:
        key = base_url or self._base_url
        with self._lock:
            client = self._clients.get(key)
            if client is None:
                client = openai.OpenAI(
                    api_key=self._api_key, base_url=key, timeout=self._timeout, max_retries=self._max_retries
                )
                self._clients[key] = client
            return client

    def compose(self, turn: Turn) -> Reply:
        model = turn.model or self._default_model
        started = time.perf_counter()
        try:
            completion = self._client(turn.base_url or None).chat.completions.create(
                model=model,
                messages=build_messages(turn),
                temperature=turn.temperature,
                max_tokens=turn.max_tokens,
            )
        except openai.APIError as exc:
            raise ProviderError(f"{type(exc).__name__}: {exc}") from exc
        latency_ms = int((time.perf_counter() - started) * 1000)
        text = (completion.choices[0].message.content or "").strip() if completion.choices else ""
        if not text:
            raise ProviderError("the model returned an empty reply")
        intent = intents.classify(turn.inbound_text)
        usage = completion.usage
        return Reply(
            text=text,
            subject=f"Your enquiry at {turn.company_name}".strip(),
            intent=intent,
            provider=PROVIDER,
            model=completion.model or model,
            opt_out=intent == "opt_out",
            knowledge_document_ids=[s.document_id for s in turn.knowledge],
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            latency_ms=latency_ms,
        )
