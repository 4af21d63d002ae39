"""Message templates with {variables}: GET/POST /companies/{id}/templates, PUT/DELETE /templates/{id}."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from grpc import aio
from pydantic import BaseModel, ConfigDict, Field

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya_gateway.channel_names import FROM_PB, TO_PB, ChannelName
from shvya_gateway.deps import AdminDep, BackendsDep
from shvya_gateway.errors import rpc_error_response
from shvya_gateway.forms import openapi_body, read_body, validate

router = APIRouter(tags=["templates"], dependencies=[AdminDep])


class TemplateBody(BaseModel):
    """For the WhatsApp Cloud API, `name` and `language` identify the approved template and
    `variables` name its body parameters in order."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=200, description="a-z, 0-9 and _")]
    channel: ChannelName
    language: Annotated[str, Field(max_length=16)] = "en"
    subject: Annotated[str, Field(max_length=300)] = ""
    body: Annotated[str, Field(min_length=1, max_length=20_000, description="Text with {variables}.")]
    variables: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, description="Defaults to the body's {variables} in order."
    )


class TemplateView(TemplateBody):
    model_config = ConfigDict(extra="ignore")

    id: str
    company_id: str
    updated_at: str | None


def template_view(t: outreach_pb.Template) -> TemplateView:
    return TemplateView(
        id=t.id,
        company_id=t.company_id,
        name=t.name,
        channel=FROM_PB[t.channel],
        language=t.language,
        subject=t.subject,
        body=t.body,
        variables=list(t.variables),
        updated_at=t.updated_at.ToDatetime().isoformat() + "Z" if t.HasField("updated_at") else None,
    )


def _message(body: TemplateBody, company_id: str, template_id: str = "") -> outreach_pb.Template:
    return outreach_pb.Template(
        id=template_id,
        company_id=company_id,
        name=body.name,
        channel=TO_PB[body.channel],
        language=body.language,
        subject=body.subject,
        body=body.body,
        variables=body.variables,
    )


@router.get(
    "/companies/{company_id}/templates", response_model=list[TemplateView], summary="A company's templates"
)
async def list_templates(
    company_id: Annotated[uuid.UUID, Path()],
    backends: BackendsDep,
    channel: Annotated[ChannelName | None, Query()] = None,
) -> list[TemplateView]:
    reply = await backends.crm.outreach.ListTemplates(
        outreach_pb.ListTemplatesRequest(
            company_id=str(company_id), channel=TO_PB[channel] if channel else 0
        ),
    )
    return [template_view(t) for t in reply.templates]


@router.post(
    "/companies/{company_id}/templates",
    response_model=TemplateView,
    status_code=201,
    summary="Create a template (or replace the one with the same name and language)",
    openapi_extra=openapi_body(TemplateBody),
)
async def create_template(
    company_id: Annotated[uuid.UUID, Path()],
    request: Request,
    response: Response,
    backends: BackendsDep,
):
    body = validate(TemplateBody, await read_body(request))
    try:
        reply = await backends.crm.outreach.UpsertTemplate(
            outreach_pb.UpsertTemplateRequest(template=_message(body, str(company_id))),
        )
    except aio.AioRpcError as exc:
        return rpc_error_response(exc, strip="template.")
    if not reply.created:
        response.status_code = 200
    return template_view(reply.template)


@router.put(
    "/companies/{company_id}/templates/{template_id}",
    response_model=TemplateView,
    summary="Replace a template",
    openapi_extra=openapi_body(TemplateBody),
)
async def replace_template(
    company_id: Annotated[uuid.UUID, Path()],
    template_id: Annotated[uuid.UUID, Path()],
    request: Request,
    backends: BackendsDep,
):
    body = validate(TemplateBody, await read_body(request))
    try:
        reply = await backends.crm.outreach.UpsertTemplate(
            outreach_pb.UpsertTemplateRequest(template=_message(body, str(company_id), str(template_id))),
        )
    except aio.AioRpcError as exc:
        return rpc_error_response(exc, strip="template.")
    return template_view(reply.template)


@router.delete("/templates/{template_id}", status_code=204, summary="Delete a template")
async def delete_template(template_id: Annotated[uuid.UUID, Path()], backends: BackendsDep) -> Response:
    await backends.crm.outreach.DeleteTemplate(
        outreach_pb.DeleteTemplateRequest(template_id=str(template_id)),
    )
    return Response(status_code=204)
