"""The OpenAI provider: any OpenAI-compatible chat-completions endpoint through the `openai` package.

Each turn asks for a structured answer (a JSON-schema response format), which
is validated; an invalid answer gets one repair request that says what was
wrong. The `openai` client retries 429s, 5xx and connection failures with
backoff itself; what still fails becomes a ProviderError, permanent when
only a person can fix it (a refused key, an unknown model, a rejected
request, an exhausted quota).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import openai

import shvya_language as language
from shvya_ai import intents, offline, structured
from shvya_ai.turn import Conversation, ProviderError, Reply, Summary, Turn

log = logging.getLogger(__name__)
PROVIDER = "openai"
RESPONSE_FORMATS = ("json_schema", "json_object")

GROUNDING_RULES = """
Rules you must follow:
- State prices, fees, EMI amounts, dates, durations, discounts and offers only as the course information
  below states them. If it does not answer a question, say that a counsellor will confirm, and set
  unanswered to true. Never guess.
- If the student asks to stop receiving messages, confirm politely in one sentence, sell nothing, and set
  opt_out to true.
- If the student asks for a call, a video call or a person, or asks whether you are a bot, say honestly
  that you are an automated assistant and that a counsellor will contact them, and set hand_off to true.
- If the student says this is a wrong number or the wrong person, apologise in one sentence, sell nothing,
  and set opt_out to true.
- If the student says they have paid, thank them, say a counsellor will check the payment and confirm,
  quote no fee, and set hand_off to true.
- Reply in the language and script the student wrote in (Hindi in Devanagari, Tamil in Tamil script,
  Hinglish in Latin letters, and so on); keep amounts and dates as the course information states them.
