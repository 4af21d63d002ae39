"""Sequences and enrolments: /companies/{id}/sequences, /sequences/{id}, /leads/{id}/enrolments,
/enrolments/{id}/stop."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio
from pydantic import BaseModel, ConfigDict, Field

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya_gateway.channel_names import FROM_PB, TO_PB, ChannelName
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep
from shvya_gateway.errors import rpc_error_response
from shvya_gateway.forms import openapi_body, read_body, validate

router = APIRouter(tags=["sequences"], dependencies=[AdminDep])

StopCondition = Literal["replied", "handed_off", "enrolled"]


class Trigger(BaseModel):
    """Which leads the sequence enrols at intake; empty means through the API only."""

    model_config = ConfigDict(extra="forbid")

    course: Annotated[str, Field(max_length=200, description="Matches the form's course or the message.")] = (
        ""
    )
    keywords: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(default_factory=list)
    channels: list[ChannelName] = Field(default_factory=list, description="Empty means any channel.")
    all_new_leads: bool = False


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: ChannelName
    template_id: uuid.UUID
    delay_seconds: Annotated[int, Field(ge=0, le=365 * 24 * 3600)] = Field(
        0, description="Wait after the previous step (after enrolment for the first)."
    )
    stop_conditions: list[StopCondition] = Field(
        default_factory=list, description="Stop the enrolment instead of sending this step when one holds."
    )


class SequenceBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200)]
    active: bool = True
    trigger: Trigger = Field(default_factory=Trigger)
    steps: Annotated[list[Step], Field(max_length=50)] = Field(default_factory=list)


class StepView(Step):
    id: str
    position: int


class SequenceView(BaseModel):
    id: str
    company_id: str
    name: str
    active: bool
    trigger: Trigger
    steps: list[StepView]
    created_at: str | None
    updated_at: str | None


class EnrolBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sequence_id: uuid.UUID


class StopBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, Field(max_length=500)] = ""


class EnrolmentView(BaseModel):
    id: str
    company_id: str
    sequence_id: str
    lead_id: str
    status: Literal["active", "completed", "stopped"]
    next_position: int
    source: str
    stop_reason: str
    created_at: str | None
    completed_at: str | None


def _iso(value: Timestamp, present: bool) -> str | None:
    return value.ToDatetime().isoformat() + "Z" if present else None


def sequence_view(s: outreach_pb.Sequence) -> SequenceView:
    return SequenceView(
        id=s.id,
        company_id=s.company_id,
        name=s.name,
        active=s.active,
        trigger=Trigger(
            course=s.trigger.course,
            keywords=list(s.trigger.keywords),
            channels=[FROM_PB[c] for c in s.trigger.channels if c in FROM_PB],
            all_new_leads=s.trigger.all_new_leads,
        ),
        steps=[
            StepView(
                id=step.id,
                position=step.position,
                channel=FROM_PB[step.channel],
                template_id=uuid.UUID(step.template_id),
                delay_seconds=step.delay_seconds,
                stop_conditions=list(step.stop_conditions),
            )
            for step in s.steps
        ],
        created_at=_iso(s.created_at, s.HasField("created_at")),
        updated_at=_iso(s.updated_at, s.HasField("updated_at")),
    )


def enrolment_view(e: outreach_pb.Enrolment) -> EnrolmentView:
    return EnrolmentView(
        id=e.id,
        company_id=e.company_id,
        sequence_id=e.sequence_id,
        lead_id=e.lead_id,
        status=e.status,
        next_position=e.next_position,
        source=e.source,
        stop_reason=e.stop_reason,
        created_at=_iso(e.created_at, e.HasField("created_at")),
        completed_at=_iso(e.completed_at, e.HasField("completed_at")),
    )


def _message(body: SequenceBody, company_id: str, sequence_id: str = "") -> outreach_pb.Sequence:
    return outreach_pb.Sequence(
        id=sequence_id,
        company_id=company_id,
        name=body.name,
        active=body.active,
        trigger=outreach_pb.SequenceTrigger(
            course=body.trigger.course,
            keywords=body.trigger.keywords,
            channels=[TO_PB[c] for c in body.trigger.channels],
            all_new_leads=body.trigger.all_new_leads,
        ),
        steps=[
            outreach_pb.SequenceStep(
                position=i,
                channel=TO_PB[step.channel],
                template_id=str(step.template_id),
                delay_seconds=step.delay_seconds,
                stop_conditions=step.stop_conditions,
            )
            for i, step in enumerate(body.steps, start=1)
        ],
    )


async def _upsert(backends, settings, message: outreach_pb.Sequence):
    try:
        return await backends.crm.outreach.UpsertSequence(outreach_pb.UpsertSequenceRequest(sequence=message))
    except aio.AioRpcError as exc:
        return rpc_error_response(exc, strip="sequence.")


@router.get(
    "/companies/{company_id}/sequences", response_model=list[SequenceView], summary="A company's sequences"
)
async def list_sequences(
    company_id: Annotated[uuid.UUID, Path()], backends: BackendsDep
) -> list[SequenceView]:
    reply = await backends.crm.outreach.ListSequences(
        outreach_pb.ListSequencesRequest(company_id=str(company_id))
    )
    return [sequence_view(s) for s in reply.sequences]


@router.post(
    "/companies/{company_id}/sequences",
    response_model=SequenceView,
    status_code=201,
    summary="Create a sequence",
    openapi_extra=openapi_body(SequenceBody),
)
async def create_sequence(
    company_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep, settings: SettingsDep
):
    body = validate(SequenceBody, await read_body(request))
    reply = await _upsert(backends, settings, _message(body, str(company_id)))
    return reply if isinstance(reply, Response) else sequence_view(reply.sequence)


@router.get("/sequences/{sequence_id}", response_model=SequenceView, summary="One sequence")
async def get_sequence(sequence_id: Annotated[uuid.UUID, Path()], backends: BackendsDep) -> SequenceView:
    reply = await backends.crm.outreach.GetSequence(
        outreach_pb.GetSequenceRequest(sequence_id=str(sequence_id))
    )
    return sequence_view(reply.sequence)


@router.put(
    "/sequences/{sequence_id}",
    response_model=SequenceView,
    summary="Replace a sequence (its steps as a whole)",
    openapi_extra=openapi_body(SequenceBody),
)
async def replace_sequence(
    sequence_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep, settings: SettingsDep
):
    body = validate(SequenceBody, await read_body(request))
    current = await backends.crm.outreach.GetSequence(
        outreach_pb.GetSequenceRequest(sequence_id=str(sequence_id))
    )
    reply = await _upsert(backends, settings, _message(body, current.sequence.company_id, str(sequence_id)))
    return reply if isinstance(reply, Response) else sequence_view(reply.sequence)


@router.delete(
    "/sequences/{sequence_id}", status_code=204, summary="Delete a sequence and stop its enrolments"
)
async def delete_sequence(sequence_id: Annotated[uuid.UUID, Path()], backends: BackendsDep) -> Response:
    await backends.crm.outreach.DeleteSequence(
        outreach_pb.DeleteSequenceRequest(sequence_id=str(sequence_id)),
    )
    return Response(status_code=204)


@router.post(
    "/leads/{lead_id}/enrolments",
    response_model=EnrolmentView,
    status_code=201,
    summary="Enrol a lead in a sequence (an existing enrolment is returned with 200)",
    openapi_extra=openapi_body(EnrolBody),
)
async def enrol_lead(
    lead_id: Annotated[uuid.UUID, Path()],
    request: Request,
    response: Response,
    backends: BackendsDep,
):
    body = validate(EnrolBody, await read_body(request))
    try:
        reply = await backends.crm.outreach.EnrolLead(
            outreach_pb.EnrolLeadRequest(lead_id=str(lead_id), sequence_id=str(body.sequence_id)),
        )
    except aio.AioRpcError as exc:
        return rpc_error_response(exc)
    if not reply.created:
        response.status_code = 200
    return enrolment_view(reply.enrolment)


@router.get("/leads/{lead_id}/enrolments", response_model=list[EnrolmentView], summary="A lead's enrolments")
async def lead_enrolments(
    lead_id: Annotated[uuid.UUID, Path()], backends: BackendsDep
) -> list[EnrolmentView]:
    reply = await backends.crm.outreach.ListEnrolments(
        outreach_pb.ListEnrolmentsRequest(lead_id=str(lead_id))
    )
    return [enrolment_view(e) for e in reply.enrolments]


@router.get(
    "/sequences/{sequence_id}/enrolments",
    response_model=list[EnrolmentView],
    summary="A sequence's enrolments",
)
async def sequence_enrolments(
    sequence_id: Annotated[uuid.UUID, Path()], backends: BackendsDep
) -> list[EnrolmentView]:
    reply = await backends.crm.outreach.ListEnrolments(
        outreach_pb.ListEnrolmentsRequest(sequence_id=str(sequence_id)),
    )
    return [enrolment_view(e) for e in reply.enrolments]


@router.post(
    "/enrolments/{enrolment_id}/stop",
    response_model=EnrolmentView,
    summary="Stop an enrolment and cancel its pending step",
    openapi_extra=openapi_body(StopBody),
)
async def stop_enrolment(
    enrolment_id: Annotated[uuid.UUID, Path()], request: Request, backends: BackendsDep
) -> EnrolmentView:
    body = validate(StopBody, await read_body(request)) if (await request.body()).strip() else StopBody()
    reply = await backends.crm.outreach.StopEnrolment(
        outreach_pb.StopEnrolmentRequest(enrolment_id=str(enrolment_id), reason=body.reason),
    )
    return enrolment_view(reply.enrolment)
