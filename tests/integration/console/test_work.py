"""The work pages in headless Chromium against the running mesh: the pipeline board (moving a lead
by keyboard, by dragging, without JavaScript), the leads table (search, filters, CSV export and
import) and the dashboard."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from playwright.sync_api import expect

from shvya.crm.v1 import leads_service_pb2 as leads_pb
from tests.integration.console.conftest import COMPANY, DESKTOP, screenshot, sign_in

pytestmark = pytest.mark.browser


def post_form(gateway, mesh, course: str = "Data Science") -> dict:
    """A student's form through the public API, left until the AI's first turn is done (the turn
    may move the lead, so a test reads the stage after it)."""
    suffix = uuid.uuid4().int % 10**8
    student = {
        "phone_number": f"+9198{suffix:08d}",
        "contact_name": f"Meera {suffix}",
        "message_text": f"Hi, what is the fee for the {course} course?",
        "channel": "email",
        "email": f"meera.{suffix}@example.com",
        "course": course,
    }
    reply = gateway.post("/inbound-message", json=student)
    assert reply.status_code in (200, 201, 202), reply.text
    body = reply.json()
    mesh.wait_for_job(body["job_id"], "completed", timeout=30)
    student["lead_id"] = body["lead_id"]
    return student


def import_leads(mesh, rows: list[dict[str, str]]) -> list[str]:
    """Leads written straight into the crm (no conversation, no AI turn): quiet fixtures."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    reply = mesh.crm.leads.ImportLeads(
        leads_pb.ImportLeadsRequest(company_id=COMPANY, csv=out.getvalue().encode())
    )
    assert reply.applied, reply
    return list(reply.lead_ids)


def a_lead(name: str, **values: str) -> dict[str, str]:
    suffix = uuid.uuid4().int % 10**8
    return {
        "phone_number": f"+9197{suffix:08d}",
        "contact_name": name,
        "course": "",
        "tags": "",
        "stage": "",
        **values,
    }


def stage_of(mesh, lead_id: str) -> str:
    return mesh.crm.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id)).lead.stage


def card(page, lead_id: str):
    return page.locator(f'.card[data-lead-id="{lead_id}"]')


def column(page, stage: str):
    return page.locator(f'[data-drop-stage="{stage}"]')


def stage_events(mesh, lead_id: str) -> list[tuple[str, dict, str]]:
    rows = mesh.sql(
        "SELECT data, actor FROM events WHERE lead_id = %s AND type = 'lead.stage_changed' ORDER BY id",
        (lead_id,),
    )
    return [(data["to"], data, actor) for data, actor in rows]


# The pipeline board


def test_the_board_shows_a_posted_lead_in_its_stage(page, console, owner, gateway, mesh):
    student = post_form(gateway, mesh)
    stage = stage_of(mesh, student["lead_id"])
    sign_in(page, console, owner)
    page.goto(f"{console.url}/pipeline")
    lead_card = column(page, stage).locator(f'.card[data-lead-id="{student["lead_id"]}"]')
    assert student["contact_name"] in lead_card.inner_text()
    assert "1 lead" in column(page, stage).locator(".column-head").inner_text()
    assert lead_card.get_by_role("link", name=student["contact_name"]).get_attribute("href") == (
        f"/leads/{student['lead_id']}"
    )
    screenshot(page, "pipeline")


def test_moving_a_lead_by_keyboard_moves_it_and_records_the_audit_event(page, console, owner, mesh):
    [lead_id] = import_leads(mesh, [a_lead("Kiran Keys")])
    sign_in(page, console, owner)
    page.goto(f"{console.url}/pipeline")
    move_to = page.get_by_label("Move to (Kiran Keys)")
    move_to.focus()
    move_to.select_option("qualified")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move Kiran Keys"
    page.keyboard.press("Enter")

    column(page, "qualified").locator(f'.card[data-lead-id="{lead_id}"]').wait_for()
    assert card(page, lead_id).count() == 1
    assert "Kiran Keys is now in Qualified" in page.locator("#alerts").inner_text()
    # The moved card keeps the keyboard's focus in its new column.
    assert page.evaluate("document.activeElement.textContent") == "Kiran Keys"
    assert stage_of(mesh, lead_id) == "qualified"
    [(to, data, actor)] = stage_events(mesh, lead_id)
    assert (to, data["from"], data["by"], actor) == ("qualified", "new", "person", f"user:{owner.id}")


