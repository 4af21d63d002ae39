"""A company's API keys for integrations: GET/POST /api-keys and DELETE /api-keys/{id} (revoke)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep
from shvya_gateway.routers.people_views import ApiKeyView, acting_company, api_key_view

router = APIRouter(prefix="/api-keys", tags=["api keys"], dependencies=[AdminDep])

Scope = Literal["leads:read", "leads:write", "intake", "knowledge:read", "knowledge:write", "settings:read"]


class ApiKeyBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "website forms", "scopes": ["intake", "leads:read"]}]},
    )

    name: Annotated[str, Field(min_length=1, max_length=200)]
    scopes: Annotated[list[Scope], Field(min_length=1)]
    company_id: uuid.UUID | None = Field(None, description="Defaults to the caller's company.")


class NewApiKeyView(BaseModel):
    api_key: ApiKeyView
    key: str = Field(description="Send as `Authorization: Bearer <key>`; shown only here, stored hashed.")


@router.get("", response_model=list[ApiKeyView], summary="The company's API keys (never the keys themselves)")
async def list_api_keys(
    request: Request,
    company_id: Annotated[uuid.UUID | None, Query(description="Defaults to the caller's company.")],
    backends: BackendsDep,
    settings: SettingsDep,
) -> list[ApiKeyView]:
    company = await acting_company(request, company_id)
    reply = await backends.crm.users.ListApiKeys(
        users_pb.ListApiKeysRequest(company_id=company), timeout=settings.request_timeout_seconds
    )
    return [api_key_view(k) for k in reply.api_keys]


@router.post("", response_model=NewApiKeyView, status_code=201, summary="Create an API key, shown once")
async def create_api_key(
    request: Request, body: ApiKeyBody, backends: BackendsDep, settings: SettingsDep
) -> NewApiKeyView:
    company = await acting_company(request, body.company_id)
    reply = await backends.crm.users.CreateApiKey(
        users_pb.CreateApiKeyRequest(company_id=company, name=body.name, scopes=list(body.scopes)),
        timeout=settings.request_timeout_seconds,
    )
    return NewApiKeyView(api_key=api_key_view(reply.api_key), key=reply.key)


@router.delete("/{api_key_id}", response_model=ApiKeyView, summary="Revoke an API key")
async def revoke_api_key(
    api_key_id: Annotated[uuid.UUID, Path()], backends: BackendsDep, settings: SettingsDep
) -> ApiKeyView:
    reply = await backends.crm.users.RevokeApiKey(
        users_pb.RevokeApiKeyRequest(api_key_id=str(api_key_id)), timeout=settings.request_timeout_seconds
    )
    return api_key_view(reply.api_key)
