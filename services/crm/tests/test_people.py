"""Users, sign-in, password resets and API keys over the real UsersService, against PostgreSQL."""

from __future__ import annotations

import grpc
import pytest

from shvya.crm.v1 import jobs_service_pb2 as jobs_pb
from shvya.crm.v1 import leads_service_pb2 as leads_pb
from shvya.crm.v1 import users_service_pb2 as users_pb


@pytest.fixture
def acme(crm, people):
    return people.build_company(crm.sql, crm.database_url, crm.stub.users, "acme")


def _whoami(crm, credential):
    return crm.stub.users.WhoAmI(users_pb.WhoAmIRequest(), metadata=[("x-shvya-credential", credential)])


def test_an_owner_signs_in_with_email_and_password_and_is_known_by_the_session(people, crm, acme):
    me = _whoami(crm, acme.credentials["owner"])
    assert (me.kind, me.user.email, me.company_id, me.user.role) == (
        "user",
        "owner@acme.example",
        acme.id,
        "owner",
    )


def test_a_wrong_password_is_unauthenticated(people, crm, acme):
    assert people.code_of(
        lambda: people.login(crm.stub.users, acme.id, "owner@acme.example", "not the password")
    ) == (grpc.StatusCode.UNAUTHENTICATED)


def test_a_session_signed_out_no_longer_works(people, crm, acme):
    session = acme.credentials["counsellor"]
    crm.stub.users.Logout(users_pb.LogoutRequest(), metadata=people.as_(session))
    assert people.code_of(lambda: _whoami(crm, session)) == grpc.StatusCode.UNAUTHENTICATED


def test_an_expired_session_is_unauthenticated(people, crm, acme):
    crm.sql("UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE kind = 'session'")
    assert people.code_of(lambda: _whoami(crm, acme.credentials["owner"])) == grpc.StatusCode.UNAUTHENTICATED


def test_an_unknown_credential_is_unauthenticated(people, crm, acme):
    assert people.code_of(lambda: _whoami(crm, "shvs_not-a-real-session")) == grpc.StatusCode.UNAUTHENTICATED


def test_the_admin_token_is_the_platform_operator(people, crm):
    assert _whoami(crm, people.PLATFORM_TOKEN).kind == "platform"


def test_passwords_and_tokens_are_stored_only_as_hashes(people, crm, acme):
    hashes = [h for (h,) in crm.sql("SELECT password_hash FROM users")]
    assert hashes
    assert all(h.startswith("$argon2id$") for h in hashes)
    stored = {h for (h,) in crm.sql("SELECT token_hash FROM user_tokens UNION SELECT key_hash FROM api_keys")}
    assert not stored & set(acme.credentials.values())


def test_an_invited_user_accepts_with_a_name_and_password_and_signs_in(people, crm, acme):
    invited = crm.stub.users.InviteUser(
        users_pb.InviteUserRequest(company_id=acme.id, email="Neha@Acme.example", role="counsellor"),
        metadata=people.as_(acme.credentials["admin"]),
    )
    assert not invited.user.active
    crm.stub.users.AcceptInvitation(
        users_pb.AcceptInvitationRequest(
            token=invited.invitation_token, name="Neha", password=people.PASSWORD
        )
    )
    assert _whoami(crm, people.login(crm.stub.users, acme.id, "neha@acme.example")).user.name == "Neha"


def test_an_invitation_is_emailed_through_a_staff_email_job(people, crm, acme):
    crm.stub.users.InviteUser(
        users_pb.InviteUserRequest(company_id=acme.id, email="ravi@acme.example", role="admin"),
        metadata=people.as_(acme.credentials["owner"]),
    )
    assert crm.sql("SELECT payload->>'to' FROM jobs WHERE task_name = 'staff_email'") == [
        ("ravi@acme.example",)
    ]


def test_an_invitation_token_works_once(people, crm, acme):
    invited = crm.stub.users.InviteUser(
        users_pb.InviteUserRequest(company_id=acme.id, email="ravi@acme.example", role="counsellor"),
        metadata=people.as_(acme.credentials["owner"]),
    )
    accept = users_pb.AcceptInvitationRequest(
        token=invited.invitation_token, name="Ravi", password=people.PASSWORD
    )
    crm.stub.users.AcceptInvitation(accept)
    assert people.code_of(lambda: crm.stub.users.AcceptInvitation(accept)) == grpc.StatusCode.INVALID_ARGUMENT


def test_an_admin_cannot_invite_an_owner(people, crm, acme):
    invite = users_pb.InviteUserRequest(company_id=acme.id, email="boss@acme.example", role="owner")
    assert (
        people.code_of(
            lambda: crm.stub.users.InviteUser(invite, metadata=people.as_(acme.credentials["admin"]))
        )
        == grpc.StatusCode.PERMISSION_DENIED
    )


def test_an_admin_cannot_change_an_owner(people, crm, acme):
    update = users_pb.UpdateUserRequest(user_id=acme.user_ids["owner"], active=False)
    assert (
        people.code_of(
            lambda: crm.stub.users.UpdateUser(update, metadata=people.as_(acme.credentials["admin"]))
        )
        == grpc.StatusCode.PERMISSION_DENIED
    )


def test_a_deactivated_user_is_signed_out(people, crm, acme):
    crm.stub.users.UpdateUser(
        users_pb.UpdateUserRequest(user_id=acme.user_ids["counsellor"], active=False),
        metadata=people.as_(acme.credentials["owner"]),
    )
    assert (
        people.code_of(lambda: _whoami(crm, acme.credentials["counsellor"]))
        == grpc.StatusCode.UNAUTHENTICATED
    )


