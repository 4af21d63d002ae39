"""Who may call each crm RPC: the permission it needs and where its target company is found."""

# Every RPC of every crm service has an entry in POLICY, keyed by its full gRPC method name; an RPC
# without one is refused to everybody, and a test fails until it has one. To declare a new RPC:
#
#     "/shvya.crm.v1.LeadsService/AddNote": Rule(LEADS_WRITE, (lead("lead_id"),)),
#
# `targets` name the request fields that identify what the call touches; each is looked up to its
# company, and a caller bound to a company (a user, an API key) must match every company found.

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shvya_crm.people.principals import PermissionDenied, Principal
from shvya_crm.people.roles import (
    API_KEYS_MANAGE,
    INTAKE,
    KNOWLEDGE_READ,
    KNOWLEDGE_WRITE,
    LEADS_READ,
    LEADS_WRITE,
    MESH,
    OPERATIONS,
    PLATFORM,
    PUBLIC,
    SETTINGS_READ,
    SETTINGS_WRITE,
    SIGNED_IN,
    USERS_MANAGE,
)
from shvya_crm.storage import models


@dataclass(frozen=True)
class Target:
    """A request field (dotted path) and how its value leads to a company."""

    path: str
    model: type | None  # None: the value is the company id itself
    # A company id left empty means the default company (as intake reads it).
    empty_is_default: bool = False
    # Looked at only when no earlier target found a company (a lead_id, or else a company_id).
    fallback: bool = False
    # Left empty, the value means every company: a caller bound to one company never may.
    empty_is_every: bool = False


def company(path: str = "company_id", *, fallback: bool = False) -> Target:
    return Target(path, None, empty_is_default=True, fallback=fallback)


def every_company(path: str = "company_id") -> Target:
    """A company id whose absence means every company (the operator's view), not the default one."""
    return Target(path, None, empty_is_every=True)


def named_company(path: str = "company_id") -> Target:
    """A company id that must be given: empty names no company (the servicer refuses it)."""
    return Target(path, None)


def _of(model: type) -> Callable[[str], Target]:
    return lambda path: Target(path, model)


lead = _of(models.Lead)
message = _of(models.Message)
document = _of(models.AiKbDoc)
question = _of(models.UnansweredQuestion)
template = _of(models.Template)
sequence = _of(models.Sequence)
enrolment = _of(models.SequenceEnrolment)
subscription = _of(models.WebhookSubscription)
user = _of(models.User)
api_key = _of(models.ApiKey)


@dataclass(frozen=True)
class Rule:
    permission: str
    targets: tuple[Target, ...] = ()


_LEADS = "/shvya.crm.v1.LeadsService/"
_CONVERSATIONS = "/shvya.crm.v1.ConversationsService/"
_JOBS = "/shvya.crm.v1.JobsService/"
_OUTREACH = "/shvya.crm.v1.OutreachService/"
_CLOCK = "/shvya.crm.v1.TestClockService/"
_USERS = "/shvya.crm.v1.UsersService/"
_ASSIGNMENT = "/shvya.crm.v1.AssignmentService/"

_MESH = Rule(MESH)