def test_the_board_follows_a_move_made_by_someone_else_without_a_reload(browser, page, console, owner, mesh):
    [lead_id] = import_leads(mesh, [a_lead("Nila Elsewhere")])
    sign_in(page, console, owner)
    page.goto(f"{console.url}/pipeline")
    card(page, lead_id).wait_for()
    history = page.evaluate("history.length")
    other = browser.new_context(viewport=DESKTOP).new_page()
    try:
        sign_in(other, console, owner)
        other.goto(f"{console.url}/pipeline")
        other.get_by_label("Move to (Nila Elsewhere)").select_option("qualified")
        other.get_by_role("button", name="Move Nila Elsewhere").click()
        column(other, "qualified").locator(f'.card[data-lead-id="{lead_id}"]').wait_for()
    finally:
        other.context.close()

    column(page, "qualified").locator(f'.card[data-lead-id="{lead_id}"]').wait_for()
    # A refresh is no new place in the browser's history.
    assert page.evaluate("history.length") == history


def test_dragging_a_card_to_another_column_moves_the_lead(page, console, owner, mesh):
    [lead_id] = import_leads(mesh, [a_lead("Dev Drag")])
    sign_in(page, console, owner)
    page.goto(f"{console.url}/pipeline")
    card(page, lead_id).drag_to(column(page, "contacted"))

    column(page, "contacted").locator(f'.card[data-lead-id="{lead_id}"]').wait_for()
    assert stage_of(mesh, lead_id) == "contacted"
    assert [to for to, _data, _actor in stage_events(mesh, lead_id)] == ["contacted"]


def test_dropping_a_card_on_lost_asks_why_before_it_moves(page, console, owner, mesh):
    [lead_id] = import_leads(mesh, [a_lead("Lata Lost")])
    sign_in(page, console, owner)
    page.goto(f"{console.url}/pipeline")
    card(page, lead_id).drag_to(column(page, "lost"))

    reason = page.get_by_label("Why? (kept in the lead's history)")
    reason.wait_for()
    assert stage_of(mesh, lead_id) == "new"
    screenshot(page, "pipeline-reason")
    reason.fill("chose another institute")
    page.get_by_role("button", name="Move to Lost").click()

    column(page, "lost").locator(f'.card[data-lead-id="{lead_id}"]').wait_for()
    lead = mesh.crm.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id)).lead
    assert (lead.stage, lead.status) == ("lost", "lost")
    [(reason_given,)] = mesh.sql(
        "SELECT data->>'reason' FROM events WHERE lead_id = %s AND type = 'lead.lost'", (lead_id,)
    )
    assert reason_given == "chose another institute"


def test_the_board_moves_a_lead_without_javascript(browser, console, owner, mesh):
    [lead_id] = import_leads(mesh, [a_lead("Nisha Noscript")])
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, console, owner)
        page.goto(f"{console.url}/pipeline")
        page.get_by_label("Move to (Nisha Noscript)").select_option("enrolled")
        page.get_by_role("button", name="Move Nisha Noscript").click()
        page.get_by_label("Why? (kept in the lead's history)").fill("paid the first instalment")
        page.get_by_role("button", name="Move to Enrolled").click()
        column(page, "enrolled").locator(f'.card[data-lead-id="{lead_id}"]').wait_for()
        assert "Nisha Noscript is now in Enrolled" in page.locator("#alerts").inner_text()
    finally:
        context.close()
    assert stage_of(mesh, lead_id) == "enrolled"


