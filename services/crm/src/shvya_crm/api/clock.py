"""The TestClockService: reads and, under CRM_TEST_CLOCK, moves the crm's clock."""

from __future__ import annotations

import logging
from datetime import UTC

import grpc

from shvya.crm.v1 import clock_service_pb2 as clock_pb
from shvya.crm.v1 import clock_service_pb2_grpc
from shvya_crm.api import convert
from shvya_crm.api.rpc import rpc
from shvya_crm.settings import CrmSettings
from shvya_crm.storage import clockstore
from shvya_crm.storage.clock import ClockLocked
from shvya_crm.storage.db import Database
from shvya_rpc.errors import FieldErrors

log = logging.getLogger(__name__)


class TestClockServicer(clock_service_pb2_grpc.TestClockServiceServicer):
    def __init__(self, settings: CrmSettings, db: Database) -> None:
        self._settings = settings
        self._db = db

    @rpc
    def GetClock(self, request, context):
        return clock_pb.GetClockResponse(
            now=convert.ts(self._db.clock.now()), controllable=self._db.clock.controllable
        )

    @rpc
    def SetClock(self, request: clock_pb.SetClockRequest, context):
        clock = self._db.clock
        try:
            if request.WhichOneof("change") == "advance_seconds":
                now = clock.advance(request.advance_seconds)
            elif request.WhichOneof("change") == "at":
                now = clock.set(request.at.ToDatetime(tzinfo=UTC))
            else:
                raise FieldErrors({"change": "set advance_seconds or at"})
        except ClockLocked as exc:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION, str(exc))
        except ValueError as exc:
            if isinstance(exc, FieldErrors):
                raise
            raise FieldErrors({request.WhichOneof("change") or "change": str(exc)}) from None
        with self._db.transaction() as session:
            clockstore.save(session, clock.offset_seconds)
        log.warning("test clock moved to %s", now.isoformat())
        return clock_pb.SetClockResponse(now=convert.ts(now))
