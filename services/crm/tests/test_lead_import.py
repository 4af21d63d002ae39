"""CSV import: new leads created, duplicates by phone and email skipped, every bad row named, a dry
run that writes nothing, and nothing half-imported."""

from __future__ import annotations

import grpc
import pytest

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya_rpc.errors import field_violations

HEADER = "name,phone,email,course,tags\n"


def _import(crm, csv: str, dry_run: bool = False) -> leads_pb.ImportLeadsResponse:
    return crm.stub.leads.ImportLeads(leads_pb.ImportLeadsRequest(csv=csv.encode(), dry_run=dry_run))


def test_an_import_creates_its_leads_with_course_tags_and_source(demo):
    report = _import(
        demo, HEADER + "Meera Nair,98765 11111,meera@example.com,Data Science,scholarship;weekend\n"
    )

    assert (report.rows, report.created, report.applied) == (1, 1, True)
    row = demo.sql(
        "SELECT contact_name, phone, email, profile->>'course', tags, source, channel FROM leads WHERE id = %s",
        (report.lead_ids[0],),
    )
    assert row == [
        (
            "Meera Nair",
            "+919876511111",
            "meera@example.com",
            "Data Science",
            ["scholarship", "weekend"],
            "import",
            "wa_web",
        )
    ]
    assert demo.event_types("lead_id = %s", (report.lead_ids[0],)) == ["lead.created"]


def test_rows_matching_an_existing_lead_by_phone_or_email_are_skipped(demo):
    existing = demo.ingest(phone_number="+919876511111", email="arjun@example.com").lead_id

    report = _import(
        demo, HEADER + "Meera,9876511111,,,\nArjun,9876522222,ARJUN@example.com,,\nNew,9876533333,,,\n"
    )

    assert [(d.row, d.matched_on, d.lead_id) for d in report.duplicates] == [
        (1, "phone_number", existing),
        (2, "email", existing),
    ]
    assert report.created == 1
    assert demo.count("leads") == 2


def test_a_row_repeating_an_earlier_row_of_the_file_is_skipped(demo):
    report = _import(demo, HEADER + "A,9876511111,,,\nB,+91 98765 11111,,,\n")

    assert [(d.row, d.same_as_row) for d in report.duplicates] == [(2, 1)]
    assert report.created == 1


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(demo):
    before = demo.counts()

    report = _import(demo, HEADER + "A,9876511111,,,\nB,9876522222,,,\n", dry_run=True)

    assert (report.created, report.applied) == (2, False)
    assert demo.counts() == before


def test_a_file_with_a_bad_row_imports_nothing_and_names_every_bad_row(demo):
    before = demo.counts()

    report = _import(demo, HEADER + "Good,9876511111,,,\nBad phone,12,,,\nBad email,9876533333,nope,,\n")

    assert [(e.row, e.field) for e in report.errors] == [(2, "phone_number"), (3, "email")]
    assert report.applied is False
    assert demo.counts() == before


def test_an_unknown_column_is_named(demo):
    report = _import(demo, "phone,favourite_colour\n9876511111,blue\n")

    assert [(e.row, e.field) for e in report.errors] == [(0, "favourite_colour")]
    assert report.applied is False


def test_an_unknown_stage_is_named_with_the_pipelines_stages(demo):
    report = _import(demo, "phone,stage\n9876511111,vip\n")

    assert [(e.row, e.field) for e in report.errors] == [(1, "stage")]
    assert "qualified" in report.errors[0].reason


def test_a_file_without_a_phone_column_is_refused(demo):
    with pytest.raises(grpc.RpcError) as raised:
        _import(demo, "name,email\nA,a@example.com\n")

    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "csv" in field_violations(raised.value)


def test_a_file_that_is_not_utf8_is_refused(demo):
    with pytest.raises(grpc.RpcError) as raised:
        demo.stub.leads.ImportLeads(
            leads_pb.ImportLeadsRequest(csv="phone\n\xff9876511111\n".encode("latin-1"))
        )

    assert "csv" in field_violations(raised.value)
