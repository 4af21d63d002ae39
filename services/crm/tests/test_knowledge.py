"""The knowledge base: per-company documents, searched with PostgreSQL full-text search."""

from __future__ import annotations

import uuid

import grpc
import pytest

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya_rpc.errors import field_violations

CATALOGUE = {
    "Digital Marketing Pro": "A 12-week course covering SEO, Google Ads and Meta ads. The fee is Rs 24,999.",
    "Full-Stack Web Development": "A 24-week course covering JavaScript, React and Node.js. The fee is Rs 49,999.",
    "Data Science and AI": "A 28-week course covering Python, statistics and machine learning.",
    "Placement assistance": "Every course includes resume reviews and mock interviews.",
}


def _company(crm) -> str:
    return crm.ingest(company_id=str(uuid.uuid4())).company_id


def _upsert(crm, company_id: str, title: str, content: str, document_id: str = "", tags=()):
    return crm.stub.conversations.UpsertKnowledgeDocument(
        conversations_pb.UpsertKnowledgeDocumentRequest(
            company_id=company_id, document_id=document_id, title=title, content=content, tags=list(tags)
        )
    )


def _search(crm, company_id: str, query: str, limit: int = 5) -> list[str]:
    response = crm.stub.conversations.SearchKnowledgeBase(
        conversations_pb.SearchKnowledgeBaseRequest(company_id=company_id, query=query, limit=limit)
    )
    return [m.document.title for m in response.matches]


@pytest.fixture
def catalogue(crm) -> str:
    company_id = _company(crm)
    for title, content in CATALOGUE.items():
        _upsert(crm, company_id, title, content)
    return company_id


@pytest.mark.parametrize(
    ("question", "best"),
    [
        ("I am interested in the digital marketing course", "Digital Marketing Pro"),
        ("What is the fee for React and Node?", "Full-Stack Web Development"),
        ("Do you teach machine learning with python?", "Data Science and AI"),
        ("will you help me with mock interviews", "Placement assistance"),
    ],
)
def test_search_ranks_the_best_matching_document_first(crm, catalogue, question, best):
    titles = _search(crm, catalogue, question)

    assert titles[0] == best


@pytest.mark.parametrize(
    ("question", "best"),
    [
        ("डेटा साइंस कोर्स की फीस कितनी है?", "Data Science and AI"),
        ("డిజిటల్ మార్కెటింగ్ కోర్సు ఫీజు ఎంత?", "Digital Marketing Pro"),
        ("வெப் டெவலப்மென்ட் கோர்ஸ் ஃபீஸ் எவ்வளவு?", "Full-Stack Web Development"),
        ("data science course er fee koto?", "Data Science and AI"),
    ],
)
def test_a_question_in_an_indian_script_or_romanised_finds_the_course(crm, catalogue, question, best):
    titles = _search(crm, catalogue, question)

    assert titles[0] == best


def test_search_ranks_are_descending(crm, catalogue):
    matches = crm.stub.conversations.SearchKnowledgeBase(
        conversations_pb.SearchKnowledgeBaseRequest(company_id=catalogue, query="course fee React marketing")
    ).matches

    ranks = [m.rank for m in matches]
    assert len(ranks) >= 2
    assert ranks == sorted(ranks, reverse=True)
    assert ranks[0] > 0


def test_search_never_returns_another_companys_documents(crm, catalogue):
    # Given another company whose catalogue matches the question better
    other = _company(crm)
    _upsert(crm, other, "Digital Marketing Masterclass", "Digital marketing, digital marketing, SEO and ads.")

    # When the first company searches
    response = crm.stub.conversations.SearchKnowledgeBase(
        conversations_pb.SearchKnowledgeBaseRequest(company_id=catalogue, query="digital marketing")
    )

    # Then only its own documents come back
    assert response.matches
    assert {m.document.company_id for m in response.matches} == {catalogue}
    assert "Digital Marketing Masterclass" not in [m.document.title for m in response.matches]


def test_search_with_no_matching_word_returns_nothing(crm, catalogue):
    assert _search(crm, catalogue, "hostel accommodation") == []


