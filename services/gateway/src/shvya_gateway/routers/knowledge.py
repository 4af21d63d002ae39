"""/admin/companies/{company_id}/knowledge: the knowledge base the AI answers from."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya_gateway import views
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep
from shvya_gateway.forms import openapi_body, read_body, validate
from shvya_gateway.schemas import (
    KnowledgeDocumentIn,
    KnowledgeDocumentView,
    KnowledgeMatchView,
    KnowledgeSynonymsIn,
    KnowledgeSynonymsView,
)

router = APIRouter(
    prefix="/admin/companies/{company_id}/knowledge", tags=["knowledge base"], dependencies=[AdminDep]
)
CompanyId = Annotated[
    uuid.UUID, Path(description="The company (the demo academy is 00000000-0000-4000-8000-000000000001).")
]
DocumentId = Annotated[uuid.UUID, Path()]


@router.get("", response_model=list[KnowledgeDocumentView], summary="The company's documents, by title")
async def list_documents(company_id: CompanyId, backends: BackendsDep):
    reply = await backends.crm.conversations.ListKnowledgeDocuments(
        conversations_pb.ListKnowledgeDocumentsRequest(company_id=str(company_id)),
    )
    return [views.document(d) for d in reply.documents]


@router.get("/search", response_model=list[KnowledgeMatchView], summary="Full-text search, best match first")
async def search(
    company_id: CompanyId,
    backends: BackendsDep,
    q: Annotated[str, Query(min_length=1, max_length=2000, description="The student's words.")],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
):
    reply = await backends.crm.conversations.SearchKnowledgeBase(
        conversations_pb.SearchKnowledgeBaseRequest(company_id=str(company_id), query=q, limit=limit),
    )
    return [KnowledgeMatchView(document=views.document(m.document), rank=m.rank) for m in reply.matches]


# Declared before "/{document_id}": "synonyms" is not a document id.
@router.get("/synonyms", response_model=KnowledgeSynonymsView, summary="The search synonyms, by word")
async def list_synonyms(company_id: CompanyId, backends: BackendsDep):
    reply = await backends.crm.conversations.ListKnowledgeSynonyms(
        conversations_pb.ListKnowledgeSynonymsRequest(company_id=str(company_id)),
    )
    return KnowledgeSynonymsView(synonyms={s.word: s.expands_to for s in reply.synonyms})


@router.put(
    "/synonyms",
    response_model=KnowledgeSynonymsView,
    summary="Replace the search synonyms",
    openapi_extra=openapi_body(KnowledgeSynonymsIn),
)
async def replace_synonyms(company_id: CompanyId, request: Request, backends: BackendsDep):
    body = validate(KnowledgeSynonymsIn, await read_body(request))
    reply = await backends.crm.conversations.SetKnowledgeSynonyms(
        conversations_pb.SetKnowledgeSynonymsRequest(
            company_id=str(company_id),
            synonyms=[
                conversations_pb.KnowledgeSynonym(word=w, expands_to=e) for w, e in body.synonyms.items()
            ],
        ),
    )
    return KnowledgeSynonymsView(synonyms={s.word: s.expands_to for s in reply.synonyms})


async def _upsert(request: Request, backends, settings, company_id: uuid.UUID, document_id: str):
    body = validate(KnowledgeDocumentIn, await read_body(request))
    return await backends.crm.conversations.UpsertKnowledgeDocument(
        conversations_pb.UpsertKnowledgeDocumentRequest(
            document_id=document_id,
            company_id=str(company_id),
            title=body.title,
            content=body.content,
            tags=body.tags,
        ),
    )


@router.post(
    "",
    response_model=KnowledgeDocumentView,
    status_code=201,
    summary="Add a document",
    openapi_extra=openapi_body(KnowledgeDocumentIn),
)
async def create_document(
    company_id: CompanyId, request: Request, backends: BackendsDep, settings: SettingsDep
):
    reply = await _upsert(request, backends, settings, company_id, "")
    return views.document(reply.document)


@router.put(
    "/{document_id}",
    response_model=KnowledgeDocumentView,
    summary="Replace a document (or create it under this id)",
    responses={201: {"description": "Created"}},
    openapi_extra=openapi_body(KnowledgeDocumentIn),
)
async def replace_document(
    company_id: CompanyId,
    document_id: DocumentId,
    request: Request,
    response: Response,
    backends: BackendsDep,
    settings: SettingsDep,
):
    reply = await _upsert(request, backends, settings, company_id, str(document_id))
    if reply.created:
        response.status_code = 201
    return views.document(reply.document)


@router.delete("/{document_id}", status_code=204, summary="Delete a document")
async def delete_document(company_id: CompanyId, document_id: DocumentId, backends: BackendsDep) -> Response:
    # The crm deletes by id; this path only reaches the company's own documents.
    listed = await backends.crm.conversations.ListKnowledgeDocuments(
        conversations_pb.ListKnowledgeDocumentsRequest(company_id=str(company_id)),
    )
    if str(document_id) not in {d.id for d in listed.documents}:
        raise HTTPException(404, f"document {document_id} not found in company {company_id}")
    await backends.crm.conversations.DeleteKnowledgeDocument(
        conversations_pb.DeleteKnowledgeDocumentRequest(document_id=str(document_id)),
    )
    return Response(status_code=204)