def test_the_board_filters_by_course(page, console, owner, mesh):
    ids = import_leads(
        mesh, [a_lead("Cora Course", course="UX Design"), a_lead("Omar Other", course="Python")]
    )
    sign_in(page, console, owner)
    page.goto(f"{console.url}/pipeline")
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Course", exact=True).fill("UX Design")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/pipeline?course=UX+Design")
    card(page, ids[1]).wait_for(state="detached")
    assert card(page, ids[0]).count() == 1


def test_a_counsellor_sees_the_board(page, console, counsellor, mesh):
    [lead_id] = import_leads(mesh, [a_lead("Chetan Counselled")])
    sign_in(page, console, counsellor)
    page.goto(f"{console.url}/pipeline")
    assert "Chetan Counselled" in column(page, "new").locator(f'.card[data-lead-id="{lead_id}"]').inner_text()
    # A counsellor filters by themselves, not by people they may not list.
    assert page.get_by_label("Assignee").locator("option").all_text_contents() == ["Anyone", "Me"]


# The leads table


def test_the_leads_table_finds_a_lead_by_search(page, console, owner, mesh):
    import_leads(mesh, [a_lead("Priya Searchable"), a_lead("Arjun Elsewhere")])
    sign_in(page, console, owner)
    page.goto(f"{console.url}/leads")
    screenshot(page, "leads")
    page.get_by_label("Search", exact=True).fill("searchable")
    # Active search: the rows change as the person types, and the address keeps the search.
    page.wait_for_url("**/leads?q=searchable")
    rows = page.locator(".leads-table tbody tr")
    rows.first.wait_for()
    expect(rows).to_have_count(1)
    assert "Priya Searchable" in rows.inner_text()
    assert "1 lead matches" in page.locator("#lead-count").inner_text()
    screenshot(page, "leads-search")


def test_the_leads_table_finds_a_lead_by_filter(page, console, owner, mesh):
    import_leads(
        mesh,
        [
            a_lead("Tara Tagged", tags="scholarship", course="Data Science"),
            a_lead("Uma Untagged", course="Data Science"),
        ],
    )
    sign_in(page, console, owner)
    page.goto(f"{console.url}/leads?course=Data+Science&tag=scholarship")
    rows = page.locator(".leads-table tbody tr")
    assert rows.count() == 1
    assert "Tara Tagged" in rows.inner_text()
    page.get_by_label("Tag", exact=True).fill("")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(rows).to_have_count(2)


def test_the_leads_table_pages_with_a_cursor(page, console, owner, mesh):
    import_leads(mesh, [a_lead(f"Pager {n:02d}") for n in range(55)])
    sign_in(page, console, owner)
    page.goto(f"{console.url}/leads?sort=name")
    rows = page.locator(".leads-table tbody tr")
    assert rows.count() == 50
    assert "Pager 00" in rows.first.inner_text()
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**page_token=**")
    expect(rows).to_have_count(5)
    assert "Pager 54" in rows.last.inner_text()
    page.get_by_role("link", name="Previous page").click()
    expect(rows).to_have_count(50)
    assert "Pager 00" in rows.first.inner_text()
    expect(page.get_by_role("link", name="Previous page")).to_have_count(0)


def test_the_leads_table_searches_without_javascript(browser, console, owner, mesh):
    import_leads(mesh, [a_lead("Gita Getform"), a_lead("Hari Hidden")])
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, console, owner)
        page.goto(f"{console.url}/leads")
        page.get_by_label("Search", exact=True).fill("getform")
        page.get_by_role("button", name="Search", exact=True).click()
        page.wait_for_url("**/leads?q=getform**")
        assert page.locator(".leads-table tbody tr").all_inner_texts()[0].startswith("Gita Getform")
        assert page.locator(".leads-table tbody tr").count() == 1
    finally:
        context.close()


def test_the_csv_export_contains_the_filtered_leads(page, console, owner, mesh):
    import_leads(mesh, [a_lead("Esha Exported", course="Cloud"), a_lead("Farhan Filtered", course="Python")])
    sign_in(page, console, owner)
    page.goto(f"{console.url}/leads?course=Cloud")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = download.value.path().read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["contact_name"], r["course"], r["stage"]) for r in rows] == [("Esha Exported", "Cloud", "new")]
    assert download.value.suggested_filename.endswith(".csv")


