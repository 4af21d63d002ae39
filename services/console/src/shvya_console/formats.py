"""How values read on a page: times, channels, statuses, delivery ticks."""

from __future__ import annotations

from datetime import UTC, datetime

from google.protobuf.timestamp_pb2 import Timestamp

from shvya.crm.v1 import resources_pb2 as res
from shvya.type.v1 import channel_pb2
from shvya_console.i18n import _


def ts_datetime(value: Timestamp | None) -> datetime | None:
    if value is None or (value.seconds == 0 and value.nanos == 0):
        return None
    return value.ToDatetime(tzinfo=UTC)


def _as_datetime(value) -> datetime | None:
    if isinstance(value, Timestamp):
        return ts_datetime(value)
    return value


def when(value, zone: str | None = None) -> str:
    moment = _as_datetime(value)
    if moment is None:
        return ""
    if zone:
        from zoneinfo import ZoneInfo

        moment = moment.astimezone(ZoneInfo(zone))
    return moment.strftime("%d %b %Y, %H:%M")


def ago(value, now: datetime | None = None) -> str:
    moment = _as_datetime(value)
    if moment is None:
        return ""
    seconds = int(((now or datetime.now(UTC)) - moment).total_seconds())
    if seconds < 60:
        return _("just now")
    if seconds < 3600:
        return _("%(n)d min ago") % {"n": seconds // 60}
    if seconds < 86400:
        return _("%(n)d h ago") % {"n": seconds // 3600}
    return _("%(n)d d ago") % {"n": seconds // 86400}


def channel_name(value: int) -> str:
    names = {
        channel_pb2.CHANNEL_EMAIL: _("Email"),
        channel_pb2.CHANNEL_WHATSAPP_CLOUD: _("WhatsApp"),
        channel_pb2.CHANNEL_WHATSAPP_WEB: _("WhatsApp Web"),
    }
    return names.get(value, _("Unknown"))


def status_label(value: str) -> str:
    labels = {
        "active": _("Active"),
        "handed_off": _("Handed off"),
        "opted_out": _("Opted out"),
        "enrolled": _("Enrolled"),
        "lost": _("Lost"),
    }
    return labels.get(value, value)


def direction(value: int) -> str:
    return "inbound" if value == res.MESSAGE_DIRECTION_INBOUND else "outbound"


def delivery(value: int) -> tuple[str, str]:
    """The ticks and their words for an outbound message's status."""
    marks = {
        res.MESSAGE_STATUS_QUEUED: ("🕓", _("Queued")),
        res.MESSAGE_STATUS_SENT: ("✓", _("Sent")),
        res.MESSAGE_STATUS_DELIVERED: ("✓✓", _("Delivered")),
        res.MESSAGE_STATUS_READ: ("✓✓", _("Read")),
        res.MESSAGE_STATUS_FAILED: ("⚠", _("Failed")),
    }
    return marks.get(value, ("", ""))
