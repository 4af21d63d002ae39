"""followup_bumpup, sequence_step and email_sequence: a proactive message, prepared by the crm
when the job runs and sent through the same send-time policy as every reply."""

from __future__ import annotations

import logging

from shvya.channels.v1 import channels_service_pb2 as ch_pb
from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.crm.v1 import resources_pb2 as crm_pb
from shvya.type.v1 import channel_pb2
from shvya_conductor.engage import SendExtras, deliver
from shvya_conductor.runner import Deferred, TaskContext

log = logging.getLogger(__name__)

_DELIVERED = (crm_pb.MESSAGE_STATUS_SENT, crm_pb.MESSAGE_STATUS_DELIVERED, crm_pb.MESSAGE_STATUS_READ)


def unsubscribe_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/u/{token}"


def extras_for(prepared: outreach_pb.PrepareOutreachResponse, public_url: str) -> SendExtras:
    headers: dict[str, str] = {}
    footer = ""
    if (
        prepared.marketing
        and prepared.unsubscribe_token
        and prepared.message.channel == channel_pb2.CHANNEL_EMAIL
    ):
        url = unsubscribe_url(public_url, prepared.unsubscribe_token)
        # RFC 8058: a mailbox provider POSTs "List-Unsubscribe=One-Click" to the URL.
        headers = {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        footer = f"\n\n--\nTo stop receiving these emails, unsubscribe: {url}"
    template = None
    if prepared.HasField("template") and prepared.template.name:
        template = ch_pb.TemplateMessage(
            name=prepared.template.name,
            language=prepared.template.language,
            parameters=list(prepared.template.parameters),
        )
    return SendExtras(
        in_reply_to=prepared.in_reply_to,
        references=tuple(prepared.references),
        headers=headers,
        footer=footer,
        template=template,
    )


def send_outreach(ctx: TaskContext, job: jobs_pb.Job) -> bool:
    prepared = ctx.clients.crm.outreach.PrepareOutreach(outreach_pb.PrepareOutreachRequest(job_id=job.id))
    if not prepared.proceed:
        if prepared.defer_seconds > 0:
            raise Deferred(prepared.reason, prepared.defer_seconds)
        log.info("job %s (%s): nothing to send: %s", job.id, job.task_name, prepared.reason)
        return False
    message = prepared.message
    if message.status in _DELIVERED:
        log.info("job %s: message %s was already sent; nothing to do", job.id, message.id)
        return False
    return deliver(
        ctx,
        job,
        prepared.lead,
        message,
        prepared.sender_name,
        extras_for(prepared, ctx.settings.public_url),
    )
