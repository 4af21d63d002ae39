"""A lead as a row of the CSV export."""

from __future__ import annotations

import csv
import io

from shvya_console.routes.leads import EXPORT_COLUMNS, export_row

from shvya.crm.v1 import resources_pb2 as res
from shvya.type.v1 import channel_pb2


def _row(lead: res.Lead) -> dict[str, str]:
    [values] = list(csv.reader(io.StringIO(export_row(lead))))
    return dict(zip(EXPORT_COLUMNS, values, strict=True))


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_kept_as_text():
    row = _row(res.Lead(contact_name='=HYPERLINK("http://x")', phone_number="+919800000001", course="@sum"))
    assert row["contact_name"] == '\'=HYPERLINK("http://x")'
    assert row["course"] == "'@sum"
    assert row["phone_number"] == "+919800000001"


def test_the_row_uses_the_names_the_import_reads_back():
    lead = res.Lead(id="l1", channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD, tags=["walk-in", "vip"], stage="new")
    lead.created_at.FromSeconds(0 + 86400)
    row = _row(lead)
    assert (row["channel"], row["tags"], row["stage"]) == ("whatsapp_cloud", "walk-in;vip", "new")
    assert row["created_at"] == "1970-01-02T00:00:00+00:00"
    assert row["last_message_at"] == ""
