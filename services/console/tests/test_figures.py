"""The dashboard's durations and bar charts."""

from __future__ import annotations

import pytest
from shvya_console import figures


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (None, "no data"),
        (0, "0 s"),
        (42.4, "42 s"),
        (59.6, "1 min"),
        (125, "2 min 5 s"),
        (3600, "1 h"),
        (3 * 3600 + 20 * 60 + 9, "3 h 20 min"),
        (2 * 86400 + 4 * 3600, "2 d 4 h"),
        (86400, "1 d"),
    ],
)
def test_a_duration_reads_in_the_largest_two_units(seconds, words):
    assert figures.duration(seconds) == words


def test_the_largest_count_draws_the_longest_bar_and_others_in_proportion():
    chart = figures.bar_chart([("New", 10, "new"), ("Contacted", 5, "contacted"), ("Lost", 0, "lost")])
    new, contacted, lost = chart.bars
    assert new.width == chart.track_width
    assert contacted.width == chart.track_width / 2
    assert lost.width == 0
    assert [bar.y for bar in chart.bars] == [0, figures.ROW, 2 * figures.ROW]
    assert chart.height == 3 * figures.ROW


def test_a_chart_without_leads_draws_no_bar():
    chart = figures.bar_chart([("New", 0, "new"), ("Lost", 0, "lost")])
    assert [bar.width for bar in chart.bars] == [0, 0]


def test_a_long_label_is_shortened_but_kept_whole_for_the_description():
    label = "Post-graduate programme in applied data science and machine learning"
    [bar] = figures.bar_chart([(label, 3, label)]).bars
    assert bar.label == label
    assert len(bar.short_label) == figures.MAX_LABEL_CHARS
    assert bar.short_label.endswith("…")