def test_search_respects_the_limit(crm, catalogue):
    assert len(_search(crm, catalogue, "course fee week", limit=2)) == 2


def test_upsert_without_an_id_creates_a_document(crm):
    company_id = _company(crm)

    response = _upsert(crm, company_id, "  UI/UX Design ", "A 16-week course.", tags=["course", "design"])

    assert response.created is True
    assert response.document.title == "UI/UX Design"
    assert list(response.document.tags) == ["course", "design"]
    assert crm.event_types("type = 'kb_doc.created'") == ["kb_doc.created"]


def test_upsert_with_an_existing_id_replaces_the_document_and_reindexes_it(crm):
    # Given a document about design
    company_id = _company(crm)
    created = _upsert(crm, company_id, "UI/UX Design", "A 16-week Figma course.").document

    # When it is replaced with new content
    replaced = _upsert(crm, company_id, "UI/UX Design", "A 20-week course on product design.", created.id)

    # Then there is still one document, and search follows the new content
    assert replaced.created is False
    assert replaced.document.id == created.id
    assert replaced.document.content == "A 20-week course on product design."
    assert crm.count("ai_kb_docs") == 1
    assert _search(crm, company_id, "figma") == []
    assert _search(crm, company_id, "product") == ["UI/UX Design"]


def test_a_document_of_another_company_cannot_be_overwritten(crm):
    owner = _company(crm)
    document = _upsert(crm, owner, "Fees", "Rs 24,999").document
    intruder = _company(crm)

    with pytest.raises(grpc.RpcError) as caught:
        _upsert(crm, intruder, "Fees", "Rs 1", document_id=document.id)

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND
    assert crm.scalar("SELECT content FROM ai_kb_docs WHERE id = %s", (document.id,)) == "Rs 24,999"


def test_upsert_for_an_unknown_company_is_not_found(crm):
    with pytest.raises(grpc.RpcError) as caught:
        _upsert(crm, str(uuid.uuid4()), "Fees", "Rs 24,999")

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def test_upsert_refuses_an_empty_title_and_content_at_once(crm):
    company_id = _company(crm)

    with pytest.raises(grpc.RpcError) as caught:
        _upsert(crm, company_id, " ", "")

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"title", "content"}


def test_delete_removes_the_document_from_list_and_search(crm, catalogue):
    doc = next(d for d in _list(crm, catalogue) if d.title == "Placement assistance")

    crm.stub.conversations.DeleteKnowledgeDocument(
        conversations_pb.DeleteKnowledgeDocumentRequest(document_id=doc.id)
    )

    assert "Placement assistance" not in [d.title for d in _list(crm, catalogue)]
    assert _search(crm, catalogue, "mock interviews") == []
    assert crm.event_types("type = 'kb_doc.deleted'") == ["kb_doc.deleted"]


