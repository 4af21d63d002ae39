"""Request and response bodies of the REST API (the reference guide's shapes)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

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


class ReplayRequest(BaseModel):
    max_jobs: Annotated[int, Field(ge=1, le=1000)] = 10


class ReplayResponse(BaseModel):
    status: Literal["ok"] = "ok"
    replayed: int
    job_ids: list[str]


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


class LeadView(BaseModel):
    id: str
    company_id: str
    contact_name: str
    phone_number: str
    email: str | None
    stage: str
    status: str
    created_at: str | None
    last_inbound_at: str | None
    last_outbound_at: str | None


class ConversationView(BaseModel):
    lead: LeadView
    messages: list[MessageView]
