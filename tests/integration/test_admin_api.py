"""The admin REST API against the real mesh: the knowledge base, the prompt and model, unanswered
questions, and the conversation view a tester scores turns with."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shvya_crm.seed import DEMO_PROMPT, document_id
from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings

COMPANY = str(DEFAULT_COMPANY_ID)
KB = f"/admin/companies/{COMPANY}/knowledge"


@pytest.fixture
def api(mesh) -> Iterator[TestClient]:
    settings = GatewaySettings(
        crm_addr=mesh.crm_addr, conductor_addr=mesh.conductor_addr, admin_token=mesh.admin_token
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {mesh.admin_token}"
        yield client


def form(text: str) -> dict:
    suffix = uuid.uuid4().int % 10**8
    return {
        "phone_number": f"+9196{suffix:08d}",
        "contact_name": "Kavya Iyer",
        "message_text": text,
        "channel": "email",
        "email": f"kavya.{suffix}@example.com",
    }


def converse(api, mesh, text: str) -> dict:
    """Posts a form, waits for its turn, and returns the conversation view."""
    posted = api.post("/inbound-message", json=form(text)).json()
    mesh.wait_for_job(posted["job_id"], "completed")
    return api.get(f"/leads/{posted['lead_id']}").json()


def test_the_conversation_view_shows_each_replys_intent_documents_and_the_leads_stage(api, mesh):
    view = converse(api, mesh, "When does the next data science batch start?")

    inbound, reply = view["messages"]
    assert (inbound["direction"], inbound["ai"]) == ("inbound", None)
    assert reply["purpose"] == "reply"
    assert reply["ai"]["intent"] == "question"
    assert reply["ai"]["knowledge_documents"] == [
        {"id": str(document_id("Data Science and AI")), "title": "Data Science and AI"}
    ]
    assert reply["ai"]["answered_message_ids"] == [inbound["id"]]
    assert reply["ai"]["provider"] == "offline"
    assert (reply["intent"], reply["knowledge_document_ids"]) == (
        "question",
        [str(document_id("Data Science and AI"))],
    )
    assert "19 January 2027" in reply["text"]
    assert (view["lead"]["stage"], view["lead"]["status"]) == ("qualified", "active")


def test_the_view_shows_an_opt_out_as_such(api, mesh):
    view = converse(api, mesh, "STOP")

    reply = view["messages"][-1]
    assert (reply["purpose"], reply["ai"]["intent"]) == ("opt_out_confirmation", "opt_out")
    assert view["lead"]["status"] == "opted_out"


def test_a_hand_off_shows_in_the_view_with_its_summary(api, mesh):
    view = converse(api, mesh, "Can a counsellor call me today?")

    reply = view["messages"][-1]
    assert (reply["purpose"], reply["ai"]["intent"], reply["ai"]["hand_off"]) == (
        "handoff",
        "wants_call",
        True,
    )
    assert view["lead"]["status"] == "handed_off"
    mesh.wait_until(lambda: api.get(f"/leads/{view['lead']['id']}").json()["lead"]["summary"], what="summary")


def test_a_document_added_by_an_admin_answers_the_next_student(api, mesh):
    # Given a question the catalogue cannot answer
    unanswered = converse(api, mesh, "Is there a hostel for outstation students?")
    assert unanswered["messages"][-1]["ai"]["unanswered"] is True
    [question] = api.get(f"/admin/companies/{COMPANY}/unanswered-questions").json()
    assert question["question"] == "Is there a hostel for outstation students?"

    # When an admin adds a document that answers it, and marks the question resolved
    created = api.post(
        KB,
        json={
            "title": "Hostel and accommodation",
            "content": "Classes are online, so there is no hostel; outstation students study from home.",
            "tags": ["faq", "hostel"],
        },
    )
    assert created.status_code == 201
    resolved = api.post(
        f"/admin/unanswered-questions/{question['id']}/resolve", json={"resolution": "added a hostel FAQ"}
    )
    assert resolved.json()["resolved_at"] is not None
    assert api.get(f"/admin/companies/{COMPANY}/unanswered-questions").json() == []

    # Then the next student with that question is answered from it
    answered = converse(api, mesh, "Is there a hostel for outstation students?")
    reply = answered["messages"][-1]
    assert "there is no hostel" in reply["text"]
    assert reply["ai"]["knowledge_documents"] == [
        {"id": created.json()["id"], "title": "Hostel and accommodation"}
    ]


def test_documents_are_listed_searched_replaced_and_deleted(api, mesh):
    doc = api.post(
        KB, json={"title": "Internships", "content": "Top students get a 4-week internship."}
    ).json()

    assert "Internships" in [d["title"] for d in api.get(KB).json()]
    assert api.get(f"{KB}/search", params={"q": "internship"}).json()[0]["document"]["id"] == doc["id"]

    replaced = api.put(f"{KB}/{doc['id']}", json={"title": "Internships", "content": "Paid internships."})
    assert (replaced.status_code, replaced.json()["content"]) == (200, "Paid internships.")

    assert api.delete(f"{KB}/{doc['id']}").status_code == 204
    assert api.get(f"{KB}/search", params={"q": "internship"}).json() == []
    assert api.delete(f"{KB}/{doc['id']}").status_code == 404


def test_a_document_of_another_company_cannot_be_deleted_through_this_one(api, mesh):
    other = f"/admin/companies/{uuid.uuid4()}/knowledge"
    doc = api.get(KB).json()[0]

    assert api.delete(f"{other}/{doc['id']}").status_code == 404
    assert doc["id"] in [d["id"] for d in api.get(KB).json()]


def test_the_prompt_is_read_and_replaced(api, mesh):
    assert api.get(f"/admin/companies/{COMPANY}/prompt").json()["system_prompt"] == DEMO_PROMPT

    put = api.put(f"/admin/companies/{COMPANY}/prompt", json={"system_prompt": "You are Ravi, a counsellor."})

    assert put.json()["system_prompt"] == "You are Ravi, a counsellor."
    model = api.get(f"/admin/companies/{COMPANY}/ai-model").json()
    assert (model["system_prompt"], model["model"], model["max_tokens"]) == (
        "You are Ravi, a counsellor.",
        "gpt-4o-mini",
        500,
    )


def test_a_model_patch_changes_only_the_fields_given(api, mesh):
    patched = api.patch(f"/admin/companies/{COMPANY}/ai-model", json={"temperature": 0.2, "max_tokens": 300})

    assert patched.status_code == 200
    body = patched.json()
    assert (body["temperature"], body["max_tokens"], body["system_prompt"]) == (0.2, 300, DEMO_PROMPT)


def test_a_companys_synonym_set_through_the_api_changes_what_search_finds(api, mesh):
    assert api.get(f"{KB}/search", params={"q": "wizardry"}).json() == []
    synonyms = api.get(f"{KB}/synonyms").json()["synonyms"]
    assert synonyms["cost"] == "fee"

    replaced = api.put(f"{KB}/synonyms", json={"synonyms": {**synonyms, "wizardry": "figma"}})

    assert replaced.status_code == 200
    assert [m["document"]["title"] for m in api.get(f"{KB}/search", params={"q": "wizardry"}).json()] == [
        "UI/UX Design"
    ]
    api.put(f"{KB}/synonyms", json={"synonyms": synonyms})


def test_a_knowledge_base_of_an_unknown_company_is_not_found(api, mesh):
    response = api.post(f"/admin/companies/{uuid.uuid4()}/knowledge", json={"title": "x", "content": "y"})

    assert response.status_code == 404
