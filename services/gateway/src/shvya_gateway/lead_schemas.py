"""Bodies of the endpoints that find and work leads, each request body with an example."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from shvya_gateway.schemas import MessageView

Tag = Annotated[str, Field(min_length=1, max_length=64)]


def _example(example: dict) -> ConfigDict:
    return ConfigDict(extra="forbid", json_schema_extra={"examples": [example]})


class LeadSummary(BaseModel):
    id: str
    company_id: str
    contact_name: str
    phone_number: str
    email: str | None
    channel: str
    source: str
    course: str
    stage: str
    status: str
    tags: list[str]
    summary: str
    created_at: str | None
    last_message_at: str | None
    last_inbound_at: str | None
    last_outbound_at: str | None


class LeadPage(BaseModel):
    leads: list[LeadSummary]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class StageCountView(BaseModel):
    stage: str
    name: str
    count: int
    # The count reached the request's count_limit: there are at least that many.
    at_least: bool = False


class LeadCounts(BaseModel):
    by_stage: list[StageCountView]
    by_status: dict[str, int]
    total: int
    # With a count_limit: the statuses whose count reached it, and whether the total did.
    statuses_at_least: list[str] = []
    total_at_least: bool = False


class ConversationSummary(BaseModel):
    lead: LeadSummary
    last_message: MessageView | None


class ConversationPage(BaseModel):
    conversations: list[ConversationSummary]
    next_cursor: str | None


class DeadLetterView(BaseModel):
    job_id: str
    task_name: str
    reason: str = Field(description="The error of the job's last attempt.")
    attempts: int
    dead_at: str | None
    lead_id: str | None
    lead_name: str
    company_id: str | None


class DeadLetterPage(BaseModel):
    dead_letters: list[DeadLetterView]
    next_cursor: str | None


class StageMove(BaseModel):
    model_config = _example({"stage": "qualified", "reason": "asked for a call back on Saturday"})

    stage: Annotated[
        str, Field(min_length=1, max_length=64, description="A stage key other than enrolled/lost.")
    ]
    reason: Annotated[str, Field(max_length=1000)] = ""


class Closing(BaseModel):
    model_config = _example({"reason": "paid the first instalment"})

    reason: Annotated[str, Field(min_length=1, max_length=1000, description="Why; kept in the audit log.")]


class NoteIn(BaseModel):
    model_config = _example(
        {"text": "Called at 11:00, will visit the campus on Saturday.", "author": "asha@academy.example"}
    )

    text: Annotated[str, Field(min_length=1, max_length=4000)]
    author: Annotated[str, Field(max_length=320)] = ""


class NoteView(BaseModel):
    id: str
    lead_id: str
    text: str
    author: str
    created_at: str | None


class TagsChange(BaseModel):
    model_config = _example({"add": ["scholarship", "weekend batch"], "remove": ["cold"]})

    add: Annotated[list[Tag], Field(max_length=50)] = []
    remove: Annotated[list[Tag], Field(max_length=50)] = []


class ContactCorrection(BaseModel):
    model_config = _example({"contact_name": "Meera Nair", "email": "meera.nair@example.com"})

    contact_name: Annotated[str | None, Field(max_length=200)] = None
    phone_number: Annotated[
        str | None, Field(max_length=32, description="Any common format; India by default.")
    ] = None
    email: Annotated[str | None, Field(max_length=320, description="An empty string removes it.")] = None


class LeadChange(BaseModel):
    lead: LeadSummary
    changed: bool


class ContactCorrected(BaseModel):
    lead: LeadSummary
    changed: list[str]
    restored_channels: list[str] = Field(
        description="Channels whose undeliverable mark the new address cleared."
    )


class ImportRowErrorView(BaseModel):
    row: int = Field(description="1 is the first row after the header; 0 is the header.")
    field: str
    reason: str


class ImportDuplicateView(BaseModel):
    row: int
    matched_on: str
    lead_id: str | None
    same_as_row: int | None


class ImportReport(BaseModel):
    rows: int
    created: int = Field(description="Leads created, or that would be on a dry run or a rejected file.")
    duplicates: list[ImportDuplicateView]
    errors: list[ImportRowErrorView]
    applied: bool = Field(description="True when the leads were written: no bad row and not a dry run.")
    lead_ids: list[str]
