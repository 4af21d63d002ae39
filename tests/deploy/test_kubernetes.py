"""deploy/k8s renders with kustomize, validates against Kubernetes' schemas and agrees with the code."""

from __future__ import annotations

import re

import deploy_invariants as inv
import deploy_model as model


def test_the_base_renders_on_its_own():
    objects = model.render(model.K8S / "base")

    assert {o["kind"] for o in objects} >= {"Deployment", "StatefulSet", "Service", "Job", "NetworkPolicy"}


def test_every_object_validates_against_the_kubernetes_schema(objects):
    problems = [f"{model.ident(o)}: {p}" for o in objects for p in model.schema_problems(o)]

    assert problems == []


def test_every_object_lands_in_the_overlay_namespace(objects):
    namespaced = [o for o in objects if o["kind"] != "Namespace"]

    assert {o["metadata"].get("namespace") for o in namespaced} == {"shvya"}
    assert model.find(objects, "Namespace", "shvya")


def test_every_workload_has_probes_resources_and_a_locked_down_security_context(objects):
    assert inv.workload_problems(objects) == []


def test_servers_are_probed_natively_grpc_and_the_gateway_over_http(objects):
    assert inv.grpc_probe_problems(objects) == []


def test_every_service_port_is_the_port_the_code_listens_on_by_default(objects):
    assert inv.port_problems(objects) == []


def test_every_variable_the_code_reads_is_set_or_has_a_default_and_every_address_reaches_its_service(objects):
    assert inv.env_problems(objects) == []


def test_every_image_is_built_by_a_dockerfile_here_or_is_a_pinned_third_party_one(objects):
    assert inv.image_problems(objects) == []


def test_stateless_parts_autoscale_and_every_workload_has_a_disruption_budget(objects):
    assert inv.scaling_problems(objects) == []


def test_secrets_are_referenced_never_embedded(objects):
    assert inv.secret_problems(objects) == []


def test_lanes_channel_kinds_whatsapp_web_volume_and_migrations_have_their_workloads(objects):
    assert inv.topology_problems(objects) == []


def test_dev_runs_postgresql_and_redis_in_the_cluster_and_prod_does_not(rendered):
    in_cluster = {
        overlay: {o["metadata"]["name"] for o in objs if o["kind"] == "StatefulSet"} & {"postgres", "redis"}
        for overlay, objs in rendered.items()
    }

    assert in_cluster == {"dev": {"postgres", "redis"}, "prod": set(), "prod-mtls": set()}


def test_every_secret_key_the_manifests_read_is_documented_in_the_deploy_guide(rendered):
    guide = (model.REPO / "docs" / "deploy.md").read_text()
    keys = {
        item["valueFrom"]["secretKeyRef"]["key"]
        for objs in rendered.values()
        for o in model.workloads(objs)
        for c in model.iter_containers(o)
        for item in c.get("env") or []
        if "secretKeyRef" in (item.get("valueFrom") or {})
    }

    assert keys
    assert sorted(k for k in keys if f"`{k}`" not in guide) == []


# The keys docs/deploy.md marks as required in production.
PROD_REQUIRED_SECRET_KEYS = (
    "database-url",
    "redis-url",
    "internal-token",
    "admin-token",
    "console-secret-key",
)


def test_the_secret_the_deploy_guide_creates_for_dev_is_all_dev_needs(rendered):
    guide = (model.REPO / "docs" / "deploy.md").read_text()
    keys = set(re.findall(r"--from-literal=([a-z-]+)=", guide))

    assert keys
    assert inv.env_problems(rendered["dev"], {k: model.SAMPLE_SECRETS[k] for k in keys}) == []


def test_prod_needs_no_more_than_the_required_secret_keys(rendered):
    secrets = {k: model.SAMPLE_SECRETS[k] for k in PROD_REQUIRED_SECRET_KEYS}

    assert inv.env_problems(rendered["prod"], secrets) == []


def test_prod_with_mutual_tls_needs_no_more_secret_keys_than_prod(rendered):
    secrets = {k: model.SAMPLE_SECRETS[k] for k in PROD_REQUIRED_SECRET_KEYS}

    assert inv.env_problems(rendered["prod-mtls"], secrets) == []


def test_prod_with_mutual_tls_gives_every_grpc_process_the_mesh_certificate(rendered):
    assert inv.grpc_tls_problems(rendered["prod-mtls"]) == []


def test_the_tls_check_notices_a_workload_left_in_plaintext(rendered):
    assert inv.grpc_tls_problems(rendered["prod"]) != []


def test_prod_refuses_to_run_without_the_tokens(rendered):
    secrets = {k: model.SAMPLE_SECRETS[k] for k in ("database-url", "redis-url")}

    problems = inv.env_problems(rendered["prod"], secrets)

    assert any("INTERNAL_TOKEN must be set" in p for p in problems), problems


def test_a_nightly_cronjob_dumps_the_crm_database_onto_a_volume_of_its_own(objects):
    backup = model.find(objects, "CronJob", "crm-backup")
    assert backup, "no CronJob crm-backup"
    job = backup["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    [container] = job["containers"]
    claims = {
        v["name"]: v["persistentVolumeClaim"]["claimName"]
        for v in job["volumes"]
        if "persistentVolumeClaim" in v
    }
    mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}

    assert backup["spec"]["concurrencyPolicy"] == "Forbid"
    assert "pg_dump --format=custom" in container["args"][0]
    assert model.find(objects, "PersistentVolumeClaim", claims[mounts["/backups"]])
    assert container["image"].split(":")[0] == "postgres"
