"""Every crm RPC (from the descriptors) by every kind of caller: no other company, nothing above the role."""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from dataclasses import dataclass

import grpc
import pytest
from google.protobuf import message_factory

import shvya.crm.v1
from shvya_crm.people import policy, roles
from shvya_crm.people.principals import Principal
from shvya_rpc.crm_client import CrmClient
from shvya_testkit.postgres import query, truncate_all

# The request fields that name something of a company, wherever they appear (top level or in a
# nested message such as `template.id`), and which of the world's entities they take.
ID_FIELDS = {
    "company_id": "company",
    "lead_id": "lead",
    "message_id": "message",
    "document_id": "document",
    "question_id": "question",
    "template_id": "template",
    "sequence_id": "sequence",
    "enrolment_id": "enrolment",
    "subscription_id": "subscription",
    "user_id": "user",
    "api_key_id": "api_key",
}
# A nested message's own `id` field: what it is the id of.
NESTED_IDS = {"template": "template", "sequence": "sequence", "subscription": "subscription"}


@dataclass(frozen=True)
class Method:
    path: str  # /package.Service/Rpc
    input: type

    @property
    def name(self) -> str:
        return self.path.strip("/").replace("shvya.crm.v1.", "")


def crm_methods() -> list[Method]:
    found = []
    for info in pkgutil.iter_modules(shvya.crm.v1.__path__):
        if not info.name.endswith("_service_pb2"):
            continue
        module = importlib.import_module(f"shvya.crm.v1.{info.name}")
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                found.append(
                    Method(
                        f"/{service.full_name}/{method.name}",
                        message_factory.GetMessageClass(method.input_type),
                    )
                )
    # What removes part of the shared world (a sequence and its enrolments) runs after the rest.
    return sorted(found, key=lambda m: (m.path.rsplit("/", 1)[1].startswith(("Delete", "Revoke")), m.path))


METHODS = crm_methods()
LOGOUT = "/shvya.crm.v1.UsersService/Logout"

# Callers, in the order they call: those who must be refused go first, so that a permitted delete
# cannot hide a refusal behind NOT_FOUND.
CALLERS = (
    "invalid_credential",
    "other_company_owner",
    "other_company_api_key",
    "api_key_intake_only",
    "counsellor",
    "admin",
    "api_key_all_scopes",
    "owner",
    "platform",
    "no_credential",
)


def _fill(request, company: dict[str, str]) -> None:
    for field in request.DESCRIPTOR.fields:
        if field.name in ID_FIELDS and field.type == field.TYPE_STRING and not field.is_repeated:
            setattr(request, field.name, company[ID_FIELDS[field.name]])
        elif field.message_type is not None and not field.is_repeated:
            if field.message_type.full_name.startswith("google.protobuf."):
                continue
            nested = getattr(request, field.name)
            _fill(nested, company)
            if field.name in NESTED_IDS and "id" in nested.DESCRIPTOR.fields_by_name:
                nested.id = company[NESTED_IDS[field.name]]
            nested.SetInParent()


# What a permitted delete removes, copied so that it can be put back for the next caller.
RESTORED = ("ai_kb_docs", "templates", "sequences", "webhook_subscriptions", "sequence_enrolments")


