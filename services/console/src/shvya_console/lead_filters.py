"""Which leads a page shows: the query string of the pipeline, the leads table and the export,
read into the crm's LeadFilter and written back into links that keep it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import HTTPException, Query, Request
from google.protobuf.timestamp_pb2 import Timestamp

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya.type.v1 import channel_pb2
from shvya_console.i18n import _
from shvya_console.session import Me

# The channel names of a query string, as the crm's intake and CSV import spell them.
CHANNELS = {
    "whatsapp_web": channel_pb2.CHANNEL_WHATSAPP_WEB,
    "whatsapp_cloud": channel_pb2.CHANNEL_WHATSAPP_CLOUD,
    "email": channel_pb2.CHANNEL_EMAIL,
}
CHANNEL_KEYS = {value: key for key, value in CHANNELS.items()}

SORTS = {
    "created": leads_pb.LEAD_SORT_CREATED,
    "last_message": leads_pb.LEAD_SORT_LAST_MESSAGE,
    "name": leads_pb.LEAD_SORT_NAME,
}

# Where leads come from, offered as suggestions; any other source can be typed.
KNOWN_SOURCES = ("form", "whatsapp_cloud_webhook", "whatsapp_web", "api", "import")

STATUSES = ("active", "handed_off", "opted_out", "enrolled", "lost")

# "Assigned to me" in a link, so that a shared link means the same to whoever opens it.
ME = "me"
# Where the lead counts of the board and the leads table stop ("more than 10,000"): counting every
# lead of a large company reads all of them on every view, a capped count a page's worth.
COUNT_LIMIT = 10_000


async def assignees(request: Request, me: Me) -> list[users_pb.User]:
    """The people an assignee filter can name: the company's active people for those who may see
    them; others filter by "me" only."""
    if not me.can("users:manage"):
        return []
    listed = await request.app.state.backends.crm.users.ListUsers(
        users_pb.ListUsersRequest(company_id=me.company_id)
    )
    return [user for user in listed.users if user.active]


def _values(values: list[str] | None) -> tuple[str, ...]:
    return tuple(v.strip() for v in values or () if v and v.strip())


def _day(value: str, name: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(400, _("%(field)s must be a date (YYYY-MM-DD).") % {"field": name}) from None


@dataclass(frozen=True)
class LeadQuery:
    """The filters, search, sort and page of a lead list, as the query string gives them."""

    q: str = ""
    stages: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    course: str = ""
    channels: tuple[str, ...] = ()
    assignee: str = ""
    tag: str = ""
    source: str = ""
    created_after: date | None = None
    created_before: date | None = None
    sort: str = "created"
    reverse: bool = False
    page_token: str = ""

    @property
    def dated(self) -> bool:
        return self.created_after is not None or self.created_before is not None

    @property
    def filter_count(self) -> int:
        """How many filters are on (the search aside), for the folded filters' summary."""
        values = (
            self.stages,
            self.statuses,
            self.course,
            self.channels,
            self.assignee,
            self.tag,
            self.source,
        )
        return (
            sum(1 for value in values if value)
            + (self.created_after is not None)
            + (self.created_before is not None)
        )

    @property
    def filtered(self) -> bool:
        """True when anything narrows the list (the search or a filter, not the sort or page)."""
        return bool(
            self.q
            or self.stages
            or self.statuses
            or self.course
            or self.channels
            or self.assignee
            or self.tag
            or self.source
            or self.dated
        )

    def to_filter(self, company_id: str, user_id: str, zone: str = "UTC") -> leads_pb.LeadFilter:
        """The crm's filter. Days are whole days of the company's time zone, both included: from
        the 1st to the 3rd is from midnight of the 1st to midnight after the 3rd."""
        result = leads_pb.LeadFilter(
            company_id=company_id,
            stages=list(self.stages),
            statuses=list(self.statuses),
            course=self.course,
            channels=[CHANNELS[c] for c in self.channels if c in CHANNELS],
            tags=[self.tag.lower()] if self.tag else [],
            source=self.source,
            query=self.q,
            assignee_user_id=user_id if self.assignee == ME else self.assignee,
        )
        if self.created_after is not None:
            result.created_after.CopyFrom(_midnight(self.created_after, zone))
        if self.created_before is not None:
            result.created_before.CopyFrom(_midnight(self.created_before + timedelta(days=1), zone))
        return result

    def params(self, **changes) -> list[tuple[str, str]]:
        """The query string's pairs for this query with `changes` (page_token="" drops the page)."""
        query = replace(self, **changes) if changes else self
        pairs: list[tuple[str, str]] = []
        if query.q:
            pairs.append(("q", query.q))
        pairs += [("stage", s) for s in query.stages]
        pairs += [("status", s) for s in query.statuses]
        for name in ("course", "assignee", "tag", "source"):
            if getattr(query, name):
                pairs.append((name, getattr(query, name)))
        pairs += [("channel", c) for c in query.channels]
        if query.created_after:
            pairs.append(("created_after", query.created_after.isoformat()))
        if query.created_before:
            pairs.append(("created_before", query.created_before.isoformat()))
        if query.sort != "created":
            pairs.append(("sort", query.sort))
        if query.reverse:
            pairs.append(("reverse", "1"))
        if query.page_token:
            pairs.append(("page_token", query.page_token))
        return pairs

    def url(self, path: str, **changes) -> str:
        pairs = self.params(**changes)
        return f"{path}?{urlencode(pairs)}" if pairs else path


def _midnight(day: date, zone: str) -> Timestamp:
    try:
        tz = ZoneInfo(zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = UTC
    moment = datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)
    stamp = Timestamp()
    stamp.FromDatetime(moment)
    return stamp


def lead_query(
    q: Annotated[str, Query(max_length=200)] = "",
    stage: Annotated[list[str] | None, Query(max_length=64)] = None,
    status: Annotated[list[str] | None, Query(max_length=32)] = None,
    course: Annotated[str, Query(max_length=200)] = "",
    channel: Annotated[list[str] | None, Query(max_length=32)] = None,
    assignee: Annotated[str, Query(max_length=64)] = "",
    tag: Annotated[str, Query(max_length=64)] = "",
    source: Annotated[str, Query(max_length=64)] = "",
    created_after: Annotated[str, Query(max_length=10)] = "",
    created_before: Annotated[str, Query(max_length=10)] = "",
    sort: Annotated[str, Query(max_length=20)] = "created",
    reverse: Annotated[str, Query(max_length=5)] = "",
    page_token: Annotated[str, Query(max_length=1000)] = "",
) -> LeadQuery:
    """A dependency: the lead list's query string, with empty form fields read as "any"."""
    return LeadQuery(
        q=q.strip(),
        stages=_values(stage),
        statuses=tuple(s for s in _values(status) if s in STATUSES),
        course=course.strip(),
        channels=tuple(c for c in _values(channel) if c in CHANNELS),
        assignee=assignee.strip(),
        tag=tag.strip(),
        source=source.strip(),
        created_after=_day(created_after, _("Created from")),
        created_before=_day(created_before, _("Created to")),
        sort=sort if sort in SORTS else "created",
        reverse=reverse.lower() in ("1", "on", "true", "yes"),
        page_token=page_token,
    )
