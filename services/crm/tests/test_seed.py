"""`python -m shvya_crm seed-demo`: the demo company, catalogue and prompt, idempotently."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya_crm.__main__ import main
from shvya_crm.seed import DEMO_DOCUMENTS, DEMO_NAME, DEMO_PROMPT
from shvya_crm.settings import DEFAULT_COMPANY_ID


@pytest.fixture
def seed_demo(crm, monkeypatch) -> Iterator:
    """Runs the real entry point against the test database."""
    monkeypatch.setenv("CRM_DATABASE_URL", crm.database_url)
    monkeypatch.setenv("ENV", "development")
    for name in ("CRM_ENV", "CRM_DEFAULT_COMPANY_ID", "CRM_INTERNAL_TOKEN", "INTERNAL_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield lambda: main(["seed-demo"])
    # The entry point configures process-wide logging; give pytest its handlers back.
    root.handlers[:] = handlers
    root.setLevel(level)


def test_seed_demo_creates_the_demo_company_with_its_catalogue_and_prompt(crm, seed_demo):
    seed_demo()

    company_id = str(DEFAULT_COMPANY_ID)
    assert crm.scalar("SELECT name FROM companies WHERE id = %s", (company_id,)) == DEMO_NAME
    documents = crm.stub.conversations.ListKnowledgeDocuments(
        conversations_pb.ListKnowledgeDocumentsRequest(company_id=company_id)
    )
    assert len(documents.documents) == len(DEMO_DOCUMENTS) == 8
    model = crm.stub.conversations.GetAiModel(
        conversations_pb.GetAiModelRequest(company_id=company_id)
    ).ai_model
    assert model.system_prompt == DEMO_PROMPT
    assert model.model == "gpt-4o-mini"


def test_seeding_twice_leaves_eight_documents_and_one_pipeline(crm, seed_demo):
    seed_demo()
    first_ids = {r[0] for r in crm.sql("SELECT id FROM ai_kb_docs")}

    seed_demo()

    assert crm.count("ai_kb_docs") == 8
    assert {r[0] for r in crm.sql("SELECT id FROM ai_kb_docs")} == first_ids
    assert crm.count("companies") == 1
    assert crm.count("pipelines") == 1
    assert crm.count("ai_models") == 1


def test_seeding_renames_a_default_company_created_by_an_earlier_intake(crm, seed_demo):
    # Given a lead that reached the default company before the demo was seeded
    response = crm.ingest(company_id="")

    seed_demo()

    assert crm.scalar("SELECT name FROM companies WHERE id = %s", (response.company_id,)) == DEMO_NAME
    assert crm.count("leads") == 1


def test_the_seeded_catalogue_answers_a_fee_question(crm, seed_demo):
    seed_demo()

    matches = crm.stub.conversations.SearchKnowledgeBase(
        conversations_pb.SearchKnowledgeBaseRequest(
            company_id=str(DEFAULT_COMPANY_ID), query="What is the fee for the Digital Marketing course?"
        )
    ).matches

    assert matches[0].document.title == "Digital Marketing Pro"
    assert "Rs 24,999" in matches[0].document.content
