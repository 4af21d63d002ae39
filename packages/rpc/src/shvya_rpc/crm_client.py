"""A client of the crm: the stubs of the services one crm address serves, by domain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from shvya.crm.v1 import (
    assignment_service_pb2_grpc,
    clock_service_pb2_grpc,
    conversations_service_pb2_grpc,
    jobs_service_pb2_grpc,
    leads_service_pb2_grpc,
    outreach_service_pb2_grpc,
    privacy_service_pb2_grpc,
    users_service_pb2_grpc,
)
from shvya_rpc.client import round_robin


@dataclass(frozen=True)
class CrmClient:
    """`crm.leads.GetLead(...)`, `crm.jobs.StartJob(...)`: one attribute per service of the crm's
    contract. Works over sync and asyncio channels alike."""

    leads: leads_service_pb2_grpc.LeadsServiceStub
    jobs: jobs_service_pb2_grpc.JobsServiceStub
    conversations: conversations_service_pb2_grpc.ConversationsServiceStub
    outreach: outreach_service_pb2_grpc.OutreachServiceStub
    assignment: assignment_service_pb2_grpc.AssignmentServiceStub
    # Moves the crm's clock only when it runs with CRM_TEST_CLOCK=true.
    clock: clock_service_pb2_grpc.TestClockServiceStub
    # People, sign-in and API keys.
    users: users_service_pb2_grpc.UsersServiceStub
    # A student's requests about their data: erasure and export.
    privacy: privacy_service_pb2_grpc.PrivacyServiceStub

    @classmethod
    def over(cls, channels: Any | Sequence[Any]) -> CrmClient:
        """Stubs over one channel, or spreading their calls over several (see RoundRobin)."""
        many = list(channels) if isinstance(channels, list | tuple) else [channels]
        return cls(
            leads=round_robin(leads_service_pb2_grpc.LeadsServiceStub, many),
            jobs=round_robin(jobs_service_pb2_grpc.JobsServiceStub, many),
            conversations=round_robin(conversations_service_pb2_grpc.ConversationsServiceStub, many),
            outreach=round_robin(outreach_service_pb2_grpc.OutreachServiceStub, many),
            assignment=round_robin(assignment_service_pb2_grpc.AssignmentServiceStub, many),
            clock=round_robin(clock_service_pb2_grpc.TestClockServiceStub, many),
            users=round_robin(users_service_pb2_grpc.UsersServiceStub, many),
            privacy=round_robin(privacy_service_pb2_grpc.PrivacyServiceStub, many),
        )
