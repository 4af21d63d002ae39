"""GET /leads (filter, search, sort, cursor pages), /leads/counts, /leads/export.csv, /conversations/recent
and /admin/dead-letters: finding leads and the jobs that died."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, StreamingResponse
from google.protobuf.timestamp_pb2 import Timestamp
from grpc import aio

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya_gateway.channel_names import FROM_PB, TO_PB, ChannelName
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep
from shvya_gateway.errors import rpc_error_response
from shvya_gateway.lead_schemas import (
    ConversationPage,
    ConversationSummary,
    DeadLetterPage,
    DeadLetterView,
    LeadCounts,
    LeadPage,
    LeadSummary,
    StageCountView,
)
from shvya_gateway.routers.leads import message_view

router = APIRouter(tags=["leads"], dependencies=[AdminDep])

SORTS = {
    "created": leads_pb.LEAD_SORT_CREATED,
    "last_message": leads_pb.LEAD_SORT_LAST_MESSAGE,
    "name": leads_pb.LEAD_SORT_NAME,
}
# The crm's field names -> this API's query parameters, so that a 422 names what the caller sent.
PARAMS = {
    "filter.company_id": "company_id",
    "filter.stages": "stage",
    "filter.statuses": "status",
    "filter.channels": "channel",
    "filter.tags": "tag",
    "filter.query": "q",
    "filter.assignee_user_id": "assignee",
    "page_size": "limit",
    "page_token": "cursor",
}
EXPORT_COLUMNS = (
    "id",
    "contact_name",
    "phone_number",
    "email",
    "channel",
    "source",
    "course",
    "stage",
    "status",
    "tags",
    "created_at",
    "last_message_at",
)
Status = Literal["active", "handed_off", "opted_out", "enrolled", "lost"]


def iso(value: Timestamp, present: bool) -> str | None:
    return value.ToDatetime().isoformat() + "Z" if present else None


def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    out = Timestamp()
    out.FromDatetime(value)
    return out


def lead_summary(lead: crm_pb.Lead) -> LeadSummary:
    return LeadSummary(
        id=lead.id,
        company_id=lead.company_id,
        contact_name=lead.contact_name,
        phone_number=lead.phone_number,
        email=lead.email or None,
        channel=FROM_PB.get(lead.channel, ""),
        source=lead.source,
        course=lead.course,
        stage=lead.stage,
        status=lead.status,
        tags=list(lead.tags),
        summary=lead.summary,
        created_at=iso(lead.created_at, lead.HasField("created_at")),
        last_message_at=iso(lead.last_message_at, lead.HasField("last_message_at")),
        last_inbound_at=iso(lead.last_inbound_at, lead.HasField("last_inbound_at")),
        last_outbound_at=iso(lead.last_outbound_at, lead.HasField("last_outbound_at")),
    )


def lead_filter(
    company_id: Annotated[uuid.UUID | None, Query(description="The default company when absent.")] = None,
    stage: Annotated[list[str] | None, Query(description="Stage keys; repeat for any of several.")] = None,
    status: Annotated[list[Status] | None, Query(description="Repeat for any of several.")] = None,
    course: Annotated[str, Query(max_length=200)] = "",
    channel: Annotated[list[ChannelName] | None, Query(description="Channel of first contact.")] = None,
    tag: Annotated[list[str] | None, Query(description="Leads with every one of these tags.")] = None,
    source: Annotated[str, Query(max_length=64)] = "",
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    last_message_after: datetime | None = None,
    last_message_before: datetime | None = None,
    q: Annotated[
        str,
        Query(max_length=200, description="Part of a name, phone number or email, or words of a message."),
    ] = "",
    assignee: Annotated[
        uuid.UUID | None, Query(description="Applied once leads carry an assignee (until then: 422).")
    ] = None,
) -> leads_pb.LeadFilter:
    return leads_pb.LeadFilter(
        company_id=str(company_id) if company_id else "",
        stages=stage or [],
        statuses=status or [],
        course=course,
        channels=[TO_PB[c] for c in channel or []],
        tags=tag or [],
        source=source,
        created_after=_ts(created_after),
        created_before=_ts(created_before),
        last_message_after=_ts(last_message_after),
        last_message_before=_ts(last_message_before),
        query=q,
        assignee_user_id=str(assignee) if assignee else "",
    )


FilterDep = Annotated[leads_pb.LeadFilter, Depends(lead_filter)]
Limit = Annotated[int, Query(ge=1, le=200, description="Leads per page.")]
Cursor = Annotated[str, Query(max_length=2000, description="`next_cursor` of the previous page.")]


def query_error(exc: aio.AioRpcError) -> JSONResponse:
    response = rpc_error_response(exc, location="query")
    if response.status_code == 422:
        body = json.loads(response.body)
        for error in body["detail"]:
            field = ".".join(str(p) for p in error["loc"][1:])
            error["loc"] = ["query", PARAMS.get(field, field)]
        return JSONResponse(status_code=422, content=body)
    return response


@router.get("/leads", response_model=LeadPage, summary="Find leads: filter, search, sort, page")
async def list_leads(
    backends: BackendsDep,
    settings: SettingsDep,
    lead_filter: FilterDep,
    sort: Literal["created", "last_message", "name"] = "created",
    reverse: Annotated[bool, Query(description="Dates oldest first, names Z to A.")] = False,
    limit: Limit = 50,
    cursor: Cursor = "",
):
    request = leads_pb.ListLeadsRequest(
        filter=lead_filter, sort=SORTS[sort], reverse=reverse, page_size=limit, page_token=cursor
    )
    try:
        page = await backends.crm.leads.ListLeads(request, timeout=settings.request_timeout_seconds)
    except aio.AioRpcError as exc:
        return query_error(exc)
    return LeadPage(
        leads=[lead_summary(lead) for lead in page.leads], next_cursor=page.next_page_token or None
    )


@router.get("/leads/counts", response_model=LeadCounts, summary="How many leads, by stage and by status")
async def count_leads(
    backends: BackendsDep,
    settings: SettingsDep,
    lead_filter: FilterDep,
    count_limit: Annotated[
        int,
        Query(
            ge=0,
            le=1_000_000,
            description="Stop each count here and say so (`at_least`): as cheap with 100,000 leads as "
            "with 100. 0 counts every lead.",
        ),
    ] = 0,
):
    try:
        counts = await backends.crm.leads.CountLeads(
            leads_pb.CountLeadsRequest(filter=lead_filter, count_limit=count_limit),
            timeout=settings.request_timeout_seconds,
        )
    except aio.AioRpcError as exc:
        return query_error(exc)
    return LeadCounts(
        by_stage=[
            StageCountView(stage=s.stage, name=s.name, count=s.count, at_least=s.at_least)
            for s in counts.by_stage
        ],
        by_status={s.status: s.count for s in counts.by_status},
        total=counts.total,
        statuses_at_least=[s.status for s in counts.by_status if s.at_least],
        total_at_least=counts.total_at_least,
    )


def _csv_safe(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; a quote makes it text. Phone numbers
    # (+91...) are left as they are: as a formula they are only the number itself.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()


def _export_row(lead: LeadSummary) -> str:
    return _csv_line(
        [
            lead.id,
            _csv_safe(lead.contact_name),
            lead.phone_number,
            _csv_safe(lead.email or ""),
            lead.channel,
            _csv_safe(lead.source),
            _csv_safe(lead.course),
            lead.stage,
            lead.status,
            _csv_safe(";".join(lead.tags)),
            lead.created_at or "",
            lead.last_message_at or "",
        ]
    )


@router.get(
    "/leads/export.csv",
    summary="The leads a filter finds, as CSV (streamed; the import reads the same columns)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
async def export_leads(
    backends: BackendsDep,
    settings: SettingsDep,
    lead_filter: FilterDep,
    sort: Literal["created", "last_message", "name"] = "created",
):
    timeout = settings.request_timeout_seconds

    def page_request(token: str) -> leads_pb.ListLeadsRequest:
        return leads_pb.ListLeadsRequest(
            filter=lead_filter, sort=SORTS[sort], page_size=200, page_token=token
        )

    # The first page before the response starts: a bad filter is still a 422, not a broken download.
    try:
        first = await backends.crm.leads.ListLeads(page_request(""), timeout=timeout)
    except aio.AioRpcError as exc:
        return query_error(exc)

    async def rows() -> AsyncIterator[str]:
        yield _csv_line(list(EXPORT_COLUMNS))
        page = first
        while True:
            for lead in page.leads:
                yield _export_row(lead_summary(lead))
            if not page.next_page_token:
                return
            page = await backends.crm.leads.ListLeads(page_request(page.next_page_token), timeout=timeout)

    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="leads.csv"'},
    )


@router.get(
    "/conversations/recent",
    response_model=ConversationPage,
    summary="The leads that wrote or were written to last, with their last message",
)
async def recent_conversations(
    backends: BackendsDep,
    settings: SettingsDep,
    company_id: uuid.UUID | None = None,
    limit: Limit = 50,
    cursor: Cursor = "",
):
    request = leads_pb.ListRecentConversationsRequest(
        company_id=str(company_id) if company_id else "", page_size=limit, page_token=cursor
    )
    try:
        page = await backends.crm.leads.ListRecentConversations(
            request, timeout=settings.request_timeout_seconds
        )
    except aio.AioRpcError as exc:
        return query_error(exc)
    return ConversationPage(
        conversations=[
            ConversationSummary(
                lead=lead_summary(c.lead),
                last_message=message_view(c.last_message) if c.HasField("last_message") else None,
            )
            for c in page.conversations
        ],
        next_cursor=page.next_page_token or None,
    )


@router.get(
    "/admin/dead-letters",
    response_model=DeadLetterPage,
    tags=["queue"],
    summary="Jobs whose attempts are spent, newest first, with the reason and the lead",
)
async def dead_letters(
    backends: BackendsDep,
    settings: SettingsDep,
    company_id: Annotated[uuid.UUID | None, Query(description="Every company when absent.")] = None,
    limit: Limit = 50,
    cursor: Cursor = "",
):
    request = jobs_pb.ListDeadJobsRequest(
        company_id=str(company_id) if company_id else "", page_size=limit, page_token=cursor
    )
    try:
        page = await backends.crm.jobs.ListDeadJobs(request, timeout=settings.request_timeout_seconds)
    except aio.AioRpcError as exc:
        return query_error(exc)
    return DeadLetterPage(
        dead_letters=[
            DeadLetterView(
                job_id=d.job.id,
                task_name=d.job.task_name,
                reason=d.reason,
                attempts=d.job.attempts,
                dead_at=iso(d.dead_at, d.HasField("dead_at")),
                lead_id=d.job.lead_id or None,
                lead_name=d.lead_name,
                company_id=d.job.company_id or None,
            )
            for d in page.jobs
        ],
        next_cursor=page.next_page_token or None,
    )
