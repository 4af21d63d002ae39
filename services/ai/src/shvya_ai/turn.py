"""The provider-independent shape of one AI turn: what goes in, what comes out."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Snippet:
    document_id: str
    title: str
    content: str
    rank: float


@dataclass(frozen=True)
class Turn:
    company_name: str
    system_prompt: str
    lead_name: str
    lead_stage: str
    channel: str  # whatsapp_web, whatsapp_cloud or email
    history: list[tuple[bool, str]]  # (from_lead, text), oldest first
    inbound_text: str
    knowledge: list[Snippet]
    purpose: str = "reply"  # reply or followup
    model: str = ""
    temperature: float = 0.7
    max_tokens: int = 500
    base_url: str = ""


@dataclass
class Reply:
    text: str
    subject: str
    intent: str  # interested, question, price_objection, wants_call, enrolled, not_interested, opt_out
    provider: str
    model: str
    suggested_stage: str = ""
    hand_off: bool = False
    opt_out: bool = False
    unanswered: bool = False
    knowledge_document_ids: list[str] = field(default_factory=list)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0


@dataclass(frozen=True)
class Conversation:
    """A whole conversation to summarise."""

    company_name: str
    lead_name: str
    lead_stage: str
    lead_status: str
    messages: list[tuple[bool, str]]  # (from_lead, text), oldest first
    reason: str = ""  # handoff or messages
    model: str = ""
    base_url: str = ""


@dataclass
class Summary:
    text: str
    provider: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0


class ProviderError(Exception):
    """The model could not produce a reply (after the provider's own retries).

    `permanent` when trying again cannot help until someone changes something:
    a refused API key, an unknown model, a request the endpoint rejects.
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
