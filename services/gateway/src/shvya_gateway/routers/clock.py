"""GET/POST /admin/clock: read the crm's clock, and move it forward in tests.

Moving it is refused (409) unless the crm runs with CRM_TEST_CLOCK=true.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Request
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel, Field, model_validator

from shvya.crm.v1 import clock_service_pb2 as clock_pb
from shvya_gateway.deps import AdminDep, BackendsDep
from shvya_gateway.forms import openapi_body, read_body, validate

router = APIRouter(tags=["admin"], dependencies=[AdminDep])


class ClockView(BaseModel):
    now: str
    controllable: bool


class ClockChange(BaseModel):
    advance_seconds: Annotated[float | None, Field(gt=0, le=366 * 24 * 3600)] = None
    at: datetime | None = Field(
        None, description="An ISO 8601 instant with a time zone, not earlier than now."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> ClockChange:
        if (self.advance_seconds is None) == (self.at is None):
            raise ValueError("set exactly one of advance_seconds and at")
        if self.at is not None and self.at.tzinfo is None:
            raise ValueError("at must carry a time zone")
        return self


def _iso(value: Timestamp) -> str:
    return value.ToDatetime().isoformat() + "Z"


@router.get("/admin/clock", response_model=ClockView, summary="The crm's current time")
async def get_clock(backends: BackendsDep) -> ClockView:
    reply = await backends.crm.clock.GetClock(clock_pb.GetClockRequest())
    return ClockView(now=_iso(reply.now), controllable=reply.controllable)


@router.post(
    "/admin/clock",
    response_model=ClockView,
    summary="Move the crm's clock forward (tests only: needs CRM_TEST_CLOCK=true)",
    openapi_extra=openapi_body(ClockChange),
)
async def set_clock(request: Request, backends: BackendsDep) -> ClockView:
    change = validate(ClockChange, await read_body(request))
    if change.advance_seconds is not None:
        message = clock_pb.SetClockRequest(advance_seconds=change.advance_seconds)
    else:
        at = Timestamp()
        at.FromDatetime(change.at)
        message = clock_pb.SetClockRequest(at=at)
    reply = await backends.crm.clock.SetClock(message)
    return ClockView(now=_iso(reply.now), controllable=True)