def test_deleting_an_unknown_document_is_not_found(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.stub.conversations.DeleteKnowledgeDocument(
            conversations_pb.DeleteKnowledgeDocumentRequest(document_id=str(uuid.uuid4()))
        )

    assert caught.value.code() == grpc.StatusCode.NOT_FOUND


def _list(crm, company_id: str):
    return crm.stub.conversations.ListKnowledgeDocuments(
        conversations_pb.ListKnowledgeDocumentsRequest(company_id=company_id)
    ).documents


def test_list_returns_only_the_companys_documents_by_title(crm, catalogue):
    other = _company(crm)
    _upsert(crm, other, "Another catalogue", "Elsewhere.")

    titles = [d.title for d in _list(crm, catalogue)]

    assert titles == sorted(CATALOGUE)


def test_reply_context_carries_the_best_knowledge_match_for_the_message(crm, catalogue):
    # Given a lead of the catalogue's company asking about fees for React
    turn = crm.ingest(
        company_id=catalogue, phone_number="9123456780", message_text="What is the fee for the React course?"
    )

    # When the conductor asks for the reply's context
    context = crm.stub.conversations.GetReplyContext(
        conversations_pb.GetReplyContextRequest(
            lead_id=turn.lead_id, message_id=turn.message_id, knowledge_limit=3
        )
    )

    # Then it carries the lead, the config, the unanswered message and the best document first
    assert context.lead.id == turn.lead_id
    assert context.company.id == catalogue
    assert [m.id for m in context.pending] == [turn.message_id]
    assert [m.id for m in context.history] == []
    assert context.knowledge[0].document.title == "Full-Stack Web Development"
    # The request names no limit: the documented default of five matches applies.
    assert len(context.knowledge) <= 5
    assert context.ai_model.model == "gpt-4o-mini"


@pytest.mark.parametrize(
    ("question", "best"),
    [
        ("digitl markting fees kitni hai", "Digital Marketing Pro"),
        ("datascience course", "Data Science and AI"),
        ("fullstack price", "Full-Stack Web Development"),
        ("web devlopment course", "Full-Stack Web Development"),
        ("placment support?", "Placement assistance"),
    ],
)
def test_search_forgives_typos_glued_words_and_everyday_synonyms(crm, catalogue, question, best):
    assert _search(crm, catalogue, question)[0] == best


def test_a_word_merely_close_to_a_title_word_is_not_corrected():
    from shvya_crm.conversations.knowledge import search_terms

    # "reach" is one letter from "react"; "desing" is "design" misspelt
    vocabulary = {"react": "react", "design": "design"}

    assert search_terms("how do I reach you", vocabulary) == ["how", "do", "i", "reach", "you"]
    assert search_terms("desing", vocabulary) == ["desing", "design"]


def test_search_terms_map_a_shorthand_and_a_misspelling_to_the_catalogue_words():
    from shvya_crm.conversations.knowledge import search_terms

    vocabulary = {"ui/ux": "ui/ux", "ui": "ui/ux", "ux": "ui/ux", "design": "design"}

    assert search_terms("UI UX desing cost", vocabulary, {"cost": "fee"}) == [
        "ui",
        "ui/ux",
        "ux",
        "desing",
        "design",
        "cost",
        "fee",
    ]


def _set_synonyms(crm, company_id: str, synonyms: dict[str, str]):
    return crm.stub.conversations.SetKnowledgeSynonyms(
        conversations_pb.SetKnowledgeSynonymsRequest(
            company_id=company_id,
            synonyms=[conversations_pb.KnowledgeSynonym(word=w, expands_to=e) for w, e in synonyms.items()],
        )
    )


def _synonyms(crm, company_id: str) -> dict[str, str]:
    response = crm.stub.conversations.ListKnowledgeSynonyms(
        conversations_pb.ListKnowledgeSynonymsRequest(company_id=company_id)
    )
    return {s.word: s.expands_to for s in response.synonyms}


def test_a_new_company_starts_with_the_default_synonyms(crm):
    company_id = _company(crm)

    assert _synonyms(crm, company_id)["cost"] == "fee"


def test_a_companys_own_synonym_changes_what_search_finds(crm, catalogue):
    # Given a word the catalogue never uses
    assert _search(crm, catalogue, "sorcery") == []

    # When the company says what its students mean by it
    _set_synonyms(crm, catalogue, {**_synonyms(crm, catalogue), "sorcery": "machine learning"})

    # Then the search finds the course that teaches it
    assert _search(crm, catalogue, "sorcery")[0] == "Data Science and AI"


def test_a_synonym_the_company_removes_no_longer_expands_a_search(crm, catalogue):
    _set_synonyms(crm, catalogue, {"sorcery": "machine learning"})
    assert _search(crm, catalogue, "sorcery") == ["Data Science and AI"]

    _set_synonyms(crm, catalogue, {})

    assert _search(crm, catalogue, "sorcery") == []


def test_a_synonym_is_one_word_with_a_meaning(crm):
    company_id = _company(crm)

    with pytest.raises(grpc.RpcError) as raised:
        _set_synonyms(crm, company_id, {"two words": "fee", "empty": " "})

    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(raised.value)) == {"synonyms[two words].word", "synonyms[empty].expands_to"}
