"""The UsersService: the people of a company, their sign-in, and the company's API keys."""

from __future__ import annotations

import uuid
from datetime import timedelta

from shvya.crm.v1 import users_service_pb2 as users_pb
from shvya.crm.v1 import users_service_pb2_grpc
from shvya_crm.api import convert
from shvya_crm.api.rpc import parse_uuid, rpc
from shvya_crm.ledger import jobs
from shvya_crm.people import api_keys, mail, policy, principals, roles, users
from shvya_crm.settings import CrmSettings
from shvya_crm.storage.db import Database
from shvya_crm.storage.models import ApiKey, Company, User
from shvya_rpc import tasks
from shvya_rpc.errors import FieldErrors


def user_pb(row: User) -> users_pb.User:
    message = users_pb.User(
        id=str(row.id),
        company_id=str(row.company_id),
        email=row.email,
        name=row.name,
        role=row.role,
        active=row.is_active,
        has_password=row.password_hash is not None,
    )
    if row.created_at:
        message.created_at.CopyFrom(convert.ts(row.created_at))
    if row.last_login_at:
        message.last_login_at.CopyFrom(convert.ts(row.last_login_at))
    return message


def api_key_pb(row: ApiKey) -> users_pb.ApiKey:
    message = users_pb.ApiKey(
        id=str(row.id),
        company_id=str(row.company_id),
        name=row.name,
        prefix=row.prefix,
        scopes=list(row.scopes),
        created_by=row.created_by,
    )
    for field, value in (
        ("created_at", row.created_at),
        ("last_used_at", row.last_used_at),
        ("revoked_at", row.revoked_at),
    ):
        if value is not None:
            getattr(message, field).CopyFrom(convert.ts(value))
    return message


class UsersServicer(users_service_pb2_grpc.UsersServiceServicer):
    def __init__(self, settings: CrmSettings, db: Database) -> None:
        self._settings = settings
        self._db = db
        self._lifetimes = users.Lifetimes(
            session=timedelta(seconds=settings.session_ttl_seconds),
            invitation=timedelta(seconds=settings.invitation_ttl_seconds),
            reset=timedelta(seconds=settings.password_reset_ttl_seconds),
        )

    def _email(self, session, kind: str, company_id: uuid.UUID, payload: dict[str, str]) -> None:
        """The email goes out as a job written in this transaction: no token without its email."""
        jobs.schedule(
            session,
            task_name=tasks.STAFF_EMAIL,
            idempotency_key=f"staff_email_{kind}_{uuid.uuid4()}",
            company_id=company_id,
            lead_id=None,
            payload=payload,
            run_at=session.info["now"],
        )

    @rpc
    def Login(self, request: users_pb.LoginRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.transaction() as session:
            issued = users.login(session, company_id, request.email, request.password, self._lifetimes)
            response = users_pb.LoginResponse(session_token=issued.secret, user=user_pb(issued.user))
        response.expires_at.CopyFrom(convert.ts(issued.expires_at))
        return response

    @rpc
    def Logout(self, request, context):
        with self._db.transaction() as session:
            users.logout(session, principals.current())
        return users_pb.LogoutResponse()

    @rpc
    def WhoAmI(self, request, context):
        principal = principals.current()
        response = users_pb.WhoAmIResponse(
            kind=principal.kind,
            actor=principal.actor,
            company_id=str(principal.company_id) if principal.company_id else "",
            permissions=sorted(principal.permissions),
        )
        with self._db.read() as session:
            if principal.user_id is not None:
                response.user.CopyFrom(user_pb(session.get(User, principal.user_id)))
            if principal.api_key_id is not None:
                response.api_key.CopyFrom(api_key_pb(session.get(ApiKey, principal.api_key_id)))
        return response

    @rpc
    def CheckAccess(self, request: users_pb.CheckAccessRequest, context):
        problems = {}
        if request.permission not in roles.COMPANY_PERMISSIONS:
            problems["permission"] = f"must be one of {', '.join(sorted(roles.COMPANY_PERMISSIONS))}"
        if not request.company_id:
            problems["company_id"] = "is required"
        if problems:
            raise FieldErrors(problems)
        parse_uuid(request.company_id, "company_id")
        principal = principals.current()
        response = users_pb.CheckAccessResponse(allowed=True, role=principal.role or "", kind=principal.kind)
        rule = policy.Rule(request.permission, (policy.named_company(),))
        with self._db.read() as session:
            try:
                policy.authorise(session, principal, rule, request, self._settings.default_company_id)
            except principals.PermissionDenied as exc:
                response.allowed, response.reason = False, str(exc)
        return response

    @rpc
    def RequestPasswordReset(self, request, context):
        company_id = parse_uuid(request.company_id, "company_id")
        if not request.email.strip():
            raise FieldErrors({"email": "is required"})
        with self._db.transaction() as session:
            issued = users.request_reset(session, company_id, request.email, self._lifetimes)
            if issued is not None:
                self._email(
                    session, "reset", company_id, mail.password_reset(issued, self._settings.console_url)
                )
        return users_pb.RequestPasswordResetResponse()

    @rpc
    def ConfirmPasswordReset(self, request, context):
        with self._db.transaction() as session:
            users.confirm_reset(session, request.token, request.password)
        return users_pb.ConfirmPasswordResetResponse()

    @rpc
    def InviteUser(self, request: users_pb.InviteUserRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.transaction() as session:
            issued = users.invite(
                session,
                principals.current(),
                company_id,
                request.email,
                request.role,
                request.name,
                self._lifetimes,
            )
            company = session.get(Company, company_id)
            self._email(
                session,
                "invitation",
                company_id,
                mail.invitation(issued, company.name, self._settings.console_url),
            )
            response = users_pb.InviteUserResponse(user=user_pb(issued.user), invitation_token=issued.secret)
        response.expires_at.CopyFrom(convert.ts(issued.expires_at))
        return response

    @rpc
    def AcceptInvitation(self, request, context):
        with self._db.transaction() as session:
            user = users.accept_invitation(session, request.token, request.name, request.password)
            return users_pb.AcceptInvitationResponse(user=user_pb(user))

    @rpc
    def ListUsers(self, request, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.read() as session:
            return users_pb.ListUsersResponse(
                users=[user_pb(u) for u in users.list_users(session, company_id)]
            )

    @rpc
    def UpdateUser(self, request: users_pb.UpdateUserRequest, context):
        user_id = parse_uuid(request.user_id, "user_id")
        with self._db.transaction() as session:
            user = users.update_user(
                session,
                principals.current(),
                user_id,
                role=request.role if request.HasField("role") else None,
                name=request.name if request.HasField("name") else None,
                active=request.active if request.HasField("active") else None,
            )
            return users_pb.UpdateUserResponse(user=user_pb(user))

    @rpc
    def CreateApiKey(self, request: users_pb.CreateApiKeyRequest, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.transaction() as session:
            key, secret = api_keys.create(
                session, principals.current(), company_id, request.name, list(request.scopes)
            )
            return users_pb.CreateApiKeyResponse(api_key=api_key_pb(key), key=secret)

    @rpc
    def ListApiKeys(self, request, context):
        company_id = parse_uuid(request.company_id, "company_id")
        with self._db.read() as session:
            return users_pb.ListApiKeysResponse(
                api_keys=[api_key_pb(k) for k in api_keys.list_for(session, company_id)]
            )

    @rpc
    def RevokeApiKey(self, request, context):
        key_id = parse_uuid(request.api_key_id, "api_key_id")
        with self._db.transaction() as session:
            return users_pb.RevokeApiKeyResponse(api_key=api_key_pb(api_keys.revoke(session, key_id)))
