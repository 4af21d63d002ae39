"""/admin/companies/{company_id}/ai-model and /prompt: the company's model and counsellor prompt."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya_gateway import views
from shvya_gateway.deps import AdminDep, BackendsDep, SettingsDep
from shvya_gateway.forms import openapi_body, read_body, validate
from shvya_gateway.schemas import AiModelPatch, AiModelView, PromptIn, PromptView

router = APIRouter(prefix="/admin/companies/{company_id}", tags=["ai configuration"], dependencies=[AdminDep])
CompanyId = Annotated[uuid.UUID, Path()]


async def _get(backends, settings, company_id: uuid.UUID) -> conversations_pb.AiModel:
    reply = await backends.crm.conversations.GetAiModel(
        conversations_pb.GetAiModelRequest(company_id=str(company_id)),
    )
    return reply.ai_model


async def _update(backends, settings, config: conversations_pb.AiModel) -> conversations_pb.AiModel:
    reply = await backends.crm.conversations.UpdateAiModel(
        conversations_pb.UpdateAiModelRequest(ai_model=config)
    )
    return reply.ai_model


@router.get("/ai-model", response_model=AiModelView, summary="The company's model settings and prompt")
async def get_ai_model(company_id: CompanyId, backends: BackendsDep, settings: SettingsDep) -> AiModelView:
    return views.ai_model(await _get(backends, settings, company_id))


@router.patch(
    "/ai-model",
    response_model=AiModelView,
    summary="Change some of the model settings (provider, model, temperature, max_tokens, system_prompt, base_url)",
    openapi_extra=openapi_body(AiModelPatch),
)
async def patch_ai_model(
    company_id: CompanyId, request: Request, backends: BackendsDep, settings: SettingsDep
) -> AiModelView:
    change = validate(AiModelPatch, await read_body(request))
    config = await _get(backends, settings, company_id)
    for field, value in change.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(config, field, value)
    return views.ai_model(await _update(backends, settings, config))


@router.get("/prompt", response_model=PromptView, summary="The counsellor's instructions (system prompt)")
async def get_prompt(company_id: CompanyId, backends: BackendsDep, settings: SettingsDep) -> PromptView:
    config = await _get(backends, settings, company_id)
    return PromptView(company_id=config.company_id, system_prompt=config.system_prompt)


@router.put(
    "/prompt",
    response_model=PromptView,
    summary="Replace the counsellor's instructions (empty restores the default)",
    openapi_extra=openapi_body(PromptIn),
)
async def put_prompt(
    company_id: CompanyId, request: Request, backends: BackendsDep, settings: SettingsDep
) -> PromptView:
    body = validate(PromptIn, await read_body(request))
    config = await _get(backends, settings, company_id)
    config.system_prompt = body.system_prompt
    updated = await _update(backends, settings, config)
    return PromptView(company_id=updated.company_id, system_prompt=updated.system_prompt)
