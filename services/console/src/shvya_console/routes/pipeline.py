"""The pipeline board: the company's leads by stage, newest first in each column, moved by
dragging a card or by each card's "Move to" form (which works without JavaScript)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import resources_pb2 as res
from shvya_console import lead_filters, views
from shvya_console.i18n import _
from shvya_console.lead_filters import LeadQuery, lead_query
from shvya_console.session import Me, MeDep

router = APIRouter()

# The newest leads a column shows; the rest are one "more" link away, in the leads table.
COLUMN_SIZE = 10
# The stages the crm closes with a reason (MarkLeadEnrolled, MarkLeadLost).
CLOSING = ("enrolled", "lost")


@dataclass(frozen=True)
class Column:
    stage: str
    name: str
    count: int
    leads: list[res.Lead]
    more_url: str
    # The count stopped at lead_filters.COUNT_LIMIT: there are more.
    at_least: bool = False


def board_query(query: LeadQuery) -> LeadQuery:
    """What narrows the board: its filters, never a stage (the columns are the stages) or a page."""
    return LeadQuery(
        course=query.course, channels=query.channels[:1], assignee=query.assignee, source=query.source
    )


async def _board(request: Request, me: Me, query: LeadQuery) -> dict:
    crm = request.app.state.backends.crm
    lead_filter = query.to_filter(me.company_id, me.user_id)
    counts, team = await asyncio.gather(
        crm.leads.CountLeads(
            leads_pb.CountLeadsRequest(filter=lead_filter, count_limit=lead_filters.COUNT_LIMIT)
        ),
        lead_filters.assignees(request, me),
    )

    async def column(stage: leads_pb.StageCount) -> Column:
        leads: list[res.Lead] = []
        if stage.count:
            only_stage = leads_pb.LeadFilter()
            only_stage.CopyFrom(lead_filter)
            only_stage.stages[:] = [stage.stage]
            page = await crm.leads.ListLeads(
                leads_pb.ListLeadsRequest(
                    filter=only_stage, sort=leads_pb.LEAD_SORT_CREATED, page_size=COLUMN_SIZE
                )
            )
            leads = list(page.leads)
        more = replace(query, stages=(stage.stage,))
        return Column(
            stage.stage, stage.name or stage.stage, stage.count, leads, more.url("/leads"), stage.at_least
        )

    columns = await asyncio.gather(*(column(stage) for stage in counts.by_stage))
    return {
        "query": query,
        "columns": columns,
        "total": counts.total,
        "total_at_least": counts.total_at_least,
        "stages": [(c.stage, c.name) for c in columns],
        "people": team,
        "channels": lead_filters.CHANNELS,
        "sources": lead_filters.KNOWN_SOURCES,
    }


@router.get("/pipeline")
async def pipeline(
    request: Request, me: MeDep, query: Annotated[LeadQuery, Depends(lead_query)], moved: str = ""
):
    query = board_query(query)
    context = await _board(request, me, query)
    context["moved"] = moved
    if moved:
        context["notice"] = _moved_notice(context, moved)
    if not _partial(request):
        return views.render(request, "pipeline.html", context)
    response = views.render(request, "partials/pipeline_board.html", context)
    # The address bar gets the filters without the form's empty fields; the board's own refresh
    # (it names itself as the trigger) is no new place to go back to.
    if request.headers.get("hx-trigger") != "board":
        response.headers["HX-Push-Url"] = query.url("/pipeline")
    return response


def _moved_notice(context: dict, lead_id: str) -> str:
    for column in context["columns"]:
        for lead in column.leads:
            if lead.id == lead_id:
                who = lead.contact_name or lead.phone_number or lead.email
                return _("%(lead)s is now in %(stage)s.") % {"lead": who, "stage": column.name}
    return _("The lead has moved.")


def _partial(request: Request) -> bool:
    # A history restore asks for the whole page again, not the board alone.
    return views.is_htmx(request) and request.headers.get("hx-history-restore-request") != "true"


@router.post("/pipeline/move")
async def move(
    request: Request,
    me: MeDep,
    lead_id: Annotated[str, Form(max_length=64)],
    stage: Annotated[str, Form(max_length=64)],
    reason: Annotated[str, Form(max_length=500)] = "",
    course: Annotated[str, Form(max_length=200)] = "",
    channel: Annotated[str, Form(max_length=32)] = "",
    assignee: Annotated[str, Form(max_length=64)] = "",
    source: Annotated[str, Form(max_length=64)] = "",
):
    """Moves a lead, then shows the board again with the same filters. Enrolled and lost need a
    reason: without one the board asks for it first and nothing moves yet."""
    query = board_query(lead_query(course=course, channel=[channel], assignee=assignee, source=source))
    leads = request.app.state.backends.crm.leads
    reason = reason.strip()
    if stage in CLOSING and not reason:
        lead = (await leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id))).lead
        context = await _board(request, me, query)
        context["ask"] = {"lead": lead, "stage": stage, "name": dict(context["stages"]).get(stage, stage)}
        template = "partials/pipeline_board.html" if views.is_htmx(request) else "pipeline.html"
        return views.render(request, template, context)
    if stage == "enrolled":
        reply = await leads.MarkLeadEnrolled(leads_pb.MarkLeadEnrolledRequest(lead_id=lead_id, reason=reason))
    elif stage == "lost":
        reply = await leads.MarkLeadLost(leads_pb.MarkLeadLostRequest(lead_id=lead_id, reason=reason))
    else:
        reply = await leads.MoveLeadStage(
            leads_pb.MoveLeadStageRequest(lead_id=lead_id, stage=stage, reason=reason)
        )
    if not views.is_htmx(request):
        return RedirectResponse(
            f"/pipeline?{urlencode([*query.params(), ('moved', lead_id)])}", status_code=303
        )
    context = await _board(request, me, query)
    context["moved"] = lead_id
    lead = reply.lead
    context["flash"] = _("%(lead)s is now in %(stage)s.") % {
        "lead": lead.contact_name or lead.phone_number or lead.email,
        "stage": dict(context["stages"]).get(lead.stage, lead.stage),
    }
    return views.render(request, "partials/pipeline_board.html", context)
