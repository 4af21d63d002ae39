"""The LeadsService's overview RPCs (the inbox, the activity watermark, the dashboard), mixed into its
servicer."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_crm.api import convert
from shvya_crm.api.channels import FROM_CODE
from shvya_crm.api.rpc import parse_uuid, rpc
from shvya_crm.leads import activity, inbox, search, stats, whatsapp_window
from shvya_crm.people import principals
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.db import Database

REASON = {
    inbox.HANDED_OFF: leads_pb.INBOX_REASON_HANDED_OFF,
    inbox.HOT: leads_pb.INBOX_REASON_HOT,
    inbox.UNANSWERED_QUESTION: leads_pb.INBOX_REASON_UNANSWERED_QUESTION,
    inbox.DELIVERY_FAILED: leads_pb.INBOX_REASON_DELIVERY_FAILED,
    inbox.ASSIGNED: leads_pb.INBOX_REASON_ASSIGNED,
}


def inbox_owner(request: leads_pb.ListInboxRequest) -> uuid.UUID | None:
    """Whose inbox: a signed-in user's is their own; others name a user, or nobody (the whole company)."""
    named = parse_uuid(request.assignee_user_id, "assignee_user_id", required=False)
    principal = principals.current()
    if principal.kind != "user":
        return named
    if named is not None and named != principal.user_id:
        raise principals.PermissionDenied("a user's inbox is their own")
    return principal.user_id


class LeadOverviewRpcs:
    _settings: CrmSettings
    _db: Database

    def _company(self, value: str) -> uuid.UUID:
        return parse_uuid(value, "company_id", required=False) or self._settings.default_company_id

    def _lead_stats(self, company_id: uuid.UUID) -> stats.Stats:
        """The dashboard's numbers, from reports_cache while they are fresh enough; else worked out
        and kept there (the next caller in any crm process reads them)."""
        max_age = timedelta(seconds=self._settings.stats_max_age_seconds)
        with self._db.read() as session:
            kept = stats.cached(session, company_id) if max_age else None
            if kept is not None:
                return kept
            worked_out = stats.lead_stats(session, company_id)
        if max_age:
            with self._db.transaction() as session:
                stats.keep(session, company_id, worked_out, max_age)
        return worked_out

    @rpc
    def ListInbox(self, request: leads_pb.ListInboxRequest, context):
        company_id = self._company(request.company_id)
        user_id = inbox_owner(request)
        with self._db.read() as session:
            page = inbox.list_inbox(
                session,
                company_id,
                user_id,
                size=request.page_size or search.DEFAULT_PAGE,
                token=request.page_token,
            )
            views = whatsapp_window.with_window(session, [item.view for item in page.items])
            last = search.last_messages(session, [v.lead.id for v in views])
            return leads_pb.ListInboxResponse(
                items=[
                    leads_pb.InboxItem(
                        lead=convert.lead(view),
                        last_message=convert.message(last[view.lead.id]) if view.lead.id in last else None,
                        reasons=[REASON[r] for r in item.reasons],
                    )
                    for view, item in zip(views, page.items, strict=True)
                ],
                next_page_token=page.next_token,
                previous_page_token=page.previous_token,
            )

    @rpc
    def GetActivity(self, request: leads_pb.GetActivityRequest, context):
        company_id = self._company(request.company_id)
        with self._db.read() as session:
            found = activity.activity(session, company_id)
        return leads_pb.GetActivityResponse(
            watermark=found.watermark, changed_at=convert.ts(found.changed_at)
        )

    @rpc
    def GetLeadStats(self, request: leads_pb.GetLeadStatsRequest, context):
        company_id = self._company(request.company_id)
        s = self._lead_stats(company_id)
        return leads_pb.GetLeadStatsResponse(
            timezone=s.timezone,
            leads_today=s.today,
            leads_this_week=s.this_week,
            first_reply_p50_seconds=s.first_reply_p50,
            first_reply_p90_seconds=s.first_reply_p90,
            first_reply_samples=s.first_reply_samples,
            by_stage=[leads_pb.StageCount(stage=k, name=n, count=c) for k, n, c in s.by_stage],
            by_course=[leads_pb.CourseCount(course=c, count=n) for c, n in s.by_course],
            by_channel=[leads_pb.ChannelCount(channel=FROM_CODE.get(c, 0), count=n) for c, n in s.by_channel],
            total=s.total,
            computed_at=convert.ts(s.computed_at),
        )