@pytest.fixture(scope="module")
def world(migrated_database_url, crm_server, crm_channel, people):
    """Companies A and B with one of everything; every caller's credential, aimed at A."""
    truncate_all(migrated_database_url)

    def sql(statement, params=()):
        return query(migrated_database_url, statement + ";COMMIT", params)

    stub = CrmClient.over(crm_channel)
    a = people.build_company(sql, migrated_database_url, stub.users, "a")
    b = people.build_company(sql, migrated_database_url, stub.users, "b")
    credentials = {
        "invalid_credential": "shvs_no-such-session",
        "other_company_owner": b.credentials["owner"],
        "other_company_api_key": b.credentials["api_key_all_scopes"],
        "api_key_intake_only": a.credentials["api_key_intake_only"],
        "counsellor": a.credentials["counsellor"],
        "admin": a.credentials["admin"],
        "api_key_all_scopes": a.credentials["api_key_all_scopes"],
        "owner": a.credentials["owner"],
        "platform": people.PLATFORM_TOKEN,
        "no_credential": None,
    }
    principals = {
        "other_company_owner": _bound(b.id, roles.ROLE_PERMISSIONS[roles.OWNER]),
        "other_company_api_key": _bound(b.id, frozenset(roles.API_KEY_SCOPES)),
        "api_key_intake_only": _bound(a.id, frozenset({roles.INTAKE})),
        "counsellor": _bound(a.id, roles.ROLE_PERMISSIONS[roles.COUNSELLOR]),
        "admin": _bound(a.id, roles.ROLE_PERMISSIONS[roles.ADMIN]),
        "api_key_all_scopes": _bound(a.id, frozenset(roles.API_KEY_SCOPES)),
        "owner": _bound(a.id, roles.ROLE_PERMISSIONS[roles.OWNER]),
    }

    def signed_in_again() -> dict[str, str]:
        """New sessions for A's people (and B's owner), for a call that ends the session it uses."""
        fresh = dict(credentials)
        for role in (roles.OWNER, roles.ADMIN, roles.COUNSELLOR):
            fresh[role] = people.login(stub.users, a.id, f"{role}@a.example")
        fresh["other_company_owner"] = people.login(stub.users, b.id, "owner@b.example")
        return fresh

    def restore() -> None:
        """Puts back what a permitted delete removed, with the same ids, for the next caller."""
        sql(
            "INSERT INTO ai_kb_docs (id, company_id, title, content) "
            "SELECT id, company_id, title, content FROM restore_ai_kb_docs ON CONFLICT DO NOTHING"
        )
        for table in ("templates", "sequences", "webhook_subscriptions", "sequence_enrolments"):
            sql(f"INSERT INTO {table} SELECT * FROM restore_{table} ON CONFLICT DO NOTHING")
        sql("UPDATE api_keys SET revoked_at = NULL WHERE id = %s", (a.ids["api_key"],))

    for table in RESTORED:
        sql(f"DROP TABLE IF EXISTS restore_{table}")
        sql(f"CREATE UNLOGGED TABLE restore_{table} AS SELECT * FROM {table}")

    yield {
        "restore": restore,
        "a": {"company": a.id, **a.ids},
        "credentials": credentials,
        "principals": principals,
        "signed_in_again": signed_in_again,
    }
    # The copies are not part of the schema: the next module compares the schema with the models.
    for table in RESTORED:
        sql(f"DROP TABLE IF EXISTS restore_{table}")


def _bound(company_id: str, permissions: frozenset[str]) -> Principal:
    return Principal(kind="user", actor="x", company_id=uuid.UUID(company_id), permissions=permissions)


def _call(channel, method: Method, request, credential: str | None) -> grpc.StatusCode:
    call = channel.unary_unary(
        method.path,
        request_serializer=method.input.SerializeToString,
        response_deserializer=lambda data: data,
    )
    metadata = [] if credential is None else [("x-shvya-credential", credential)]
    try:
        call(request, metadata=metadata, timeout=10)
    except grpc.RpcError as exc:
        return exc.code()
    return grpc.StatusCode.OK


# Refused because of who calls, not because of what was asked.
REFUSALS = (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED)
# The calls whose own answer is UNAUTHENTICATED to anybody with a wrong password or no session.
SIGN_IN = {"/shvya.crm.v1.UsersService/Login"}


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_every_rpc_has_an_authorisation_policy(method):
    assert method.path in policy.POLICY, f"add {method.path} to shvya_crm.people.policy.POLICY"


