"""The deploy checks can fail: each broken copy of a real manifest or compose file is caught.

Given the real files, when one thing an operator could get wrong is broken, then the
check that guards it reports exactly that thing.
"""

from __future__ import annotations

from collections.abc import Callable

import deploy_invariants as inv
import deploy_model as model
import pytest
from pydantic_settings import BaseSettings, SettingsConfigDict


def _container(objects: list[dict], kind: str, name: str) -> dict:
    return model.pod_template(model.find(objects, kind, name))["spec"]["containers"][0]


def _env(container: dict, name: str) -> dict:
    return next(item for item in container["env"] if item["name"] == name)


def _dev_checks(objects: list[dict]) -> list[str]:
    return [
        *inv.workload_problems(objects),
        *inv.grpc_probe_problems(objects),
        *inv.port_problems(objects),
        *inv.env_problems(objects),
        *inv.image_problems(objects),
        *inv.scaling_problems(objects),
        *inv.secret_problems(objects),
        *inv.topology_problems(objects),
        *inv.network_problems(objects, datastores_in_cluster=True, mail_sink=True),
    ]


def drop_crm_readiness_probe(objects):
    del _container(objects, "Deployment", "crm")["readinessProbe"]


def drop_gateway_memory_limit(objects):
    del _container(objects, "Deployment", "gateway")["resources"]["limits"]["memory"]


def run_ai_as_root(objects):
    spec = model.pod_template(model.find(objects, "Deployment", "ai"))["spec"]
    spec["securityContext"]["runAsNonRoot"] = False
    spec["securityContext"]["runAsUser"] = 0


def writable_root_filesystem_for_a_worker(objects):
    _container(objects, "Deployment", "conductor-worker-p1")["securityContext"]["readOnlyRootFilesystem"] = (
        False
    )


def enable_service_links_on_crm(objects):
    del model.pod_template(model.find(objects, "Deployment", "crm"))["spec"]["enableServiceLinks"]


def probe_conductor_on_the_wrong_port(objects):
    _container(objects, "Deployment", "conductor")["livenessProbe"]["grpc"]["port"] = 50051


def serve_crm_on_another_service_port(objects):
    model.find(objects, "Service", "crm")["spec"]["ports"][0]["port"] = 50052


def misspell_a_variable(objects):
    _env(_container(objects, "Deployment", "ai"), "OPENAI_MODEL")["name"] = "OPENAI_MODLE"


def point_the_gateway_at_the_wrong_crm_port(objects):
    _env(_container(objects, "Deployment", "gateway"), "CRM_ADDR")["value"] = "crm:50052"


def override_the_default_port(objects):
    _container(objects, "Deployment", "ai")["env"].append({"name": "AI_PORT", "value": "50053"})


def use_an_image_no_dockerfile_builds(objects):
    _container(objects, "Deployment", "ai")["image"] = "shvya/oracle:local"


def drop_the_gateway_autoscaler(objects):
    objects.remove(model.find(objects, "HorizontalPodAutoscaler", "gateway"))


def drop_a_disruption_budget(objects):
    objects.remove(model.find(objects, "PodDisruptionBudget", "conductor-worker-p2"))


def embed_a_secret(objects):
    objects.append(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "oops"},
            "stringData": {"admin-token": "x"},
        }
    )


def write_the_database_url_into_the_manifest(objects):
    item = _env(_container(objects, "Deployment", "crm"), "DATABASE_URL")
    item.pop("valueFrom")
    item["value"] = "postgresql://shvya:hunter2@postgres:5432/shvya"


def drop_a_lane(objects):
    objects.remove(model.find(objects, "Deployment", "conductor-worker-p2"))


def open_postgresql_to_every_pod(objects):
    del model.find(objects, "NetworkPolicy", "postgres")["spec"]["ingress"][0]["from"]


def let_the_gateway_call_ai(objects):
    model.find(objects, "NetworkPolicy", "ai")["spec"]["ingress"][0]["from"][0]["podSelector"] = {
        "matchExpressions": [
            {"key": "app.kubernetes.io/name", "operator": "In", "values": ["conductor", "gateway"]}
        ]
    }
    model.find(objects, "NetworkPolicy", "gateway")["spec"]["egress"].append({})


MANIFEST_MUTATIONS: dict[Callable, str] = {
    drop_crm_readiness_probe: "Deployment/crm container crm: no readinessProbe",
    drop_gateway_memory_limit: "Deployment/gateway container gateway: no memory limit",
    run_ai_as_root: "Deployment/ai container ai: runAsNonRoot is not true",
    writable_root_filesystem_for_a_worker: "conductor-worker-p1 container worker: readOnlyRootFilesystem",
    enable_service_links_on_crm: "Deployment/crm: enableServiceLinks is not false",
    probe_conductor_on_the_wrong_port: "livenessProbe is not a native gRPC probe on port 50052",
    serve_crm_on_another_service_port: "Service/crm: port 50052",
    misspell_a_variable: "sets OPENAI_MODLE, which shvya_ai does not read",
    point_the_gateway_at_the_wrong_crm_port: "CRM_ADDR=crm:50052 does not reach crm",
    override_the_default_port: "overrides the default port with AI_PORT",
    use_an_image_no_dockerfile_builds: "no services/*/Dockerfile builds the image shvya/oracle",
    drop_the_gateway_autoscaler: "Deployment/gateway: no HorizontalPodAutoscaler",
    drop_a_disruption_budget: "Deployment/conductor-worker-p2: no PodDisruptionBudget",
    embed_a_secret: "Secret/oops: a Secret is embedded",
    write_the_database_url_into_the_manifest: "DATABASE_URL is not read from a Secret",
    drop_a_lane: "lane p2: no Deployment conductor-worker-p2",
    open_postgresql_to_every_pod: "allowed but must not be: outside -> postgres:5432",
    let_the_gateway_call_ai: "allowed but must not be: gateway -> ai:50053",
}


