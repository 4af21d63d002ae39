"""The tracing component: every service exports its spans to the collector, and nothing else changes."""

from __future__ import annotations

import os

import deploy_invariants as inv
import deploy_model as model
import pytest

ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT"


@pytest.fixture(scope="module")
def traced(tmp_path_factory) -> list[dict]:
    """The prod overlay with the tracing component, as an operator would add it."""
    overlay = tmp_path_factory.mktemp("prod-traced")
    # kustomize takes no absolute paths to other kustomizations.
    prod = os.path.relpath(model.K8S / "overlays" / "prod", overlay)
    tracing = os.path.relpath(model.K8S / "components" / "tracing", overlay)
    (overlay / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\n"
        "kind: Kustomization\n"
        f"resources: [{prod}]\n"
        f"components: [{tracing}]\n"
    )
    return model.render(overlay)


def exporting(objects: list[dict]) -> dict[str, bool]:
    """Each serving process's workload, and whether it is told where to send spans (the migrations'
    Job serves nothing and traces nothing)."""
    found = {}
    for obj in model.workloads(objects):
        if obj["kind"] not in ("Deployment", "StatefulSet"):
            continue
        for container in model.iter_containers(obj):
            if inv._container_process(container):
                env = model.container_env(container, objects, inv.SAMPLE_SECRETS)
                found[model.ident(obj)] = bool(env.get(ENDPOINT))
    return found


def test_with_the_tracing_component_every_service_process_exports_its_spans(traced):
    found = exporting(traced)

    assert found
    assert [name for name, on in found.items() if not on] == []


def test_without_it_no_overlay_traces(rendered):
    for objects in rendered.values():
        assert not any(exporting(objects).values())


def test_the_traced_overlay_validates_and_its_variables_are_read(traced):
    assert [f"{model.ident(o)}: {p}" for o in traced for p in model.schema_problems(o)] == []
    assert inv.env_problems(traced) == []


def test_the_traced_overlay_allows_no_other_connection_than_prod(traced):
    assert inv.network_problems(traced, datastores_in_cluster=False, mail_sink=False, metrics=True) == []


def test_every_service_may_reach_the_collector_on_the_otlp_port(traced):
    [policy] = [o for o in traced if o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == "otlp-export"]
    [selector] = policy["spec"]["podSelector"]["matchExpressions"]
    [rule] = policy["spec"]["egress"]

    assert set(selector["values"]) == {"gateway", "console", "crm", "conductor", "ai", "channels"}
    assert rule["ports"] == [{"protocol": "TCP", "port": 4318}]
