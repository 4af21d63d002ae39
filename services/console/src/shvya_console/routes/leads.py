"""The leads table: search as you type, filters, sort and cursor pages; the current list as a
CSV download; and an import of leads from a CSV file, with a report of every row it refused."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

import grpc
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import StreamingResponse
from grpc import aio

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.crm.v1 import resources_pb2 as res
from shvya_console import formats, lead_filters, views
from shvya_console.i18n import _
from shvya_console.lead_filters import LeadQuery, lead_query
from shvya_console.session import Me, MeDep
from shvya_rpc import credentials

router = APIRouter()

PAGE_SIZE = 50
EXPORT_PAGE_SIZE = 200
# The crm refuses larger files (its gRPC messages stop at 4 MiB); reading one byte more tells.
MAX_IMPORT_BYTES = 3 * 2**20
# The columns of the export, which the import reads back (it skips the ones that describe a
# lead's history): an exported file can be imported into another company as it is.
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

QueryDep = Annotated[LeadQuery, Depends(lead_query)]


async def _zone(request: Request, me: Me, query: LeadQuery) -> str:
    """The company's time zone, in which the date filters' days begin; asked only when a date is given."""
    if not query.dated:
        return "UTC"
    reply = await request.app.state.backends.crm.outreach.GetCompanySettings(
        outreach_pb.GetCompanySettingsRequest(company_id=me.company_id)
    )
    return reply.settings.timezone or "UTC"


def _list_request(query: LeadQuery, lead_filter: leads_pb.LeadFilter, page_size: int, token: str):
    return leads_pb.ListLeadsRequest(
        filter=lead_filter,
        sort=lead_filters.SORTS[query.sort],
        reverse=query.reverse,
        page_size=page_size,
        page_token=token,
    )


@router.get("/leads")
async def leads(request: Request, me: MeDep, query: QueryDep):
    crm = request.app.state.backends.crm
    lead_filter = query.to_filter(me.company_id, me.user_id, await _zone(request, me, query))
    page, counts = await asyncio.gather(
        crm.leads.ListLeads(_list_request(query, lead_filter, PAGE_SIZE, query.page_token)),
        crm.leads.CountLeads(
            leads_pb.CountLeadsRequest(filter=lead_filter, count_limit=lead_filters.COUNT_LIMIT)
        ),
    )
    context = {
        "query": query,
        "leads": page.leads,
        "next_page_token": page.next_page_token,
        "previous_page_token": page.previous_page_token,
        "total": counts.total,
        "total_at_least": counts.total_at_least,
        "stage_names": {s.stage: s.name or s.stage for s in counts.by_stage},
    }
    if views.is_htmx(request) and request.headers.get("hx-history-restore-request") != "true":
        response = views.render(request, "partials/lead_rows.html", context)
        # The address bar gets the search without the form's empty fields.
        response.headers["HX-Push-Url"] = query.url("/leads")
        return response
    context.update(
        people=await lead_filters.assignees(request, me),
        channels=lead_filters.CHANNELS,
        sources=lead_filters.KNOWN_SOURCES,
        statuses=lead_filters.STATUSES,
    )
    return views.render(request, "leads.html", context)


def _csv_safe(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; a quote makes it text. Phone numbers
    # (+91...) are not passed through here: as a formula they are only the number itself.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _csv_line(values: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(values)
    return out.getvalue()


def _iso(value) -> str:
    moment = formats.ts_datetime(value)
    return moment.isoformat() if moment else ""


def export_row(lead: res.Lead) -> str:
    return _csv_line(
        [
            lead.id,
            _csv_safe(lead.contact_name),
            lead.phone_number,
            _csv_safe(lead.email),
            lead_filters.CHANNEL_KEYS.get(lead.channel, ""),
            _csv_safe(lead.source),
            _csv_safe(lead.course),
            lead.stage,
            lead.status,
            _csv_safe(";".join(lead.tags)),
            _iso(lead.created_at),
            _iso(lead.last_message_at),
        ]
    )


@router.get("/leads/export.csv")
async def export(request: Request, me: MeDep, query: QueryDep):
    """The leads the table's search and filters find, every page of them, in the table's order."""
    crm = request.app.state.backends.crm
    lead_filter = query.to_filter(me.company_id, me.user_id, await _zone(request, me, query))
    # The first page before the response starts: a refusal is still a page, not a broken download.
    first = await crm.leads.ListLeads(_list_request(query, lead_filter, EXPORT_PAGE_SIZE, ""))
    credential = credentials.forwarded()

    async def rows() -> AsyncIterator[str]:
        # The body is sent after the route returns, outside the request's context.
        credentials.forward(credential)
        yield _csv_line(list(EXPORT_COLUMNS))
        page = first
        while True:
            for lead in page.leads:
                yield export_row(lead)
            if not page.next_page_token:
                return
            page = await crm.leads.ListLeads(
                _list_request(query, lead_filter, EXPORT_PAGE_SIZE, page.next_page_token)
            )

    name = f"leads-{datetime.now(UTC):%Y%m%d-%H%M}.csv"
    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


@router.get("/leads/import")
async def import_page(request: Request, me: MeDep):
    return views.render(request, "lead_import.html", {"columns": EXPORT_COLUMNS})


@router.post("/leads/import")
async def import_leads(
    request: Request,
    me: MeDep,
    file: Annotated[UploadFile, File()],
    dry_run: Annotated[str, Form(max_length=5)] = "",
):
    """Sends the file to the crm, which imports all of it or nothing, and shows its report."""
    template = "partials/import_report.html" if views.is_htmx(request) else "lead_import.html"
    context: dict = {"columns": EXPORT_COLUMNS, "file_name": file.filename or ""}
    data = await file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        context["error"] = _(
            "The file is larger than 3 MiB: split it and import the parts one after another."
        )
        return views.render(request, template, context, status_code=400)
    try:
        reply = await request.app.state.backends.crm.leads.ImportLeads(
            leads_pb.ImportLeadsRequest(company_id=me.company_id, csv=data, dry_run=bool(dry_run))
        )
    except aio.AioRpcError as error:
        # What is wrong with the file as a whole (no header, not UTF-8, too many rows).
        if error.code() != grpc.StatusCode.INVALID_ARGUMENT:
            raise
        context["error"] = error.details()
        return views.render(request, template, context, status_code=400)
    context.update(report=reply, dry_run=bool(dry_run))
    return views.render(request, template, context)
