"""Request and response bodies of the REST API (the shapes existing integrations post)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

Channel = Literal["whatsapp_web", "whatsapp_cloud", "email"]
NonBlank = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class InboundMessage(BaseModel):
    """A form submission or any other message from a student."""

    # Website forms carry extra fields (utm_source, page, ...); they are ignored.
    model_config = ConfigDict(
        extra="ignore",
        json_schema_extra={
            "examples": [
                {
                    "phone_number": "+919876543210",
                    "contact_name": "Rahul Kumar",
                    "message_text": "Interested in Digital Marketing course",
                    "channel": "whatsapp_web",
                }
            ]
        },
    )

    phone_number: Annotated[
        NonBlank, Field(max_length=32, description="Any common format; India by default.")
    ]
    contact_name: Annotated[str, Field(max_length=200)] = ""
    message_text: Annotated[NonBlank, Field(max_length=4096)]
    channel: Channel
    company_id: uuid.UUID | None = Field(None, description="Optional; the default company when absent.")
    email: EmailStr | None = Field(None, description="Required when channel is email.")
    consent: bool = Field(
        False,
        description="The person ticked a consent box: recorded as an opt-in with the time and `consent_text`.",
    )
    consent_text: Annotated[str, Field(max_length=2000, description="The consent text the person saw.")] = ""
    course: Annotated[
        str, Field(max_length=200, description="The course named in the form; enrolment rules match it.")
    ] = ""

    @field_validator("company_id", "email", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: object) -> object:
        # A website form posts the inputs a student left empty as "": no e-mail, not a bad one.
        return None if isinstance(value, str) and not value.strip() else value


class InboundMessageResponse(BaseModel):
    status: Literal["ok"] = "ok"
    message_id: str
    job_id: str
    lead_id: str


class QueueStats(BaseModel):
    queued: int
    processing: int
    completed: int
    failed: int
    dlq: int
    due_now: int = Field(description="Queued or awaiting a retry, and due now: waiting for a worker.")
    scheduled_later: int = Field(
        description="Queued or awaiting a retry, due later (a follow-up tomorrow, a retry's backoff)."
    )
    oldest_due_seconds: float = Field(description="How long the oldest job due now has waited; 0 if none.")


class ReplayRequest(BaseModel):
    max_jobs: Annotated[int, Field(ge=1, le=1000)] = 10
    job_ids: Annotated[
        list[uuid.UUID],
        Field(
            max_length=1000,
            description="Replay exactly these dead letters (max_jobs is then ignored); "
            "if one is unknown or not dead-lettered, none is replayed.",
        ),
    ] = []


class ReplayResponse(BaseModel):
    status: Literal["ok"] = "ok"
    replayed: int
    job_ids: list[str]


class DocumentRef(BaseModel):
    id: str
    # Empty when the document has since been deleted.
    title: str


class AiTurnView(BaseModel):
    """What the AI read in the student's messages and decided, for the reply it wrote."""

    intent: str = Field(
        description="interested, question, price_objection, wants_call, enrolled, not_interested or opt_out"
    )
    provider: str
    model: str
    knowledge_documents: list[DocumentRef] = Field(description="The documents the reply relied on.")
    answered_message_ids: list[str] = Field(description="The inbound messages this reply answers.")
    suggested_stage: str
    hand_off: bool
    unanswered: bool = Field(description="The knowledge base did not answer the question.")
    prompt_tokens: int
    completion_tokens: int
    latency_ms: int


class MessageView(BaseModel):
    id: str
    direction: Literal["inbound", "outbound"]
    channel: Channel
    status: Literal["received", "queued", "sent", "delivered", "read", "failed"]
    text: str
    subject: str
    external_id: str | None
    error: str | None
    created_at: str | None
    sent_at: str | None
    delivered_at: str | None
    read_at: str | None
    failed_at: str | None
    # Why an outbound message was sent: reply, opt_out_confirmation, handoff, followup, sequence,
    # counsellor.
    purpose: str | None = None
    # Who wrote an outbound message: "ai", "system", a user's id, or "admin".
    author: str | None = None
    # For a reply the AI wrote (or an opt-out it confirmed): its reading of the turn.
    ai: AiTurnView | None = None
    # Shortcuts to ai.intent and the ids of ai.knowledge_documents.
    intent: str | None = None
    knowledge_document_ids: list[str] = Field(default_factory=list)


