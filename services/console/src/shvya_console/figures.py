"""How the dashboard's numbers read: durations in words a person uses, and bar charts laid out
for the server to draw as SVG (the page needs no script to show them)."""

from __future__ import annotations

from dataclasses import dataclass

from shvya_console.i18n import _

# Chart geometry in the SVG's own units: the drawing scales to the page's width, so these fix
# proportions, not pixels. The label sits above its bar, so a long course name never squeezes it.
WIDTH = 320
ROW = 40
LABEL_Y = 14
BAR_Y = 19
BAR_HEIGHT = 14
COUNT_GAP = 6
# Room kept right of the longest bar for its number.
COUNT_ROOM = 48
MAX_LABEL_CHARS = 40


def duration(seconds: float | None) -> str:
    """ "2 min 5 s", "3 h 20 min", "2 d 4 h"; no data when there is none."""
    if seconds is None:
        return _("no data")
    total = max(0, round(seconds))
    if total < 60:
        return _("%(s)d s") % {"s": total}
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return (_("%(m)d min %(s)d s") if secs else _("%(m)d min")) % {"m": minutes, "s": secs}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return (_("%(h)d h %(m)d min") if minutes else _("%(h)d h")) % {"h": hours, "m": minutes}
    days, hours = divmod(hours, 24)
    return (_("%(d)d d %(h)d h") if hours else _("%(d)d d")) % {"d": days, "h": hours}


@dataclass(frozen=True)
class Bar:
    label: str
    # The label as drawn: long ones are shortened (the whole one is the bar's tooltip and is in
    # the chart's description).
    short_label: str
    count: int
    y: int
    width: float
    key: str

    @property
    def label_y(self) -> int:
        return self.y + LABEL_Y

    @property
    def bar_y(self) -> int:
        return self.y + BAR_Y

    @property
    def count_x(self) -> float:
        return self.width + COUNT_GAP

    @property
    def count_y(self) -> int:
        return self.bar_y + BAR_HEIGHT - 2


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    bar_height: int
    total: int

    @property
    def track_width(self) -> int:
        return self.width - COUNT_ROOM


def bar_chart(rows: list[tuple[str, int, str]]) -> BarChart:
    """Horizontal bars for (label, count, key) rows, in the order given. The longest bar is the
    largest count; a zero count draws no bar but keeps its row (a stage without leads is news)."""
    largest = max((count for _label, count, _key in rows), default=0)
    span = WIDTH - COUNT_ROOM
    bars = []
    for index, (label, count, key) in enumerate(rows):
        width = round(span * count / largest, 1) if largest else 0.0
        short = label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"
        bars.append(Bar(label=label, short_label=short, count=count, y=index * ROW, width=width, key=key))
    return BarChart(
        bars=bars,
        width=WIDTH,
        height=max(ROW * len(rows), ROW),
        bar_height=BAR_HEIGHT,
        total=sum(count for _label, count, _key in rows),
    )
