"""The OutreachService: company settings, templates, sequences, enrolments, outreach preparation and webhooks."""

from __future__ import annotations

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya.crm.v1 import outreach_service_pb2_grpc
from shvya_crm.api import convert
from shvya_crm.api.channels import TO_CODE
from shvya_crm.api.rpc import parse_uuid, rpc
from shvya_crm.leads import queries
from shvya_crm.outreach import company_settings, preparation, sequence_admin, sequences, templates, webhooks
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.db import Database
from shvya_crm.storage.models import Sequence, SequenceEnrolment
from shvya_rpc.errors import FieldErrors


class OutreachServicer(outreach_service_pb2_grpc.OutreachServiceServicer):
    def __init__(self, settings: CrmSettings, db: Database) -> None:
        self._settings = settings
        self._db = db

    @rpc
    def UpsertTemplate(self, request: outreach_pb.UpsertTemplateRequest, context):
        t = request.template
        channel = TO_CODE.get(t.channel)
        if channel is None:
            raise FieldErrors({"template.channel": "must be one of whatsapp_web, whatsapp_cloud, email"})
        with self._db.transaction() as session:
            row, created = templates.upsert(
                session,
                template_id=parse_uuid(t.id, "template.id", required=False),
                company_id=parse_uuid(t.company_id, "template.company_id"),
                name=t.name,
                channel=channel,
                language=t.language,
                subject=t.subject,
                body=t.body,
                variables=list(t.variables),
            )
            return outreach_pb.UpsertTemplateResponse(template=convert.template(row), created=created)

    @rpc
    def ListTemplates(self, request: outreach_pb.ListTemplatesRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.read() as session:
            rows = templates.list_templates(session, company_id, TO_CODE.get(request.channel))
            return outreach_pb.ListTemplatesResponse(templates=[convert.template(r) for r in rows])

    @rpc
    def DeleteTemplate(self, request: outreach_pb.DeleteTemplateRequest, context):
        template_id = parse_uuid(request.template_id, "template_id")
        with self._db.transaction() as session:
            templates.remove(session, template_id)
        return outreach_pb.DeleteTemplateResponse()

    @rpc
    def GetCompanySettings(self, request: outreach_pb.GetCompanySettingsRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.read() as session:
            return outreach_pb.GetCompanySettingsResponse(
                settings=convert.company_settings(company_settings.get(session, company_id))
            )

    @rpc
    def UpdateCompanySettings(self, request: outreach_pb.UpdateCompanySettingsRequest, context):
        given = request.settings
        company_id = parse_uuid(given.company_id, "settings.company_id")
        fields = (
            "name",
            "timezone",
            "followup_delay_seconds",
            "max_bumps",
            "quiet_hours_enabled",
            "quiet_hours_start",
            "quiet_hours_end",
            "followup_template",
            "max_attempts",
            "retry_max_seconds",
        )
        changes = {f: getattr(given, f) for f in fields if given.HasField(f)}
        with self._db.transaction() as session:
            value, created = company_settings.update(
                session, company_id, changes, self._settings.company_name_for(company_id)
            )
            return outreach_pb.UpdateCompanySettingsResponse(
                settings=convert.company_settings(value), company_created=created
            )

    @rpc
    def UpsertSequence(self, request: outreach_pb.UpsertSequenceRequest, context):
        given = request.sequence
        trigger = {
            "course": " ".join(given.trigger.course.split()),
            "keywords": [k.strip() for k in given.trigger.keywords],
            "channels": [TO_CODE.get(c) for c in given.trigger.channels],
            "all_new_leads": given.trigger.all_new_leads,
        }
        steps = [
            sequence_admin.StepSpec(
                position=step.position,
                channel=TO_CODE.get(step.channel),
                template_id=parse_uuid(step.template_id, f"sequence.steps.{i}.template_id", required=False),
                delay_seconds=step.delay_seconds,
                stop_conditions=list(step.stop_conditions),
            )
            for i, step in enumerate(given.steps)
        ]
        with self._db.transaction() as session:
            view, created = sequence_admin.upsert(
                session,
                sequence_id=parse_uuid(given.id, "sequence.id", required=False),
                company_id=parse_uuid(given.company_id, "sequence.company_id"),
                name=given.name,
                active=given.active,
                trigger=trigger,
                steps=steps,
            )
            return outreach_pb.UpsertSequenceResponse(sequence=convert.sequence(view), created=created)

    @rpc
    def GetSequence(self, request: outreach_pb.GetSequenceRequest, context):
        sequence_id = parse_uuid(request.sequence_id, "sequence_id")
        with self._db.read() as session:
            return outreach_pb.GetSequenceResponse(
                sequence=convert.sequence(sequence_admin.get(session, sequence_id))
            )

    @rpc
    def ListSequences(self, request: outreach_pb.ListSequencesRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.read() as session:
            views = sequence_admin.list_for(session, company_id)
            return outreach_pb.ListSequencesResponse(sequences=[convert.sequence(v) for v in views])

    @rpc
    def DeleteSequence(self, request: outreach_pb.DeleteSequenceRequest, context):
        sequence_id = parse_uuid(request.sequence_id, "sequence_id")
        with self._db.transaction() as session:
            sequence_admin.delete(session, sequence_id)
        return outreach_pb.DeleteSequenceResponse()

    @rpc
    def EnrolLead(self, request: outreach_pb.EnrolLeadRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        sequence_id = parse_uuid(request.sequence_id, "sequence_id")
        with self._db.transaction() as session:
            sequence = session.get(Sequence, sequence_id)
            if sequence is None:
                raise LookupError(f"sequence {sequence_id} not found")
            enrolment, created = sequences.enrol(session, sequence=sequence, lead_id=lead_id, source="api")
            return outreach_pb.EnrolLeadResponse(enrolment=convert.enrolment(enrolment), created=created)

    @rpc
    def ListEnrolments(self, request: outreach_pb.ListEnrolmentsRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id", required=False)
        sequence_id = parse_uuid(request.sequence_id, "sequence_id", required=False)
        if (lead_id is None) == (sequence_id is None):
            raise FieldErrors({"lead_id": "set exactly one of lead_id and sequence_id"})
        with self._db.read() as session:
            rows = sequences.list_enrolments(session, lead_id=lead_id, sequence_id=sequence_id)
            return outreach_pb.ListEnrolmentsResponse(enrolments=[convert.enrolment(r) for r in rows])

    @rpc
    def StopEnrolment(self, request: outreach_pb.StopEnrolmentRequest, context):
        enrolment_id = parse_uuid(request.enrolment_id, "enrolment_id")
        with self._db.transaction() as session:
            enrolment = session.get(SequenceEnrolment, enrolment_id, with_for_update=True)
            if enrolment is None:
                raise LookupError(f"enrolment {enrolment_id} not found")
            sequences.stop(session, enrolment, request.reason.strip() or "stopped through the API")
            return outreach_pb.StopEnrolmentResponse(enrolment=convert.enrolment(enrolment))

    @rpc
    def PrepareOutreach(self, request: outreach_pb.PrepareOutreachRequest, context):
        job_id = parse_uuid(request.job_id, "job_id")
        with self._db.transaction() as session:
            value = preparation.prepare(session, job_id)
            view = queries.get_lead(session, value.lead.id) if value.lead is not None else None
            return convert.prepared(value, view)

    @rpc
    def UpsertWebhookSubscription(self, request: outreach_pb.UpsertWebhookSubscriptionRequest, context):
        given = request.subscription
        company_id = parse_uuid(given.company_id, "subscription.company_id")
        with self._db.transaction() as session:
            row, created = webhooks.upsert(
                session,
                subscription_id=parse_uuid(given.id, "subscription.id", required=False),
                company_id=company_id,
                url=given.url,
                names=[e.strip() for e in given.events],
                active=given.active,
            )
            return outreach_pb.UpsertWebhookSubscriptionResponse(
                subscription=convert.webhook_subscription(row),
                created=created,
                secret=webhooks.secret(session, company_id),
            )

    @rpc
    def ListWebhookSubscriptions(self, request: outreach_pb.ListWebhookSubscriptionsRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.read() as session:
            rows = webhooks.list_for(session, company_id)
            return outreach_pb.ListWebhookSubscriptionsResponse(
                subscriptions=[convert.webhook_subscription(r) for r in rows]
            )

    @rpc
    def DeleteWebhookSubscription(self, request: outreach_pb.DeleteWebhookSubscriptionRequest, context):
        subscription_id = parse_uuid(request.subscription_id, "subscription_id")
        with self._db.transaction() as session:
            webhooks.remove(session, subscription_id)
        return outreach_pb.DeleteWebhookSubscriptionResponse()

    @rpc
    def RotateWebhookSecret(self, request: outreach_pb.RotateWebhookSecretRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.transaction() as session:
            return outreach_pb.RotateWebhookSecretResponse(secret=webhooks.rotate(session, company_id))

    @rpc
    def PrepareWebhookDelivery(self, request: outreach_pb.PrepareWebhookDeliveryRequest, context):
        job_id = parse_uuid(request.job_id, "job_id")
        with self._db.transaction() as session:
            delivery = webhooks.prepare(session, job_id)
            return outreach_pb.PrepareWebhookDeliveryResponse(
                proceed=delivery.proceed,
                reason=delivery.reason,
                url=delivery.url,
                body=delivery.body,
                headers=delivery.headers,
            )