def test_the_real_dev_manifests_pass_every_check(rendered):
    assert _dev_checks(model.deep(rendered["dev"])) == []


@pytest.mark.parametrize("mutation", MANIFEST_MUTATIONS, ids=lambda m: m.__name__)
def test_a_broken_manifest_is_caught(rendered, mutation):
    objects = model.deep(rendered["dev"])

    mutation(objects)
    problems = _dev_checks(objects)

    assert any(MANIFEST_MUTATIONS[mutation] in p for p in problems), problems


def test_a_manifest_field_kubernetes_does_not_know_is_caught_by_the_schema(rendered):
    deployment = model.deep(model.find(rendered["dev"], "Deployment", "crm"))
    model.pod_template(deployment)["spec"]["containers"][0]["readinessProbe"]["grpcc"] = {"port": 50051}

    assert any("grpcc" in p for p in model.schema_problems(deployment))


class _NeedsAWebhookSecret(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AI_", extra="ignore")

    port: int = 50053
    webhook_secret: str


def test_a_variable_the_code_requires_but_no_manifest_sets_is_caught(rendered, monkeypatch):
    monkeypatch.setattr(model, "settings_class", lambda module: _NeedsAWebhookSecret)
    monkeypatch.setattr(inv, "settings_class", lambda module: _NeedsAWebhookSecret)
    ai = model.find(rendered["dev"], "Deployment", "ai")
    container = model.pod_template(ai)["spec"]["containers"][0]
    env = {"AI_PORT": "50053"}

    problems = inv.process_env_problems("ai", model.parse_process(model.argv(container)), env)

    assert any("AI_WEBHOOK_SECRET has no default and is not set" in p for p in problems), problems


def _compose_checks(doc: dict, example: model.EnvExample) -> list[str]:
    return inv.compose_problems(doc, example)


def crm_starts_before_migrations(doc):
    del doc["services"]["crm"]["depends_on"]["crm-migrate"]


def health_check_on_the_wrong_port(doc):
    doc["services"]["channels-whatsapp-cloud"]["healthcheck"]["test"] = [
        "CMD",
        "shvya-healthcheck",
        "grpc",
        "50054",
    ]


def misspell_a_compose_variable(doc):
    doc["services"]["crm"]["environment"] = {**doc["services"]["crm"]["environment"], "DATABSE_URL": "x"}


def write_a_token_into_compose(doc):
    doc["services"]["gateway"]["environment"]["ADMIN_TOKEN"] = "0123456789abcdef0123"


def drop_the_postgres_health_check(doc):
    del doc["services"]["postgres"]["healthcheck"]


def drop_a_compose_lane(doc):
    del doc["services"]["conductor-worker-p1"]


def gateway_on_loopback(doc):
    doc["services"]["gateway"]["environment"]["GATEWAY_HOST"] = "127.0.0.1"


def build_whatsapp_web_without_chromium(doc):
    doc["services"]["channels-whatsapp-web"]["build"] = {**doc["services"]["channels-whatsapp-web"]["build"]}
    doc["services"]["channels-whatsapp-web"]["build"]["target"] = "channels"


COMPOSE_MUTATIONS: dict[Callable, str] = {
    crm_starts_before_migrations: "crm: does not wait for the migrations to complete",
    health_check_on_the_wrong_port: "does not probe port 50055",
    misspell_a_compose_variable: "crm: sets DATABSE_URL, which shvya_crm does not read",
    write_a_token_into_compose: "gateway: ADMIN_TOKEN is written into docker-compose.yml",
    drop_the_postgres_health_check: "postgres: no health check",
    drop_a_compose_lane: "no worker for lane p1",
    gateway_on_loopback: "gateway: listens on 127.0.0.1",
    build_whatsapp_web_without_chromium: "builds shvya/channels-whatsapp-web without --target whatsapp-web",
}


def test_the_real_compose_file_passes_every_check(compose, env_example):
    assert _compose_checks(compose, env_example) == []


@pytest.mark.parametrize("mutation", COMPOSE_MUTATIONS, ids=lambda m: m.__name__)
def test_a_broken_compose_file_is_caught(compose, env_example, mutation):
    doc = model.deep(compose)

    mutation(doc)
    problems = _compose_checks(doc, env_example)

    assert any(COMPOSE_MUTATIONS[mutation] in p for p in problems), problems


def test_a_variable_compose_reads_but_env_example_does_not_document_is_caught(env_example):
    text = model.COMPOSE_FILE.read_text() + "\nx-extra:\n  value: ${SHVYA_UNDOCUMENTED:-1}\n"

    problems = inv.compose_variable_problems(text, env_example)

    assert any("${SHVYA_UNDOCUMENTED}" in p for p in problems), problems
