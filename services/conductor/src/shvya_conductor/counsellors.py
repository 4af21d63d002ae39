"""The counsellors' tasks: human_reply sends a counsellor's message; notify_counsellor emails them; reassign_lead."""

from __future__ import annotations

import json
import logging

import grpc

from shvya.channels.v1 import channels_service_pb2 as ch_pb
from shvya.crm.v1 import assignment_service_pb2 as assignment_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_conductor.engage import SendExtras, check_policy, deliver
from shvya_conductor.runner import Deferred, Permanent, RetryLater, TaskContext

log = logging.getLogger(__name__)

_DELIVERED = (crm_pb.MESSAGE_STATUS_SENT, crm_pb.MESSAGE_STATUS_DELIVERED, crm_pb.MESSAGE_STATUS_READ)


def _template(job: jobs_pb.Job) -> ch_pb.TemplateMessage | None:
    """The approved template the counsellor picked (needed outside WhatsApp's 24-hour window)."""
    name = job.payload.get("template_name", "")
    if not name:
        return None
    try:
        parameters = json.loads(job.payload.get("template_parameters", "[]"))
    except json.JSONDecodeError:
        raise Permanent("job payload has malformed template_parameters") from None
    return ch_pb.TemplateMessage(
        name=name, language=job.payload.get("template_language", ""), parameters=[str(p) for p in parameters]
    )


def human_reply(ctx: TaskContext, job: jobs_pb.Job) -> bool:
    """Sends a counsellor's reserved message once, through the same send path as an AI reply."""
    crm = ctx.clients.crm
    timeout = ctx.settings.crm_timeout_seconds
    message_id = job.payload.get("message_id", "")
    lead_id = job.payload.get("lead_id", "") or job.lead_id
    if not message_id or not lead_id:
        raise Permanent("job payload needs lead_id and message_id")
    message = crm.leads.GetMessage(leads_pb.GetMessageRequest(message_id=message_id), timeout=timeout).message
    if message.status in _DELIVERED:
        log.info("job %s: counsellor's message %s was already sent", job.id, message_id)
        return False
    lead = crm.leads.GetLead(leads_pb.GetLeadRequest(lead_id=lead_id), timeout=timeout).lead
    company = crm.outreach.GetCompanySettings(
        outreach_pb.GetCompanySettingsRequest(company_id=lead.company_id), timeout=timeout
    ).settings
    # At send time, not when it was written: an opt-out that arrived meanwhile wins.
    policy = check_policy(ctx, lead.id, message.channel, crm_pb.SEND_PURPOSE_COUNSELLOR)
    extras = SendExtras(template=_template(job))
    return deliver(ctx, job, lead, message, company.name, extras, policy=policy)


def notify_counsellor(ctx: TaskContext, job: jobs_pb.Job) -> bool:
    """Emails the counsellor through the email channel (the send ledger keeps it to one email)."""
    notice = ctx.clients.crm.assignment.PrepareCounsellorNotification(
        assignment_pb.PrepareCounsellorNotificationRequest(job_id=job.id),
        timeout=ctx.settings.crm_timeout_seconds,
    )
    if not notice.proceed:
        log.info("job %s: counsellor not notified: %s", job.id, notice.reason)
        return False
    stub = ctx.clients.channels.get(channel_pb2.CHANNEL_EMAIL)
    if stub is None:
        raise Permanent("no channels service is configured for email")
    request = ch_pb.SendMessageRequest(
        channel=channel_pb2.CHANNEL_EMAIL,
        idempotency_key=f"notify:{job.id}",
        recipient=ch_pb.Recipient(name=notice.name, email=notice.email),
        text=notice.text,
        subject=notice.subject,
        company_id=notice.company_id,
        lead_id=notice.lead_id,
        sender_name="Shvya",
    )
    try:
        result = stub.SendMessage(request, timeout=ctx.settings.channels_timeout_seconds)
    except grpc.RpcError as exc:
        if exc.code() == grpc.StatusCode.UNAVAILABLE:
            raise RetryLater(f"channels service for email unreachable: {exc.details()}") from exc
        raise
    reason = f"email: {result.reason or ch_pb.SendOutcome.Name(result.outcome)}"
    if result.outcome == ch_pb.SEND_OUTCOME_SENT:
        log.info("job %s: counsellor %s notified (%s)", job.id, notice.email, result.external_id)
        return False
    if result.outcome == ch_pb.SEND_OUTCOME_RETRY_LATER:
        raise RetryLater(reason, result.retry_after_seconds)
    if result.outcome == ch_pb.SEND_OUTCOME_DEFERRED:
        raise Deferred(reason, max(result.retry_after_seconds, 1.0))
    raise Permanent(reason)


def reassign_lead(ctx: TaskContext, job: jobs_pb.Job) -> bool:
    """The reassignment timer: the crm decides, in one transaction, whether the lead moves on."""
    result = ctx.clients.crm.assignment.ReassignLead(
        assignment_pb.ReassignLeadRequest(job_id=job.id), timeout=ctx.settings.crm_timeout_seconds
    )
    log.info("job %s: lead %s reassigned=%s (%s)", job.id, job.lead_id, result.reassigned, result.reason)
    return False
