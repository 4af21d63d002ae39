"""Finding and working leads through the REST API, against a real crm server and PostgreSQL: a
course seller's counsellor finds a lead, works it, exports the list and imports one."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shvya_crm.seed import seed_demo
from shvya_crm.server import run_server as run_crm
from shvya_crm.settings import DEFAULT_COMPANY_ID, CrmSettings
from shvya_crm.storage.db import make_engine, make_sessionmaker
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port

TOKEN = "admin-token-for-tests-0123"


@pytest.fixture
def api(database_url: str) -> Iterator[TestClient]:
    engine = make_engine(database_url, 1)
    with make_sessionmaker(engine).begin() as session:
        seed_demo(session, DEFAULT_COMPANY_ID)
    engine.dispose()
    settings = CrmSettings(
        env="development", database_url=database_url, internal_token=None, max_workers=8, admin_token=TOKEN
    )
    with run_crm(settings, port=0) as crm:
        gateway = GatewaySettings(
            crm_addr=f"127.0.0.1:{crm.port}", conductor_addr=f"127.0.0.1:{free_port()}", admin_token=TOKEN
        )
        with TestClient(create_app(gateway), raise_server_exceptions=False) as client:
            client.headers["Authorization"] = f"Bearer {TOKEN}"
            yield client


def _import(api, text: str, **params) -> dict:
    response = api.post("/leads/import", content=text, headers={"Content-Type": "text/csv"}, params=params)
    assert response.status_code == 200, response.text
    return response.json()


SEED = (
    "contact_name,phone_number,email,course,tags\n"
    "Meera Nair,98765 11111,meera@example.com,Data Science,scholarship\n"
    "Arjun Rao,98765 22222,,Digital Marketing,\n"
    "Kavya Iyer,98765 33333,kavya@example.com,Data Science,weekend batch\n"
)


def test_a_counsellor_finds_a_lead_by_course_and_tag_and_pages_through_the_rest(api):
    _import(api, SEED)

    found = api.get("/leads", params={"course": "data science", "tag": "scholarship"}).json()
    first = api.get("/leads", params={"limit": 2, "sort": "name"}).json()
    second = api.get("/leads", params={"limit": 2, "sort": "name", "cursor": first["next_cursor"]}).json()

    assert [lead["contact_name"] for lead in found["leads"]] == ["Meera Nair"]
    assert [lead["contact_name"] for lead in first["leads"] + second["leads"]] == [
        "Arjun Rao",
        "Kavya Iyer",
        "Meera Nair",
    ]
    assert second["next_cursor"] is None


def test_a_counsellor_works_a_lead_and_the_counts_follow(api):
    report = _import(api, SEED)
    meera, arjun, _ = report["lead_ids"]

    api.post(f"/leads/{meera}/stage", json={"stage": "qualified", "reason": "asked for a call"})
    api.post(f"/leads/{meera}/notes", json={"text": "Visiting on Saturday", "author": "asha@academy.example"})
    lost = api.post(f"/leads/{arjun}/lost", json={"reason": "chose another institute"})
    counts = api.get("/leads/counts").json()

    assert lost.json()["lead"]["status"] == "lost"
    assert [n["text"] for n in api.get(f"/leads/{meera}/notes").json()] == ["Visiting on Saturday"]
    assert {s["stage"]: s["count"] for s in counts["by_stage"]} == {
        "new": 1,
        "contacted": 0,
        "qualified": 1,
        "enrolled": 0,
        "lost": 1,
    }
    assert counts["by_status"]["lost"] == 1


def test_counts_with_a_limit_say_which_reached_it(api):
    _import(api, SEED)

    counts = api.get("/leads/counts", params={"count_limit": 2}).json()

    assert {s["stage"]: (s["count"], s["at_least"]) for s in counts["by_stage"]}["new"] == (2, True)
    assert (counts["total"], counts["total_at_least"], counts["statuses_at_least"]) == (2, True, ["active"])


def test_a_bad_phone_correction_is_a_422_naming_the_field(api):
    (lead_id,) = _import(api, "phone_number\n9876511111\n")["lead_ids"]

    response = api.patch(f"/leads/{lead_id}", json={"phone_number": "12"})

    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "phone_number"]]


def test_an_unknown_lead_is_a_404(api):
    response = api.post("/leads/00000000-0000-4000-8000-0000000000aa/lost", json={"reason": "gone"})

    assert response.status_code == 404


def test_the_export_streams_every_lead_of_the_filter_as_csv_the_import_reads(api):
    _import(api, SEED)

    response = api.get("/leads/export.csv", params={"course": "Data Science"})
    rows = list(csv.DictReader(io.StringIO(response.text)))

    assert response.headers["content-type"].startswith("text/csv")
    assert sorted(r["contact_name"] for r in rows) == ["Kavya Iyer", "Meera Nair"]
    # The same file imported again: every row is a duplicate, nothing is created.
    again = _import(api, response.text)
    assert (again["created"], len(again["duplicates"]), again["errors"]) == (0, 2, [])


def test_an_exported_name_that_looks_like_a_formula_is_quoted(api):
    _import(api, 'contact_name,phone_number\n=HYPERLINK("http://x"),9876511111\n')

    rows = list(csv.DictReader(io.StringIO(api.get("/leads/export.csv").text)))

    assert rows[0]["contact_name"].startswith("'=")


def test_a_dry_run_import_reports_bad_rows_and_writes_nothing(api):
    report = _import(api, "phone_number,email\n9876511111,not-an-email\n12,\n", dry_run="true")

    assert [(e["row"], e["field"]) for e in report["errors"]] == [(1, "email"), (2, "phone_number")]
    assert report["applied"] is False
    assert api.get("/leads").json()["leads"] == []


def test_an_import_bigger_than_the_gateways_usual_body_limit_is_accepted(api):
    lines = ["contact_name,phone_number"] + [f"Student {i:05d},98765{i:05d}" for i in range(4000)]

    report = _import(api, "\n".join(lines) + "\n", dry_run="true")

    assert report["created"] == 4000
