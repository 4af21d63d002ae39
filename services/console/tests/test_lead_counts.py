"""How the leads table says how many leads there are, when the count stopped at its limit and when
it did not."""

from __future__ import annotations

from shvya_console import views
from shvya_console.lead_filters import LeadQuery


def _count_line(**context) -> str:
    env = views.templates().env
    html = env.get_template("partials/lead_rows.html").render(leads=[], stage_names={}, **context)
    start = html.index('id="lead-count"')
    return html[html.index(">", start) + 1 : html.index("</p>", start)]


def test_a_count_that_stopped_at_its_limit_says_there_are_more():
    assert _count_line(query=LeadQuery(), total=10_000, total_at_least=True) == "More than 10,000 leads"


def test_a_filtered_count_that_stopped_at_its_limit_says_more_match():
    line = _count_line(query=LeadQuery(statuses=("active",)), total=10_000, total_at_least=True)

    assert line == "More than 10,000 leads match"


def test_an_exact_count_is_given_as_it_is():
    assert _count_line(query=LeadQuery(), total=7, total_at_least=False) == "7 leads"
