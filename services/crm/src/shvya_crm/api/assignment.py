"""The AssignmentService: assignment, take over and hand back, counsellors' replies, rules and availability."""

from __future__ import annotations

from shvya.crm.v1 import assignment_service_pb2 as assignment_pb
from shvya.crm.v1 import assignment_service_pb2_grpc
from shvya_crm.api import convert
from shvya_crm.api.rpc import parse_uuid, rpc
from shvya_crm.assignment import counsellors, handling, notices, rules
from shvya_crm.conversations import human
from shvya_crm.leads.queries import get_lead
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.db import Database
from shvya_crm.storage.models import Company, User
from shvya_rpc.errors import FieldErrors

MAX_REASON_CHARS = 64


def _actor(value: str) -> str:
    return value.strip()[:200] or human.OPERATOR


def _hours(value: assignment_pb.WorkingHours) -> counsellors.Hours:
    return counsellors.Hours(
        days=tuple(value.days), start=value.start, end=value.end, timezone=value.timezone
    )


def _counsellor(user: User) -> assignment_pb.Counsellor:
    hours = counsellors.hours_of(user)
    return assignment_pb.Counsellor(
        id=str(user.id),
        company_id=str(user.company_id),
        email=user.email,
        name=user.name,
        role=user.role,
        is_active=user.is_active,
        available=user.available,
        working_hours=assignment_pb.WorkingHours(
            days=list(hours.days), start=hours.start, end=hours.end, timezone=hours.timezone
        ),
    )


def _settings(value: rules.AssignmentSettings) -> assignment_pb.AssignmentSettings:
    return assignment_pb.AssignmentSettings(
        company_id=str(value.company_id),
        reassign_after_minutes=value.reassign_after_minutes,
        rules=[
            assignment_pb.AssignmentRule(course=r.course, user_ids=[str(u) for u in r.user_ids])
            for r in value.rules
        ],
    )


class AssignmentServicer(assignment_service_pb2_grpc.AssignmentServiceServicer):
    def __init__(self, settings: CrmSettings, db: Database) -> None:
        self._settings = settings
        self._db = db

    @rpc
    def AssignLead(self, request: assignment_pb.AssignLeadRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        user_id = parse_uuid(request.user_id, "user_id", required=False)
        reason = request.reason.strip() or "manual"
        if len(reason) > MAX_REASON_CHARS:
            raise FieldErrors({"reason": f"must be at most {MAX_REASON_CHARS} characters"})
        with self._db.transaction() as session:
            _, changed = handling.assign(
                session, lead_id, user_id, reason=reason, actor=_actor(request.actor)
            )
            return assignment_pb.AssignLeadResponse(
                lead=convert.lead(get_lead(session, lead_id)), changed=changed
            )

    @rpc
    def TakeOverLead(self, request: assignment_pb.TakeOverLeadRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        user_id = parse_uuid(request.user_id, "user_id", required=False)
        with self._db.transaction() as session:
            handling.take_over(session, lead_id, user_id, _actor(request.actor))
            return assignment_pb.TakeOverLeadResponse(lead=convert.lead(get_lead(session, lead_id)))

    @rpc
    def HandBackLead(self, request: assignment_pb.HandBackLeadRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        with self._db.transaction() as session:
            handling.hand_back(session, lead_id, _actor(request.actor))
            return assignment_pb.HandBackLeadResponse(lead=convert.lead(get_lead(session, lead_id)))

    @rpc
    def SendHumanReply(self, request: assignment_pb.SendHumanReplyRequest, context):
        reply = human.HumanReply(
            lead_id=parse_uuid(request.lead_id, "lead_id"),
            idempotency_key=request.idempotency_key,
            text=request.text,
            template_name=request.template_name.strip(),
            template_language=request.template_language.strip(),
            template_parameters=tuple(request.template_parameters),
            author_user_id=parse_uuid(request.author_user_id, "author_user_id", required=False),
            subject=request.subject,
        )
        with self._db.transaction() as session:
            message, created = human.send(session, reply)
            if created:
                author = reply.author_user_id
                handling.take_over_for_reply(
                    session, reply.lead_id, author, str(author) if author else _actor("")
                )
            return assignment_pb.SendHumanReplyResponse(
                message=convert.message(message),
                created=created,
                job_id=str(message.job_id) if message.job_id else "",
            )

    @rpc
    def GetAssignmentSettings(self, request: assignment_pb.GetAssignmentSettingsRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.read() as session:
            company = _company(session, company_id)
            return assignment_pb.GetAssignmentSettingsResponse(
                settings=_settings(rules.effective(company)),
                counsellors=[_counsellor(u) for u in counsellors.list_users(session, company_id)],
            )

    @rpc
    def UpdateAssignmentSettings(self, request: assignment_pb.UpdateAssignmentSettingsRequest, context):
        given = request.settings
        company_id = parse_uuid(given.company_id, "settings.company_id")
        with self._db.transaction() as session:
            updated = rules.update(
                session,
                company_id,
                given.reassign_after_minutes,
                [(r.course, list(r.user_ids)) for r in given.rules],
                _actor(request.actor),
            )
            return assignment_pb.UpdateAssignmentSettingsResponse(settings=_settings(updated))

    @rpc
    def UpdateUserAvailability(self, request: assignment_pb.UpdateUserAvailabilityRequest, context):
        user_id = parse_uuid(request.user_id, "user_id")
        hours = _hours(request.working_hours) if request.HasField("working_hours") else None
        with self._db.transaction() as session:
            user = counsellors.set_availability(
                session, user_id, request.available, hours, _actor(request.actor)
            )
            return assignment_pb.UpdateUserAvailabilityResponse(user=_counsellor(user))

    @rpc
    def NotifyAssignee(self, request: assignment_pb.NotifyAssigneeRequest, context):
        lead_id = parse_uuid(request.lead_id, "lead_id")
        message_id = parse_uuid(request.message_id, "message_id")
        with self._db.transaction() as session:
            return assignment_pb.NotifyAssigneeResponse(
                queued=handling.notify_assignee(session, lead_id, message_id)
            )

    @rpc
    def PrepareCounsellorNotification(
        self, request: assignment_pb.PrepareCounsellorNotificationRequest, context
    ):
        job_id = parse_uuid(request.job_id, "job_id")
        with self._db.read() as session:
            notice = notices.prepare(session, job_id)
            return assignment_pb.PrepareCounsellorNotificationResponse(
                proceed=notice.proceed,
                reason=notice.reason,
                email=notice.email,
                name=notice.name,
                subject=notice.subject,
                text=notice.text,
                company_id=notice.company_id,
                lead_id=notice.lead_id,
            )

    @rpc
    def ReassignLead(self, request: assignment_pb.ReassignLeadRequest, context):
        job_id = parse_uuid(request.job_id, "job_id")
        with self._db.transaction() as session:
            outcome = handling.reassign(session, job_id)
            response = assignment_pb.ReassignLeadResponse(
                reassigned=outcome.reassigned, reason=outcome.reason
            )
            if outcome.lead is not None:
                response.lead.CopyFrom(convert.lead(get_lead(session, outcome.lead.lead.id)))
            if outcome.next_check_at is not None:
                response.next_check_at.FromDatetime(outcome.next_check_at)
            return response


def _company(session, company_id) -> Company:
    company = session.get(Company, company_id)
    if company is None:
        raise LookupError(f"company {company_id} not found")
    return company
