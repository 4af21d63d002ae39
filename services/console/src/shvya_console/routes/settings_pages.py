"""The company's settings: the AI counsellor's model and prompt, message templates, sequences,
follow-ups, quiet hours and assignment, and webhooks. Everyone who may read settings sees them;
the forms are shown to whoever may change them, and the crm decides either way."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse
from grpc import aio

from shvya.crm.v1 import assignment_service_pb2 as assignment_pb
from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.type.v1 import channel_pb2
from shvya_console import refusals, sequence_form, views
from shvya_console.i18n import _, ngettext
from shvya_console.session import Me, MeDep

router = APIRouter()

# What a webhook can be told about, as the crm names the events.
WEBHOOK_EVENTS = ("lead.created", "lead.hot", "hand_off", "enrolled", "opted_out", "assigned")


def _done_messages() -> dict[str, str]:
    return {
        "saved": _("Saved."),
        "deleted": _("Deleted."),
    }


def _channels() -> list[tuple[int, str]]:
    return [
        (channel_pb2.CHANNEL_WHATSAPP_CLOUD, _("WhatsApp")),
        (channel_pb2.CHANNEL_WHATSAPP_WEB, _("WhatsApp Web")),
        (channel_pb2.CHANNEL_EMAIL, _("Email")),
    ]


def _stop_labels() -> dict[str, str]:
    return {
        "replied": _("the student replied"),
        "handed_off": _("a person took the conversation"),
        "enrolled": _("the student enrolled"),
    }


def _event_labels() -> dict[str, str]:
    return {
        "lead.created": _("A new lead"),
        "lead.hot": _("A lead turns hot"),
        "hand_off": _("The AI hands a lead to a person"),
        "enrolled": _("A student enrolled"),
        "opted_out": _("A student opted out"),
        "assigned": _("A counsellor was given a lead"),
    }


def _id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise HTTPException(404) from None


def _words(value: str) -> list[str]:
    return [word.strip() for word in value.split(",") if word.strip()]


def _render(request: Request, me: Me, template: str, context: dict, *, status_code: int = 200):
    context = {"section": "settings", "editable": me.can("settings:write"), **context}
    return views.render(request, template, context, status_code=status_code)


def _flash(done: str) -> str:
    return _done_messages().get(done, "")


@router.get("/settings")
async def settings_index(request: Request, me: MeDep):
    return _render(request, me, "settings_index.html", {"page": "index"})


# -- The AI counsellor ----------------------------------------------------------------------------


def _providers() -> list[tuple[str, str]]:
    return [
        ("", _("The AI service's default")),
        ("openai", _("OpenAI (needs an API key on the AI service)")),
        ("offline", _("Offline (answers from the knowledge base only, no network)")),
    ]


async def _ai_model(request: Request, me: Me):
    reply = await request.app.state.backends.crm.conversations.GetAiModel(
        conversations_pb.GetAiModelRequest(company_id=me.company_id)
    )
    return reply.ai_model


@router.get("/settings/ai")
async def ai_page(request: Request, me: MeDep, done: str = ""):
    model = await _ai_model(request, me)
    return _render(
        request,
        me,
        "settings_ai.html",
        {"page": "ai", "model": model, "form": model, "providers": _providers(), "flash": _flash(done)},
    )


@router.post("/settings/ai")
async def save_ai(
    request: Request,
    me: MeDep,
    provider: Annotated[str, Form(max_length=32)] = "",
    model: Annotated[str, Form(max_length=200)] = "",
    temperature: Annotated[str, Form(max_length=32)] = "",
    max_tokens: Annotated[str, Form(max_length=32)] = "",
    system_prompt: Annotated[str, Form(max_length=40_000)] = "",
    base_url: Annotated[str, Form(max_length=1000)] = "",
):
    stored = await _ai_model(request, me)
    form = {
        "provider": provider,
        "model": model,
        "temperature": temperature,
        "max_tokens": max_tokens,
        "system_prompt": system_prompt,
        "base_url": base_url,
    }
    error = ""
    try:
        number = float(temperature or 0)
        tokens = int(max_tokens or 0)
    except ValueError:
        error = _("Temperature must be a number such as 0.3, and the maximum length a whole number.")
    if not error:
        config = conversations_pb.AiModel(
            company_id=me.company_id,
            provider=provider.strip(),
            model=model.strip(),
            temperature=number,
            max_tokens=tokens,
            system_prompt=system_prompt.strip(),
            base_url=base_url.strip(),
        )
        try:
            await request.app.state.backends.crm.conversations.UpdateAiModel(
                conversations_pb.UpdateAiModelRequest(ai_model=config)
            )
        except aio.AioRpcError as rpc_error:
            error = refusals.refusal(rpc_error)
        else:
            return RedirectResponse("/settings/ai?done=saved", status_code=303)
    context = {"page": "ai", "model": stored, "form": form, "providers": _providers(), "error": error}
    return _render(request, me, "settings_ai.html", context, status_code=refusals.status(request))


# -- Templates ------------------------------------------------------------------------------------


async def _templates(request: Request, me: Me) -> list:
    reply = await request.app.state.backends.crm.outreach.ListTemplates(
        outreach_pb.ListTemplatesRequest(company_id=me.company_id)
    )
    return sorted(reply.templates, key=lambda t: (t.name.lower(), t.language))


def _template_form(template=None) -> dict:
    if template is None:
        return {"id": "", "name": "", "channel": channel_pb2.CHANNEL_WHATSAPP_CLOUD, "language": "en",
                "subject": "", "body": "", "variables": ""}  # fmt: skip
    return {
        "id": template.id,
        "name": template.name,
        "channel": template.channel,
        "language": template.language,
        "subject": template.subject,
        "body": template.body,
        "variables": ", ".join(template.variables),
    }


@router.get("/settings/templates")
async def templates_page(request: Request, me: MeDep, edit: str = "", done: str = ""):
    templates = await _templates(request, me)
    editing = None
    if edit:
        editing = next((t for t in templates if t.id == _id(edit)), None)
        if editing is None:
            raise HTTPException(404)
    context = {
        "page": "templates",
        "templates": templates,
        "form": _template_form(editing),
        "channels": _channels(),
        "flash": _flash(done),
    }
    return _render(request, me, "settings_templates.html", context)


@router.post("/settings/templates")
async def save_template(
    request: Request,
    me: MeDep,
    name: Annotated[str, Form(max_length=300)] = "",
    channel: Annotated[int, Form()] = channel_pb2.CHANNEL_WHATSAPP_CLOUD,
    language: Annotated[str, Form(max_length=20)] = "",
    subject: Annotated[str, Form(max_length=1000)] = "",
    body: Annotated[str, Form(max_length=10_000)] = "",
    variables: Annotated[str, Form(max_length=1000)] = "",
    template_id: Annotated[str, Form(max_length=64)] = "",
):
    template = outreach_pb.Template(
        id=_id(template_id) if template_id else "",
        company_id=me.company_id,
        name=name.strip(),
        channel=channel,
        language=language.strip(),
        subject=subject.strip(),
        body=body.strip(),
        variables=_words(variables),
    )
    try:
        await request.app.state.backends.crm.outreach.UpsertTemplate(
            outreach_pb.UpsertTemplateRequest(template=template)
        )
    except aio.AioRpcError as error:
        form = {"id": template.id, "name": name, "channel": channel, "language": language, "subject": subject,
                "body": body, "variables": variables}  # fmt: skip
        context = {
            "page": "templates",
            "templates": await _templates(request, me),
            "form": form,
            "channels": _channels(),
            "error": refusals.refusal(error),
        }
        return _render(request, me, "settings_templates.html", context, status_code=refusals.status(request))
    return RedirectResponse("/settings/templates?done=saved", status_code=303)


@router.post("/settings/templates/{template_id}/delete")
async def delete_template(request: Request, me: MeDep, template_id: str):
    await request.app.state.backends.crm.outreach.DeleteTemplate(
        outreach_pb.DeleteTemplateRequest(template_id=_id(template_id))
    )
    return RedirectResponse("/settings/templates?done=deleted", status_code=303)


# -- Sequences ------------------------------------------------------------------------------------


def _wait(seconds: int) -> str:
    amount, unit = sequence_form.delay_in_unit(seconds)
    if unit == "days":
        return ngettext("%(n)d day", "%(n)d days", amount) % {"n": amount}
    if unit == "hours":
        return ngettext("%(n)d hour", "%(n)d hours", amount) % {"n": amount}
    return ngettext("%(n)d minute", "%(n)d minutes", amount) % {"n": amount}


async def _sequence_editor(request: Request, me: Me, form: dict, *, status_code: int = 200, **more):
    context = {
        "page": "sequences",
        "form": form,
        "templates": await _templates(request, me),
        "channels": _channels(),
        "stop_labels": _stop_labels(),
        "units": {"minutes": _("minutes"), "hours": _("hours"), "days": _("days")},
        **more,
    }
    return _render(request, me, "settings_sequence.html", context, status_code=status_code)


@router.get("/settings/sequences")
async def sequences_page(request: Request, me: MeDep, done: str = ""):
    crm = request.app.state.backends.crm
    sequences, templates = await asyncio.gather(
        crm.outreach.ListSequences(outreach_pb.ListSequencesRequest(company_id=me.company_id)),
        _templates(request, me),
    )
    context = {
        "page": "sequences",
        "sequences": sorted(sequences.sequences, key=lambda s: s.name.lower()),
        "template_names": {t.id: t.name for t in templates},
        "wait": _wait,
        "channels": dict(_channels()),
        "flash": _flash(done),
    }
    return _render(request, me, "settings_sequences.html", context)


@router.get("/settings/sequences/new")
async def new_sequence(request: Request, me: MeDep):
    return await _sequence_editor(request, me, sequence_form.from_sequence())


@router.get("/settings/sequences/{sequence_id}")
async def edit_sequence(request: Request, me: MeDep, sequence_id: str):
    reply = await request.app.state.backends.crm.outreach.GetSequence(
        outreach_pb.GetSequenceRequest(sequence_id=_id(sequence_id))
    )
    return await _sequence_editor(request, me, sequence_form.from_sequence(reply.sequence))


@router.post("/settings/sequences")
async def save_sequence(request: Request, me: MeDep):
    form = await request.form()
    values = sequence_form.parse(form)
    if values["id"]:
        values["id"] = _id(values["id"])
    if form.get("action") == "add_step":
        # Another row to fill in; nothing is saved until Save.
        values["steps"].append(sequence_form.blank_step(values["steps"]))
        return await _sequence_editor(request, me, values)
    try:
        await request.app.state.backends.crm.outreach.UpsertSequence(
            outreach_pb.UpsertSequenceRequest(sequence=sequence_form.to_message(me.company_id, values))
        )
    except aio.AioRpcError as error:
        return await _sequence_editor(
            request, me, values, error=refusals.refusal(error), status_code=refusals.status(request)
        )
    return RedirectResponse("/settings/sequences?done=saved", status_code=303)


@router.post("/settings/sequences/{sequence_id}/delete")
async def delete_sequence(request: Request, me: MeDep, sequence_id: str):
    await request.app.state.backends.crm.outreach.DeleteSequence(
        outreach_pb.DeleteSequenceRequest(sequence_id=_id(sequence_id))
    )
    return RedirectResponse("/settings/sequences?done=deleted", status_code=303)


# -- Company: follow-ups, quiet hours, time zone, assignment -------------------------------------


async def _company_context(request: Request, me: Me) -> dict:
    crm = request.app.state.backends.crm
    company, assignment = await asyncio.gather(
        crm.outreach.GetCompanySettings(outreach_pb.GetCompanySettingsRequest(company_id=me.company_id)),
        crm.assignment.GetAssignmentSettings(
            assignment_pb.GetAssignmentSettingsRequest(company_id=me.company_id)
        ),
    )
    settings = company.settings
    rules = [{"course": r.course, "user_ids": list(r.user_ids)} for r in assignment.settings.rules]
    return {
        "page": "company",
        "company": {
            "name": settings.name,
            "timezone": settings.timezone,
            "followup_hours": f"{settings.followup_delay_seconds / 3600:g}",
            "max_bumps": settings.max_bumps,
            "quiet_hours_enabled": settings.quiet_hours_enabled,
            "quiet_hours_start": settings.quiet_hours_start,
            "quiet_hours_end": settings.quiet_hours_end,
            "followup_template": settings.followup_template,
        },
        "assignment": {
            "reassign_after_minutes": assignment.settings.reassign_after_minutes,
            # One empty row to add a rule with.
            "rules": [*rules, {"course": "", "user_ids": []}],
        },
        "counsellors": [c for c in assignment.counsellors if c.is_active],
    }


@router.get("/settings/company")
async def company_page(request: Request, me: MeDep, done: str = ""):
    context = await _company_context(request, me)
    context["flash"] = _flash(done)
    return _render(request, me, "settings_company.html", context)


@router.post("/settings/company")
async def save_company(
    request: Request,
    me: MeDep,
    name: Annotated[str, Form(max_length=300)] = "",
    timezone: Annotated[str, Form(max_length=100)] = "",
    followup_hours: Annotated[str, Form(max_length=32)] = "",
    max_bumps: Annotated[str, Form(max_length=32)] = "",
    quiet_hours_enabled: Annotated[str, Form(max_length=8)] = "",
    quiet_hours_start: Annotated[str, Form(max_length=16)] = "",
    quiet_hours_end: Annotated[str, Form(max_length=16)] = "",
    followup_template: Annotated[str, Form(max_length=300)] = "",
):
    values = {
        "name": name,
        "timezone": timezone,
        "followup_hours": followup_hours,
        "max_bumps": max_bumps,
        "quiet_hours_enabled": bool(quiet_hours_enabled),
        "quiet_hours_start": quiet_hours_start,
        "quiet_hours_end": quiet_hours_end,
        "followup_template": followup_template,
    }
    error = ""
    try:
        delay = round(float(followup_hours) * 3600)
        bumps = int(max_bumps)
    except ValueError:
        error = _("The wait before a follow-up must be a number of hours and the follow-ups a whole number.")
    if not error:
        settings = outreach_pb.CompanySettings(
            company_id=me.company_id,
            name=name.strip(),
            timezone=timezone.strip(),
            followup_delay_seconds=delay,
            max_bumps=bumps,
            quiet_hours_enabled=bool(quiet_hours_enabled),
            quiet_hours_start=quiet_hours_start.strip(),
            quiet_hours_end=quiet_hours_end.strip(),
            followup_template=followup_template.strip(),
        )
        try:
            await request.app.state.backends.crm.outreach.UpdateCompanySettings(
                outreach_pb.UpdateCompanySettingsRequest(settings=settings)
            )
        except aio.AioRpcError as rpc_error:
            error = refusals.refusal(rpc_error)
        else:
            return RedirectResponse("/settings/company?done=saved", status_code=303)
    context = await _company_context(request, me)
    context.update(company=values, company_error=error)
    return _render(request, me, "settings_company.html", context, status_code=refusals.status(request))


@router.post("/settings/assignment")
async def save_assignment(request: Request, me: MeDep):
    form = await request.form()
    rules = []
    for n in range(min(int(form.get("rule_count") or 0), 100)):
        course = (form.get(f"rule-{n}-course") or "").strip()
        user_ids = [u for u in form.getlist(f"rule-{n}-users") if u]
        if course or user_ids:
            rules.append({"course": course, "user_ids": user_ids})
    error = ""
    try:
        minutes = int(form.get("reassign_after_minutes") or 0)
    except ValueError:
        minutes = 0
        error = _("Reassign after must be a whole number of minutes.")
    if not error:
        settings = assignment_pb.AssignmentSettings(
            company_id=me.company_id,
            reassign_after_minutes=minutes,
            rules=[assignment_pb.AssignmentRule(course=r["course"], user_ids=r["user_ids"]) for r in rules],
        )
        try:
            await request.app.state.backends.crm.assignment.UpdateAssignmentSettings(
                assignment_pb.UpdateAssignmentSettingsRequest(settings=settings, actor=f"user:{me.user_id}")
            )
        except aio.AioRpcError as rpc_error:
            error = refusals.refusal(rpc_error)
        else:
            return RedirectResponse("/settings/company?done=saved#assignment", status_code=303)
    context = await _company_context(request, me)
    context.update(
        assignment={
            "reassign_after_minutes": form.get("reassign_after_minutes") or "",
            "rules": [*rules, {"course": "", "user_ids": []}],
        },
        assignment_error=error,
    )
    return _render(request, me, "settings_company.html", context, status_code=refusals.status(request))


# -- Webhooks -------------------------------------------------------------------------------------


async def _webhooks_context(request: Request, me: Me, **more) -> dict:
    reply = await request.app.state.backends.crm.outreach.ListWebhookSubscriptions(
        outreach_pb.ListWebhookSubscriptionsRequest(company_id=me.company_id)
    )
    return {
        "page": "webhooks",
        "subscriptions": reply.subscriptions,
        "events": _event_labels(),
        "form": {"url": "", "events": list(WEBHOOK_EVENTS), "active": True},
        **more,
    }


@router.get("/settings/webhooks")
async def webhooks_page(request: Request, me: MeDep, done: str = "", edit: str = ""):
    context = await _webhooks_context(request, me, flash=_flash(done))
    if edit:
        # The same address posted again replaces its events: the form starts from what it has.
        found = next((s for s in context["subscriptions"] if s.id == _id(edit)), None)
        if found is None:
            raise HTTPException(404)
        context["form"] = {"url": found.url, "events": list(found.events), "active": found.active}
    return _render(request, me, "settings_webhooks.html", context)


@router.post("/settings/webhooks")
async def save_webhook(request: Request, me: MeDep):
    form = await request.form()
    url = (form.get("url") or "").strip()
    events = [e for e in form.getlist("events") if e in WEBHOOK_EVENTS]
    active = bool(form.get("active"))
    subscription = outreach_pb.WebhookSubscription(
        company_id=me.company_id, url=url, events=events, active=active
    )
    try:
        reply = await request.app.state.backends.crm.outreach.UpsertWebhookSubscription(
            outreach_pb.UpsertWebhookSubscriptionRequest(subscription=subscription)
        )
    except aio.AioRpcError as error:
        context = await _webhooks_context(request, me, error=refusals.refusal(error))
        context["form"] = {"url": url, "events": events, "active": active}
        return _render(request, me, "settings_webhooks.html", context, status_code=refusals.status(request))
    # The signing secret is shown in this answer only: nothing shows it again.
    context = await _webhooks_context(request, me, secret=reply.secret, flash=_("Webhook saved."))
    return _render(request, me, "settings_webhooks.html", context)


@router.post("/settings/webhooks/{subscription_id}/delete")
async def delete_webhook(request: Request, me: MeDep, subscription_id: str):
    await request.app.state.backends.crm.outreach.DeleteWebhookSubscription(
        outreach_pb.DeleteWebhookSubscriptionRequest(subscription_id=_id(subscription_id))
    )
    return RedirectResponse("/settings/webhooks?done=deleted", status_code=303)


@router.post("/settings/webhooks/secret")
async def rotate_secret(request: Request, me: MeDep):
    reply = await request.app.state.backends.crm.outreach.RotateWebhookSecret(
        outreach_pb.RotateWebhookSecretRequest(company_id=me.company_id)
    )
    context = await _webhooks_context(
        request,
        me,
        secret=reply.secret,
        flash=_("A new signing secret is in use: the old one no longer verifies."),
    )
    return _render(request, me, "settings_webhooks.html", context)
