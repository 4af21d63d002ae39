"""The LeadsService's finding RPCs (list, count, recent conversations), mixed into its servicer."""

from __future__ import annotations

from datetime import UTC

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_crm.api import convert
from shvya_crm.api.channels import TO_CODE
from shvya_crm.api.rpc import parse_uuid, rpc
from shvya_crm.leads import search
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.db import Database
from shvya_rpc.errors import FieldErrors

SORT = {
    leads_pb.LEAD_SORT_UNSPECIFIED: "created",
    leads_pb.LEAD_SORT_CREATED: "created",
    leads_pb.LEAD_SORT_LAST_MESSAGE: "last_message",
    leads_pb.LEAD_SORT_NAME: "name",
}


def _time(message, name: str):
    return getattr(message, name).ToDatetime(tzinfo=UTC) if message.HasField(name) else None


def lead_filter(f: leads_pb.LeadFilter, default_company) -> search.Filter:
    channels = []
    for channel in f.channels:
        if channel not in TO_CODE:
            raise FieldErrors({"filter.channels": "must be CHANNEL_WHATSAPP_WEB, _WHATSAPP_CLOUD or _EMAIL"})
        channels.append(TO_CODE[channel])
    return search.Filter(
        company_id=parse_uuid(f.company_id, "filter.company_id", required=False) or default_company,
        stages=tuple(s.strip().lower() for s in f.stages if s.strip()),
        statuses=tuple(s.strip().lower() for s in f.statuses if s.strip()),
        course=" ".join(f.course.split()),
        channels=tuple(channels),
        tags=tuple(t.strip().lower() for t in f.tags if t.strip()),
        source=f.source.strip(),
        created_after=_time(f, "created_after"),
        created_before=_time(f, "created_before"),
        last_message_after=_time(f, "last_message_after"),
        last_message_before=_time(f, "last_message_before"),
        query=f.query,
        assignee_user_id=parse_uuid(f.assignee_user_id, "filter.assignee_user_id", required=False),
    )


class LeadFindingRpcs:
    _settings: CrmSettings
    _db: Database

    @rpc
    def ListLeads(self, request: leads_pb.ListLeadsRequest, context):
        sort = SORT.get(request.sort)
        if sort is None:
            raise FieldErrors({"sort": "must be LEAD_SORT_CREATED, _LAST_MESSAGE or _NAME"})
        f = lead_filter(request.filter, self._settings.default_company_id)
        with self._db.read() as session:
            page = search.list_leads(
                session,
                f,
                sort=sort,
                reverse=request.reverse,
                size=request.page_size or search.DEFAULT_PAGE,
                token=request.page_token,
            )
            return leads_pb.ListLeadsResponse(
                leads=[convert.lead(v) for v in page.leads],
                next_page_token=page.next_token,
                previous_page_token=page.previous_token,
            )

    @rpc
    def CountLeads(self, request: leads_pb.CountLeadsRequest, context):
        f = lead_filter(request.filter, self._settings.default_company_id)
        with self._db.read() as session:
            counts = search.count_leads(session, f, limit=request.count_limit)
        return leads_pb.CountLeadsResponse(
            by_stage=[
                leads_pb.StageCount(stage=k, name=n, count=c, at_least=k in counts.stages_at_least)
                for k, n, c in counts.by_stage
            ],
            by_status=[
                leads_pb.StatusCount(status=s, count=c, at_least=s in counts.statuses_at_least)
                for s, c in counts.by_status
            ],
            total=counts.total,
            total_at_least=counts.total_at_least,
        )

    @rpc
    def ListRecentConversations(self, request: leads_pb.ListRecentConversationsRequest, context):
        company_id = (
            parse_uuid(request.company_id, "company_id", required=False) or self._settings.default_company_id
        )
        with self._db.read() as session:
            page = search.list_leads(
                session,
                search.Filter(company_id=company_id),
                sort="last_message",
                size=request.page_size or search.DEFAULT_PAGE,
                token=request.page_token,
            )
            last = search.last_messages(session, [v.lead.id for v in page.leads])
            return leads_pb.ListRecentConversationsResponse(
                conversations=[
                    leads_pb.Conversation(
                        lead=convert.lead(v),
                        last_message=convert.message(last[v.lead.id]) if v.lead.id in last else None,
                    )
                    for v in page.leads
                ],
                next_page_token=page.next_token,
            )