class LeadView(BaseModel):
    id: str
    company_id: str
    contact_name: str
    phone_number: str
    email: str | None
    stage: str
    status: str
    summary: str = ""
    created_at: str | None
    last_inbound_at: str | None
    last_outbound_at: str | None
    # The counsellor who has the lead, and since when (None: nobody).
    assigned_user_id: str | None = None
    assigned_at: str | None = None


class ConversationView(BaseModel):
    lead: LeadView
    messages: list[MessageView]


class AccountStatusView(BaseModel):
    """A WhatsApp account as the admin endpoints show it."""

    account: str
    stopped: bool = Field(description="The kill switch: nothing is sent from the account while it is on.")
    stop_reason: str | None
    stop_code: str | None
    stopped_at: str | None
    login_state: Literal["starting", "needs_qr", "logged_in", "logged_out", "blocked"] | None = Field(
        description="WhatsApp Web only."
    )
    login_detail: str | None
    login_state_since: str | None
    sent_today: int
    daily_cap: int = Field(description="0: no cap.")
    next_send_at: str | None = Field(description="Pacing: the earliest next send; null when it may send now.")


class ResumeRequest(BaseModel):
    reason: Annotated[str, Field(max_length=500)] = "resumed by an admin through the gateway"


class ResumeResponse(BaseModel):
    resumed: bool
    status: AccountStatusView


# -- admin: knowledge base, AI configuration, unanswered questions ---------------------


class KnowledgeDocumentIn(BaseModel):
    title: Annotated[NonBlank, Field(max_length=300)]
    content: Annotated[NonBlank, Field(max_length=100_000)]
    tags: list[Annotated[NonBlank, Field(max_length=64)]] = Field(default_factory=list, max_length=50)


class KnowledgeDocumentView(BaseModel):
    id: str
    company_id: str
    title: str
    content: str
    tags: list[str]
    updated_at: str | None


class KnowledgeMatchView(BaseModel):
    document: KnowledgeDocumentView
    rank: float


class KnowledgeSynonymsIn(BaseModel):
    synonyms: dict[Annotated[str, Field(max_length=64)], Annotated[NonBlank, Field(max_length=200)]] = Field(
        max_length=2000,
        description='A word students write and the catalogue words the search also looks for: {"cost": "fee"}. '
        "Replaces the company's whole list.",
    )


class KnowledgeSynonymsView(BaseModel):
    synonyms: dict[str, str]


PROMPT_USE = (
    "The counsellor's instructions. The OpenAI provider follows them whole; the offline provider uses "
    'only the counsellor\'s name ("You are Asha"), a sign-off ("Sign off as Team Shvya") and a formal '
    'tone ("Be formal").'
)


class AiModelView(BaseModel):
    company_id: str
    provider: str = Field(description='"openai", "offline", or "" for the ai service\'s default.')
    model: str
    temperature: float
    max_tokens: int
    system_prompt: str = Field(description=PROMPT_USE)
    base_url: str
    answered_by_provider: str = Field(
        "",
        description="The provider that wrote the latest AI reply (empty before any): the one that answers.",
    )
    answered_by_model: str = Field("", description="The model that wrote the latest AI reply.")


class AiModelPatch(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["", "openai", "offline"] | None = None
    model: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)] | None = (
        None
    )
    temperature: Annotated[float, Field(ge=0, le=2)] | None = None
    max_tokens: Annotated[int, Field(ge=1, le=16384)] | None = None
    system_prompt: Annotated[str, Field(max_length=20_000)] | None = None
    base_url: Annotated[str, Field(max_length=500, pattern=r"^(?:https?://\S+)?$")] | None = None


class PromptView(BaseModel):
    company_id: str
    system_prompt: str = Field(description=PROMPT_USE)


class PromptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    system_prompt: Annotated[str, Field(max_length=20_000, description=PROMPT_USE)]


class UnansweredQuestionView(BaseModel):
    id: str
    company_id: str
    lead_id: str
    message_id: str | None
    question: str
    created_at: str | None
    resolved_at: str | None
    resolution: str


class ResolveQuestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolution: Annotated[str, Field(max_length=2000)] = ""