POLICY: dict[str, Rule] = {
    # Leads
    _LEADS + "IngestInboundMessage": Rule(INTAKE, (company(),)),
    _LEADS + "GetLead": Rule(LEADS_READ, (lead("lead_id"),)),
    _LEADS + "ListLeadMessages": Rule(LEADS_READ, (lead("lead_id"),)),
    _LEADS + "GetMessage": Rule(LEADS_READ, (message("message_id"),)),
    _LEADS + "RecordConsent": Rule(LEADS_WRITE, (lead("lead_id"), company(fallback=True))),
    _LEADS + "ListConsents": Rule(LEADS_READ, (lead("lead_id"),)),
    _LEADS + "CheckSendPolicy": Rule(LEADS_READ, (lead("lead_id"),)),
    # Found by a channel's external id or an unsubscribe token, which are their own authority:
    # the public pages reach them through the gateway, as the system.
    _LEADS + "ApplyDeliveryStatus": _MESH,
    _LEADS + "DescribeUnsubscribeToken": _MESH,
    _LEADS + "UnsubscribeByToken": _MESH,
    # Finding and working leads
    _LEADS + "ListLeads": Rule(LEADS_READ, (company("filter.company_id"),)),
    _LEADS + "CountLeads": Rule(LEADS_READ, (company("filter.company_id"),)),
    _LEADS + "ListRecentConversations": Rule(LEADS_READ, (company(),)),
    _LEADS + "MoveLeadStage": Rule(LEADS_WRITE, (lead("lead_id"),)),
    _LEADS + "MarkLeadEnrolled": Rule(LEADS_WRITE, (lead("lead_id"),)),
    _LEADS + "MarkLeadLost": Rule(LEADS_WRITE, (lead("lead_id"),)),
    _LEADS + "AddLeadNote": Rule(LEADS_WRITE, (lead("lead_id"),)),
    _LEADS + "ListLeadNotes": Rule(LEADS_READ, (lead("lead_id"),)),
    _LEADS + "UpdateLeadTags": Rule(LEADS_WRITE, (lead("lead_id"),)),
    _LEADS + "CorrectLeadContact": Rule(LEADS_WRITE, (lead("lead_id"),)),
    _LEADS + "ImportLeads": Rule(LEADS_WRITE, (company(),)),
    # The console's overview. A user's inbox is their own: the servicer refuses another user's.
    _LEADS + "ListInbox": Rule(LEADS_READ, (company(), user("assignee_user_id"))),
    _LEADS + "GetActivity": Rule(LEADS_READ, (company(),)),
    _LEADS + "GetLeadStats": Rule(LEADS_READ, (company(),)),
    # Conversations: the send path is the mesh's; people read turns and keep the knowledge base.
    _CONVERSATIONS + "GetReplyContext": _MESH,
    # A reply tried out for no lead: what it reads is the company's knowledge base and AI model.
    _CONVERSATIONS + "GetPreviewContext": Rule(KNOWLEDGE_READ, (company(),)),
    _CONVERSATIONS + "ReserveReply": _MESH,
    _CONVERSATIONS + "ReserveOutboundMessage": _MESH,
    _CONVERSATIONS + "MarkMessageSent": _MESH,
    _CONVERSATIONS + "MarkMessageFailed": _MESH,
    _CONVERSATIONS + "UpdateLeadSummary": _MESH,
    _CONVERSATIONS + "ListAiTurns": Rule(LEADS_READ, (lead("lead_id"),)),
    _CONVERSATIONS + "SearchKnowledgeBase": Rule(KNOWLEDGE_READ, (company(),)),
    _CONVERSATIONS + "ListKnowledgeDocuments": Rule(KNOWLEDGE_READ, (company(),)),
    _CONVERSATIONS + "UpsertKnowledgeDocument": Rule(KNOWLEDGE_WRITE, (document("document_id"), company())),
    _CONVERSATIONS + "DeleteKnowledgeDocument": Rule(KNOWLEDGE_WRITE, (document("document_id"),)),
    _CONVERSATIONS + "ListUnansweredQuestions": Rule(KNOWLEDGE_READ, (company(),)),
    _CONVERSATIONS + "ResolveUnansweredQuestion": Rule(KNOWLEDGE_WRITE, (question("question_id"),)),
    _CONVERSATIONS + "GetAiModel": Rule(SETTINGS_READ, (company(),)),
    _CONVERSATIONS + "UpdateAiModel": Rule(SETTINGS_WRITE, (company("ai_model.company_id"),)),
    # Jobs: the ledger is the conductor's; the queue spans companies.
    _JOBS + "ClaimJobs": _MESH,
    _JOBS + "ReleaseJobs": _MESH,
    _JOBS + "ClaimDueJobs": _MESH,
    _JOBS + "StartJob": _MESH,
    _JOBS + "CompleteJob": _MESH,
    _JOBS + "FailJob": _MESH,
    _JOBS + "DeferJob": _MESH,
    _JOBS + "GetJob": _MESH,
    _JOBS + "ScheduleJob": _MESH,
    # A company's owner or admin sees and replays its own jobs; with no company named these span
    # every company, which only the operator (and the mesh) may see.
    _JOBS + "GetJobCounts": Rule(OPERATIONS, (every_company(),)),
    _JOBS + "RequeueDeadJobs": Rule(OPERATIONS, (every_company(),)),
    _JOBS + "ListDeadJobs": Rule(OPERATIONS, (every_company(),)),
    # Assignment and human replies; the timers and notifications are the conductor's.
    _ASSIGNMENT + "AssignLead": Rule(LEADS_WRITE, (lead("lead_id"), user("user_id"))),
    _ASSIGNMENT + "TakeOverLead": Rule(LEADS_WRITE, (lead("lead_id"), user("user_id"))),
    _ASSIGNMENT + "HandBackLead": Rule(LEADS_WRITE, (lead("lead_id"),)),
    _ASSIGNMENT + "SendHumanReply": Rule(LEADS_WRITE, (lead("lead_id"), user("author_user_id"))),
    _ASSIGNMENT + "GetAssignmentSettings": Rule(SETTINGS_READ, (company(),)),
    _ASSIGNMENT + "UpdateAssignmentSettings": Rule(SETTINGS_WRITE, (company("settings.company_id"),)),
    _ASSIGNMENT + "UpdateUserAvailability": Rule(USERS_MANAGE, (user("user_id"),)),
    _ASSIGNMENT + "NotifyAssignee": _MESH,
    _ASSIGNMENT + "PrepareCounsellorNotification": _MESH,
    _ASSIGNMENT + "ReassignLead": _MESH,
    # Outreach
    _OUTREACH + "GetCompanySettings": Rule(SETTINGS_READ, (company(),)),
    _OUTREACH + "UpdateCompanySettings": Rule(SETTINGS_WRITE, (company("settings.company_id"),)),
    _OUTREACH + "UpsertTemplate": Rule(
        SETTINGS_WRITE, (template("template.id"), company("template.company_id"))
    ),
    _OUTREACH + "ListTemplates": Rule(SETTINGS_READ, (company(),)),
    _OUTREACH + "DeleteTemplate": Rule(SETTINGS_WRITE, (template("template_id"),)),
    _OUTREACH + "UpsertSequence": Rule(
        SETTINGS_WRITE, (sequence("sequence.id"), company("sequence.company_id"))
    ),
    _OUTREACH + "GetSequence": Rule(SETTINGS_READ, (sequence("sequence_id"),)),
    _OUTREACH + "ListSequences": Rule(SETTINGS_READ, (company(),)),
    _OUTREACH + "DeleteSequence": Rule(SETTINGS_WRITE, (sequence("sequence_id"),)),
    _OUTREACH + "EnrolLead": Rule(LEADS_WRITE, (lead("lead_id"), sequence("sequence_id"))),
    _OUTREACH + "ListEnrolments": Rule(LEADS_READ, (lead("lead_id"), sequence("sequence_id"))),
    _OUTREACH + "StopEnrolment": Rule(LEADS_WRITE, (enrolment("enrolment_id"),)),
    _OUTREACH + "PrepareOutreach": _MESH,
    _OUTREACH + "PrepareWebhookDelivery": _MESH,
    # A company's webhooks carry its signing secret: managing them is an admin's.
    _OUTREACH + "UpsertWebhookSubscription": Rule(
        SETTINGS_WRITE, (subscription("subscription.id"), company("subscription.company_id"))
    ),
    _OUTREACH + "ListWebhookSubscriptions": Rule(SETTINGS_WRITE, (company(),)),
    _OUTREACH + "DeleteWebhookSubscription": Rule(SETTINGS_WRITE, (subscription("subscription_id"),)),
    _OUTREACH + "RotateWebhookSecret": Rule(SETTINGS_WRITE, (company(),)),
    # The clock: reading the time tells nobody anything; moving it is the operator's.
    _CLOCK + "GetClock": Rule(PUBLIC),
    _CLOCK + "SetClock": Rule(PLATFORM),
    # Users: signing in needs no credential; managing people and keys is an admin's or owner's.
    _USERS + "Login": Rule(PUBLIC),
    _USERS + "RequestPasswordReset": Rule(PUBLIC),
    _USERS + "ConfirmPasswordReset": Rule(PUBLIC),
    _USERS + "AcceptInvitation": Rule(PUBLIC),
    _USERS + "Logout": Rule(SIGNED_IN),
    _USERS + "WhoAmI": Rule(SIGNED_IN),
    # Anyone signed in may ask; the answer (this policy, for the permission and company asked
    # about) is the servicer's.
    _USERS + "CheckAccess": Rule(SIGNED_IN),
    _USERS + "InviteUser": Rule(USERS_MANAGE, (company(),)),
    _USERS + "ListUsers": Rule(USERS_MANAGE, (company(),)),
    _USERS + "UpdateUser": Rule(USERS_MANAGE, (user("user_id"),)),
    _USERS + "CreateApiKey": Rule(API_KEYS_MANAGE, (company(),)),
    _USERS + "ListApiKeys": Rule(API_KEYS_MANAGE, (company(),)),
    _USERS + "RevokeApiKey": Rule(API_KEYS_MANAGE, (api_key("api_key_id"),)),
}


