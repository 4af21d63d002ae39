"""The dashboard: how many leads came today and this week, how fast they got a first reply, and
where they are (by stage, course and channel), as numbers and as charts the server draws."""

from __future__ import annotations

from fastapi import APIRouter, Request

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_console import figures, formats, lead_filters, views
from shvya_console.i18n import _
from shvya_console.session import MeDep

router = APIRouter()

# The courses charted one by one; the rest are one bar, so that a long tail keeps the chart short.
TOP_COURSES = 8


def _courses(stats: leads_pb.GetLeadStatsResponse) -> list[tuple[str, int, str]]:
    rows = [(c.course or _("No course named"), c.count, c.course) for c in stats.by_course]
    if len(rows) > TOP_COURSES:
        rest = sum(count for _label, count, _key in rows[TOP_COURSES - 1 :])
        rows = [*rows[: TOP_COURSES - 1], (_("Other courses"), rest, "")]
    return rows


@router.get("/dashboard")
async def dashboard(request: Request, me: MeDep):
    stats = await request.app.state.backends.crm.leads.GetLeadStats(
        leads_pb.GetLeadStatsRequest(company_id=me.company_id)
    )
    p50 = stats.first_reply_p50_seconds if stats.HasField("first_reply_p50_seconds") else None
    p90 = stats.first_reply_p90_seconds if stats.HasField("first_reply_p90_seconds") else None
    charts = [
        {
            "id": "by-stage",
            "title": _("Leads by stage"),
            "chart": figures.bar_chart([(s.name or s.stage, s.count, s.stage) for s in stats.by_stage]),
        },
        {
            "id": "by-course",
            "title": _("Leads by course"),
            "chart": figures.bar_chart(_courses(stats)),
        },
        {
            "id": "by-channel",
            "title": _("Leads by channel"),
            "chart": figures.bar_chart(
                [
                    (formats.channel_name(c.channel), c.count, lead_filters.CHANNEL_KEYS.get(c.channel, ""))
                    for c in stats.by_channel
                ]
            ),
        },
    ]
    context = {
        "stats": stats,
        "p50": figures.duration(p50),
        "p90": figures.duration(p90),
        "has_reply_data": p50 is not None,
        "charts": charts,
        "computed_at": formats.when(stats.computed_at, stats.timezone),
    }
    return views.render(request, "dashboard.html", context)