def test_a_csv_import_adds_its_leads(page, console, owner, mesh):
    sign_in(page, console, owner)
    page.goto(f"{console.url}/leads")
    page.get_by_role("link", name="Import CSV").click()
    data = "phone_number,contact_name,course,tags\n+919811100001,Imran Imported,Cloud,walk-in\n+919811100002,Isha Imported,Cloud,\n"
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "leads.csv", "mimeType": "text/csv", "buffer": data.encode()}]
    )
    page.get_by_role("button", name="Import").click()
    page.locator("#import-result").get_by_text("2 leads imported.").wait_for()
    screenshot(page, "leads-import")
    names = {row[0] for row in mesh.sql("SELECT contact_name FROM leads")}
    assert names == {"Imran Imported", "Isha Imported"}


def test_a_csv_import_with_a_bad_row_reports_it_and_imports_nothing(page, console, owner, mesh):
    sign_in(page, console, owner)
    page.goto(f"{console.url}/leads/import")
    data = (
        "phone_number,contact_name,channel\n+919811100003,Good Row,whatsapp_web\nnot-a-phone,Bad Row,pigeon\n"
    )
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "leads.csv", "mimeType": "text/csv", "buffer": data.encode()}]
    )
    page.get_by_role("button", name="Import").click()
    report = page.locator("#import-result")
    report.get_by_text("Nothing was imported.").wait_for()
    problems = report.locator(".import-errors tbody tr").all_inner_texts()
    assert any(p.startswith("2\tphone_number") for p in problems), problems
    assert any(p.startswith("2\tchannel") and "pigeon" in p for p in problems), problems
    screenshot(page, "leads-import-errors")
    assert mesh.sql("SELECT count(*) FROM leads")[0][0] == 0


# The dashboard


def test_the_dashboard_shows_the_counts(page, console, owner, mesh):
    import_leads(
        mesh,
        [
            a_lead("Dia One", course="Data Science"),
            a_lead("Dia Two", course="Data Science"),
            a_lead("Dia Three", course="Python", stage="qualified"),
        ],
    )
    sign_in(page, console, owner)
    page.goto(f"{console.url}/dashboard")
    assert page.locator('[data-stat="today"]').inner_text() == "3"
    assert page.locator('[data-stat="week"]').inner_text() == "3"
    assert page.locator('[data-stat="p50"]').inner_text() == "no data"
    stages = page.get_by_role("img", name="Leads by stage")
    assert stages.locator('[data-key="new"] .bar-count').text_content() == "2"
    assert stages.locator('[data-key="qualified"] .bar-count').text_content() == "1"
    assert stages.locator('[data-key="lost"] .bar-count').text_content() == "0"
    courses = page.get_by_role("img", name="Leads by course")
    assert courses.locator('[data-key="Data Science"] .bar-count').text_content() == "2"
    assert "Data Science: 2" in courses.locator("desc").text_content()
    # Drawn by the server: no style attribute anywhere (the page's policy would refuse it).
    assert page.locator("svg [style], svg[style]").count() == 0
    screenshot(page, "dashboard")


def test_the_dashboard_shows_the_time_to_first_reply(page, console, owner, gateway, mesh):
    post_form(gateway, mesh)
    mesh.wait_until(
        lambda: (
            mesh.sql("SELECT count(*) FROM messages WHERE direction = 'outbound' AND sent_at IS NOT NULL")[0][
                0
            ]
            > 0
        ),
        what="the AI's reply to be sent",
    )
    sign_in(page, console, owner)
    page.goto(f"{console.url}/dashboard")
    p50 = page.locator('[data-stat="p50"]').inner_text()
    assert p50 != "no data"
    assert p50.endswith(("s", "min", "h", "d")), p50
    assert "over 1 lead" in page.locator(".tile", has=page.locator('[data-stat="p50"]')).inner_text()