def _field(request: object, path: str) -> str:
    value = request
    for part in path.split("."):
        value = getattr(value, part)
    return value


class _Missing:
    """A well-formed id that names nothing."""


MISSING = _Missing()


def _company_of(
    session: Session, target: Target, value: str, default_company_id: uuid.UUID
) -> uuid.UUID | _Missing | None:
    if not value:
        return default_company_id if target.empty_is_default else None
    try:
        key = uuid.UUID(value)
    except ValueError:
        return None  # the servicer refuses it as INVALID_ARGUMENT
    if target.model is None:
        return key
    found = session.execute(
        select(target.model.company_id).where(target.model.id == key)
    ).scalar_one_or_none()
    return MISSING if found is None else found


def authorise(
    session: Session, principal: Principal, rule: Rule, request: object, default_company_id: uuid.UUID
) -> None:
    """Raises PermissionDenied unless `principal` may make this call."""
    if not principal.may(rule.permission):
        who = f"{principal.kind} ({principal.role})" if principal.role else principal.kind
        raise PermissionDenied(f"{who} lacks {rule.permission}")
    if principal.unbound:
        return
    found = missing = False
    for target in rule.targets:
        if target.fallback and found:
            continue
        value = _field(request, target.path)
        if not value and target.empty_is_every:
            raise PermissionDenied("no company named means every company: the platform operator's")
        company_id = _company_of(session, target, value, default_company_id)
        if company_id is MISSING:
            missing = True
            continue
        if company_id is None:
            continue
        found = True
        if company_id != principal.company_id:
            raise PermissionDenied("that belongs to another company")
    if missing and not found:
        # Nothing of the caller's company is named: refused, not served (a list filtered by an id
        # that names nothing would answer, empty) and not NOT_FOUND (no probing for ids).
        raise PermissionDenied("nothing of your company is named by this request")