def test_a_password_reset_emails_a_token_that_sets_a_new_password_and_ends_sessions(people, crm, acme):
    crm.stub.users.RequestPasswordReset(
        users_pb.RequestPasswordResetRequest(company_id=acme.id, email="counsellor@acme.example")
    )
    (text,) = crm.sql("SELECT payload->>'text' FROM jobs WHERE task_name = 'staff_email'")[0]
    token = text.split("/auth/password-reset/confirm: ")[1].split(")")[0]
    crm.stub.users.ConfirmPasswordReset(
        users_pb.ConfirmPasswordResetRequest(token=token, password="a brand new password")
    )
    assert (
        people.code_of(lambda: _whoami(crm, acme.credentials["counsellor"]))
        == grpc.StatusCode.UNAUTHENTICATED
    )
    assert people.login(crm.stub.users, acme.id, "counsellor@acme.example", "a brand new password")


def test_a_password_reset_for_an_unknown_email_answers_the_same_and_writes_nothing(people, crm, acme):
    crm.stub.users.RequestPasswordReset(
        users_pb.RequestPasswordResetRequest(company_id=acme.id, email="nobody@acme.example")
    )
    assert crm.count("jobs", "task_name = 'staff_email'") == 0


def test_a_short_new_password_is_refused_and_changes_nothing(people, crm, acme):
    crm.stub.users.RequestPasswordReset(
        users_pb.RequestPasswordResetRequest(company_id=acme.id, email="owner@acme.example")
    )
    (text,) = crm.sql("SELECT payload->>'text' FROM jobs WHERE task_name = 'staff_email'")[0]
    token = text.split("/auth/password-reset/confirm: ")[1].split(")")[0]
    confirm = users_pb.ConfirmPasswordResetRequest(token=token, password="short")
    assert (
        people.code_of(lambda: crm.stub.users.ConfirmPasswordReset(confirm))
        == grpc.StatusCode.INVALID_ARGUMENT
    )
    assert people.login(crm.stub.users, acme.id, "owner@acme.example")


def test_an_api_key_is_shown_once_and_records_its_last_use(people, crm, acme):
    created = crm.stub.users.CreateApiKey(
        users_pb.CreateApiKeyRequest(company_id=acme.id, name="website", scopes=["leads:read"]),
        metadata=people.as_(acme.credentials["owner"]),
    )
    listed = crm.stub.users.ListApiKeys(
        users_pb.ListApiKeysRequest(company_id=acme.id), metadata=people.as_(acme.credentials["owner"])
    )
    assert created.key not in str(listed)
    assert _whoami(crm, created.key).api_key.HasField("last_used_at")


def test_a_revoked_api_key_is_unauthenticated(people, crm, acme):
    created = crm.stub.users.CreateApiKey(
        users_pb.CreateApiKeyRequest(company_id=acme.id, name="website", scopes=["leads:read"]),
        metadata=people.as_(acme.credentials["owner"]),
    )
    crm.stub.users.RevokeApiKey(
        users_pb.RevokeApiKeyRequest(api_key_id=created.api_key.id),
        metadata=people.as_(acme.credentials["owner"]),
    )
    assert people.code_of(lambda: _whoami(crm, created.key)) == grpc.StatusCode.UNAUTHENTICATED


def test_an_api_key_with_an_unknown_scope_is_refused(people, crm, acme):
    create = users_pb.CreateApiKeyRequest(company_id=acme.id, name="x", scopes=["users:manage"])
    assert (
        people.code_of(
            lambda: crm.stub.users.CreateApiKey(create, metadata=people.as_(acme.credentials["owner"]))
        )
        == grpc.StatusCode.INVALID_ARGUMENT
    )


def test_the_audit_event_records_the_acting_user(people, crm, acme):
    crm.stub.users.InviteUser(
        users_pb.InviteUserRequest(company_id=acme.id, email="ravi@acme.example", role="counsellor"),
        metadata=people.as_(acme.credentials["admin"]),
    )
    assert crm.sql("SELECT actor FROM events WHERE type = 'user.invited'") == [
        (f"user:{acme.user_ids['admin']}",)
    ]


def test_the_audit_event_of_a_mesh_call_records_the_system(people, crm):
    crm.ingest()
    assert {a for (a,) in crm.sql("SELECT actor FROM events")} == {"system"}


def test_an_api_key_with_the_intake_scope_acts_as_itself_on_events(people, crm, acme):
    crm.stub.leads.IngestInboundMessage(
        leads_pb.IngestInboundMessageRequest(
            company_id=acme.id, phone_number="9876500000", message_text="hi", channel=1, source="api"
        ),
        metadata=people.as_(acme.credentials["api_key_intake_only"]),
    )
    actors = {a for (a,) in crm.sql("SELECT actor FROM events WHERE type = 'lead.created'")}
    assert len(actors) == 1
    assert actors.pop().startswith("api_key:")


def test_a_sent_staff_email_leaves_no_token_in_the_ledger(people, crm, acme):
    crm.stub.users.RequestPasswordReset(
        users_pb.RequestPasswordResetRequest(company_id=acme.id, email="owner@acme.example")
    )
    (job_id,) = crm.sql("SELECT id FROM jobs WHERE task_name = 'staff_email'")[0]
    crm.stub.jobs.CompleteJob(jobs_pb.CompleteJobRequest(job_id=str(job_id)))
    assert crm.scalar("SELECT payload FROM jobs WHERE id = %s", (job_id,)) == {}