""".strip()
SUMMARY_PROMPT = (
    "Summarise this conversation between a course counsellor and a student for the colleague who reads it "
    "next: who the student is, what they want, what was answered, what is still open, and the next step. "
    "At most three sentences. Use only what the conversation says."
)


def build_messages(turn: Turn) -> list[dict[str, str]]:
    """System prompt (company prompt, rules, numbered snippets, lead), then the conversation in order."""
    system = turn.system_prompt.strip()
    system += "\n\n" + GROUNDING_RULES
    if turn.knowledge:
        snippets = "\n\n".join(f"[{i + 1}] {s.title}\n{s.content}" for i, s in enumerate(turn.knowledge))
        system += "\n\nCourse information (the only source for prices, dates and offers):\n\n" + snippets
    else:
        system += "\n\nNo course information matched this message: say a counsellor will confirm the details."
    if turn.lead_name:
        system += f"\n\nThe student's name is {turn.lead_name}."
    if turn.lead_stage:
        system += f" Their stage in our pipeline: {turn.lead_stage}."
    if turn.channel in ("whatsapp_web", "whatsapp_cloud"):
        system += "\nThis is WhatsApp: keep the reply short and conversational."
    if turn.purpose == "followup":
        system += "\nThe student has not replied for a while: write a short, friendly follow-up."
    system += "\n\n" + structured.INSTRUCTIONS
    messages = [{"role": "system", "content": system}]
    for from_lead, text in turn.history:
        messages.append({"role": "user" if from_lead else "assistant", "content": text})
    if turn.inbound_text.strip():
        messages.append({"role": "user", "content": turn.inbound_text})
    return messages


def response_format(kind: str) -> dict:
    if kind == "json_object":
        return {"type": "json_object"}
    return {
        "type": "json_schema",
        "json_schema": {"name": "counsellor_turn", "strict": True, "schema": structured.SCHEMA},
    }


def _failure(exc: openai.APIError) -> ProviderError:
    """A clear error; permanent when retrying cannot help."""
    status = getattr(exc, "status_code", None)
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return ProviderError(
            f"the model endpoint refused the API key (HTTP {status}): {exc.message}", permanent=True
        )
    if isinstance(exc, openai.NotFoundError):
        return ProviderError(
            f"the model or endpoint does not exist (HTTP 404): {exc.message}", permanent=True
        )
    if isinstance(exc, openai.BadRequestError | openai.UnprocessableEntityError):
        return ProviderError(
            f"the model endpoint rejected the request (HTTP {status}): {exc.message}", permanent=True
        )
    if isinstance(exc, openai.RateLimitError) and getattr(exc, "code", None) == "insufficient_quota":
        return ProviderError(f"the API key has no quota left: {exc.message}", permanent=True)
    if isinstance(exc, openai.APITimeoutError):
        return ProviderError("the model endpoint timed out")
    if isinstance(exc, openai.APIConnectionError):
        return ProviderError(f"the model endpoint is unreachable: {exc.__cause__ or exc.message}")
    return ProviderError(f"{type(exc).__name__} (HTTP {status}): {exc.message}")


@dataclass
class _Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model: str = ""

    def add(self, completion) -> None:
        usage = completion.usage
        if usage is not None:
            self.prompt_tokens += usage.prompt_tokens or 0
            self.completion_tokens += usage.completion_tokens or 0
        self.model = completion.model or self.model


class OpenAiProvider:
    """Holds one client per base URL; the clients are thread-safe and pooled."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None,
        default_model: str,
        timeout: float,
        max_retries: int,
        response_format: str = "json_schema",
    ) -> None:
        if response_format not in RESPONSE_FORMATS:
            raise ValueError(f"response_format must be one of {', '.join(RESPONSE_FORMATS)}")
        self._api_key = api_key
        self._base_url = base_url
        self._default_model = default_model
        self._timeout = timeout
        self._max_retries = max_retries
        self._format = response_format
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

    def _create(self, base_url: str, deadline: float | None, **request):
        """One chat completion (with the client's own retries), within the caller's deadline."""
        timeout = self._timeout
        if deadline is not None:
            timeout = max(min(timeout, deadline - time.monotonic()), 1.0)
        try:
            return self._client(base_url or None).chat.completions.create(timeout=timeout, **request)
        except openai.APIError as exc:
            raise _failure(exc) from exc

    def compose(self, turn: Turn, deadline: float | None = None) -> Reply:
        model = turn.model or self._default_model
        started = time.perf_counter()
        messages = build_messages(turn)
        sources = [s.content for s in turn.knowledge] + [s.title for s in turn.knowledge]
        sources += [text for from_lead, text in turn.history if from_lead] + [turn.inbound_text]
        request = {
            "model": model,
            "temperature": turn.temperature,
            "max_tokens": turn.max_tokens,
            "response_format": response_format(self._format),
        }
        usage = _Usage(model=model)
        output, problem = None, None
        for attempt in (1, 2):
            completion = self._create(turn.base_url, deadline, messages=messages, **request)
            usage.add(completion)
            content = (completion.choices[0].message.content or "") if completion.choices else ""
            try:
                output = structured.parse(content, len(turn.knowledge), sources)
                break
            except structured.InvalidAnswer as exc:
                problem = exc
                log.warning("model answer %d invalid: %s", attempt, exc)
                messages = [
                    *messages,
                    {"role": "assistant", "content": content},
                    {
                        "role": "user",
                        "content": f"Your answer was not valid: {exc}. Answer again with only the corrected "
                        "JSON object.",
                    },
                ]
        latency_ms = int((time.perf_counter() - started) * 1000)
        if output is None:
            if not isinstance(problem, structured.Ungrounded):
                raise ProviderError(f"the model's answer was invalid twice: {problem}")
            # Twice a figure the knowledge base does not state: answer from it instead.
            fallback = offline.compose(turn)
            log.warning("model insisted on an unsupported fact; replying from the knowledge base instead")
            fallback.provider, fallback.model = PROVIDER, f"{usage.model} (grounded fallback)"
            fallback.prompt_tokens, fallback.completion_tokens = usage.prompt_tokens, usage.completion_tokens
            fallback.latency_ms = latency_ms
            return fallback
        return self._reply(turn, output, usage, latency_ms)

    def _reply(self, turn: Turn, output: structured.TurnOutput, usage: _Usage, latency_ms: int) -> Reply:
        intent = output.intent
        text = output.reply.strip()
        # The rules are a safety net: an opt-out they see is honoured even if the model missed it,
        # and answered with the offline confirmation (or apology, to a wrong number) rather than
        # a model's reply that may still sell.
        if intents.is_opt_out(turn.inbound_text):
            if output.intent != "opt_out" or language.is_wrong_number(turn.inbound_text):
                text = offline.compose(turn).text
            intent = "opt_out"
        # A payment claimed or a person asked for goes to a counsellor, whatever the model read.
        wants_person = language.claims_payment(turn.inbound_text) or language.asks_for_person(
            turn.inbound_text
        )
        cited = [turn.knowledge[n - 1].document_id for n in dict.fromkeys(output.sources)]
        return Reply(
            text=text,
            subject=output.subject.strip() or f"Your enquiry at {turn.company_name}".strip(),
            intent=intent,
            provider=PROVIDER,
            model=usage.model,
            suggested_stage="lost" if intent == "opt_out" else output.suggested_stage,
            hand_off=(output.hand_off or intent == "wants_call" or wants_person) and intent != "opt_out",
            opt_out=intent == "opt_out" or output.opt_out,
            unanswered=output.unanswered,
            knowledge_document_ids=cited,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            latency_ms=latency_ms,
        )

    def summarize(self, conversation: Conversation, deadline: float | None = None) -> Summary:
        model = conversation.model or self._default_model
        started = time.perf_counter()
        transcript = "\n".join(
            f"{'Student' if from_lead else 'Counsellor'}: {text}" for from_lead, text in conversation.messages
        )
        completion = self._create(
            conversation.base_url,
            deadline,
            model=model,
            temperature=0.2,
            max_tokens=200,
            messages=[
                {"role": "system", "content": SUMMARY_PROMPT},
                {
                    "role": "user",
                    "content": f"Student: {conversation.lead_name or 'unknown'} "
                    f"(stage {conversation.lead_stage or 'new'}, status {conversation.lead_status or 'active'})"
                    f"\n\n{transcript}",
                },
            ],
        )
        text = (completion.choices[0].message.content or "").strip() if completion.choices else ""
        if not text:
            raise ProviderError("the model returned an empty summary")
        usage = completion.usage
        return Summary(
            text=text,
            provider=PROVIDER,
            model=completion.model or model,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            latency_ms=int((time.perf_counter() - started) * 1000),
        )