def test_the_policy_names_no_rpc_that_does_not_exist():
    assert set(policy.POLICY) <= {m.path for m in METHODS}


@pytest.mark.parametrize("path", sorted(policy.POLICY))
def test_every_policy_target_is_a_field_of_the_request(path):
    (method,) = [m for m in METHODS if m.path == path]
    for target in policy.POLICY[path].targets:
        descriptor = method.input.DESCRIPTOR
        for part in target.path.split("."):
            assert part in descriptor.fields_by_name, f"{path}: no field {target.path}"
            field = descriptor.fields_by_name[part]
            descriptor = field.message_type


@pytest.mark.parametrize("path", sorted(policy.POLICY))
def test_an_rpc_a_company_may_call_names_the_company_it_touches(path):
    rule = policy.POLICY[path]
    if rule.permission in roles.COMPANY_PERMISSIONS:
        assert rule.targets, f"{path} needs targets: the fields that lead to the company it touches"


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_rpc_is_refused_across_companies_and_above_the_role(method, world, crm_channel):
    rule = policy.POLICY.get(method.path)
    assert rule is not None, f"{method.path} has no policy"
    wrong = []
    credentials = world["signed_in_again"]() if method.path == LOGOUT else world["credentials"]
    for caller in CALLERS:
        request = method.input()
        _fill(request, world["a"])
        code = _call(crm_channel, method, request, credentials[caller])
        if method.path.rsplit("/", 1)[1].startswith(("Delete", "Revoke")):
            world["restore"]()
        if caller == "invalid_credential":
            expected_refused = True
        elif caller in ("platform", "no_credential"):
            expected_refused = False
        else:
            expected_refused = not world["principals"][caller].may(rule.permission)
            if caller.startswith("other_company") and rule.permission not in (roles.PUBLIC, roles.SIGNED_IN):
                expected_refused = True  # never another company's data, whatever the role
        refused = code in REFUSALS and not (
            code == grpc.StatusCode.UNAUTHENTICATED and method.path in SIGN_IN
        )
        if caller == "invalid_credential":
            refused = code == grpc.StatusCode.UNAUTHENTICATED
        if refused != expected_refused:
            wrong.append(f"{caller}: {code.name}, expected {'refused' if expected_refused else 'served'}")
    assert not wrong, f"{method.name}: " + "; ".join(wrong)


MANAGEMENT = ("UsersService/InviteUser", "UsersService/ListUsers", "UsersService/UpdateUser", "ApiKey")
SETTINGS_CHANGES = ("Upsert", "Delete", "Update", "Rotate")


def _manages_people_keys_or_settings(method: Method) -> bool:
    """Read from the RPC's name, independently of the policy table."""
    service, rpc = method.name.split("/")
    if any(word in method.name for word in MANAGEMENT):
        return True
    return rpc.startswith(SETTINGS_CHANGES) and service != "LeadsService" and "Lead" not in rpc


@pytest.mark.parametrize(
    "method", [m for m in METHODS if _manages_people_keys_or_settings(m)], ids=lambda m: m.name
)
def test_a_counsellor_manages_no_people_keys_or_settings(method, world, crm_channel):
    request = method.input()
    _fill(request, world["a"])
    assert (
        _call(crm_channel, method, request, world["credentials"]["counsellor"])
        == grpc.StatusCode.PERMISSION_DENIED
    )


# knowledge:write is a scope an integration may hold; nothing else here is.
@pytest.mark.parametrize(
    "method",
    [m for m in METHODS if _manages_people_keys_or_settings(m) and "Knowledge" not in m.name],
    ids=lambda m: m.name,
)
def test_an_api_key_manages_no_people_or_keys_and_changes_no_settings(method, world, crm_channel):
    request = method.input()
    _fill(request, world["a"])
    code = _call(crm_channel, method, request, world["credentials"]["api_key_all_scopes"])
    assert code == grpc.StatusCode.PERMISSION_DENIED
