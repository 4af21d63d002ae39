"""The LeadsService's overview RPCs (the inbox, the activity watermark, the dashboard), mixed into its
servicer."""

from __future__ import annotations

import grpc

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.db import Database


class LeadOverviewRpcs:
    _settings: CrmSettings
    _db: Database

    def ListInbox(self, request: leads_pb.ListInboxRequest, context):
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "ListInbox is not implemented yet")

    def GetActivity(self, request: leads_pb.GetActivityRequest, context):
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "GetActivity is not implemented yet")

    def GetLeadStats(self, request: leads_pb.GetLeadStatsRequest, context):
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "GetLeadStats is not implemented yet")
