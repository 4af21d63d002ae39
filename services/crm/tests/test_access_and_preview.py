"""CheckAccess (the crm's answer for what has no company authorisation of its own) and the context
of a reply tried out for no lead."""

from __future__ import annotations

import grpc
import pytest

from shvya.crm.v1 import conversations_service_pb2 as conversations_pb
from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya.type.v1 import channel_pb2


@pytest.fixture
def a(crm, people):
    return people.build_company(crm.sql, crm.database_url, crm.stub.users, "a")


@pytest.fixture
def b(crm, people):
    return people.build_company(crm.sql, crm.database_url, crm.stub.users, "b")


def _check(crm, people, credential, permission: str, company_id: str) -> users_pb.CheckAccessResponse:
    return crm.stub.users.CheckAccess(
        users_pb.CheckAccessRequest(permission=permission, company_id=company_id),
        metadata=people.as_(credential),
    )


# -- CheckAccess --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "admin"])
@pytest.mark.parametrize("permission", ["channels:manage", "operations"])
def test_an_owner_or_admin_may_manage_channels_and_operations(crm, people, a, role, permission):
    answer = _check(crm, people, a.credentials[role], permission, a.id)
    assert (answer.allowed, answer.role, answer.kind) == (True, role, "user")


@pytest.mark.parametrize("permission", ["channels:manage", "operations"])
def test_a_counsellor_may_not_manage_channels_or_operations(crm, people, a, permission):
    answer = _check(crm, people, a.credentials["counsellor"], permission, a.id)
    assert (answer.allowed, answer.role) == (False, "counsellor")
    assert permission in answer.reason


def test_a_counsellor_may_read_leads(crm, people, a):
    assert _check(crm, people, a.credentials["counsellor"], "leads:read", a.id).allowed


@pytest.mark.parametrize("permission", ["channels:manage", "operations"])
def test_an_api_key_never_manages_channels_or_operations(crm, people, a, permission):
    answer = _check(crm, people, a.credentials["api_key_all_scopes"], permission, a.id)
    assert (answer.allowed, answer.kind) == (False, "api_key")


def test_an_owner_is_not_allowed_in_another_company(crm, people, a, b):
    answer = _check(crm, people, a.credentials["owner"], "channels:manage", b.id)
    assert answer.allowed is False
    assert "another company" in answer.reason


def test_the_platform_operator_is_allowed_in_any_company(crm, people, a):
    answer = _check(crm, people, people.PLATFORM_TOKEN, "channels:manage", a.id)
    assert (answer.allowed, answer.kind) == (True, "platform")


def test_an_unknown_credential_is_unauthenticated(crm, people, a):
    code = people.code_of(lambda: _check(crm, people, "shvs_no-such-session", "channels:manage", a.id))
    assert code == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize(
    ("permission", "company"), [("mesh", "a"), ("platform", "a"), ("channels:manage", ""), ("", "a")]
)
def test_a_permission_that_is_no_company_s_or_no_company_is_invalid(crm, people, a, permission, company):
    company_id = a.id if company == "a" else company
    code = people.code_of(lambda: _check(crm, people, a.credentials["owner"], permission, company_id))
    assert code == grpc.StatusCode.INVALID_ARGUMENT


# -- GetPreviewContext --------------------------------------------------------------------------


def _preview(crm, people, credential, company_id: str, question: str = "What are the fees?", **more):
    return crm.stub.conversations.GetPreviewContext(
        conversations_pb.GetPreviewContextRequest(company_id=company_id, question=question, **more),
        metadata=people.as_(credential),
    ).context


def test_a_preview_context_is_a_first_turn_of_an_unsaved_lead(crm, people, a):
    context = _preview(crm, people, a.credentials["admin"], a.id, course="Data Science")

    assert (context.lead.id, context.lead.stage, context.lead.course) == ("", "new", "Data Science")
    assert [(m.id, m.text) for m in context.pending] == [("", "What are the fees?")]
    assert (list(context.history), context.replied_before) == ([], False)
    assert context.pending[0].channel == channel_pb2.CHANNEL_WHATSAPP_WEB
    assert context.company.id == a.id
    assert context.ai_model.system_prompt


def test_a_preview_context_carries_the_knowledge_matches_of_the_question(crm, people, a):
    # The company's one document is "Fees": "Rs 100".
    context = _preview(crm, people, a.credentials["counsellor"], a.id, question="fees please")
    assert [k.document.id for k in context.knowledge] == [a.ids["document"]]


def test_a_preview_context_stores_nothing(crm, people, a):
    before = crm.counts()
    _preview(crm, people, a.credentials["owner"], a.id)
    assert crm.counts() == before


def test_a_preview_context_of_another_company_is_refused(crm, people, a, b):
    code = people.code_of(lambda: _preview(crm, people, a.credentials["owner"], b.id))
    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_a_preview_context_needs_a_question(crm, people, a):
    code = people.code_of(lambda: _preview(crm, people, a.credentials["owner"], a.id, question="  "))
    assert code == grpc.StatusCode.INVALID_ARGUMENT
