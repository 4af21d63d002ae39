"""The NetworkPolicies allow exactly the connections of the design, and nothing else."""

from __future__ import annotations

import deploy_invariants as inv


def test_dev_allows_only_the_designed_connections(rendered):
    assert inv.network_problems(rendered["dev"], datastores_in_cluster=True, mail_sink=True) == []


def test_prod_allows_only_the_designed_connections(rendered):
    assert (
        inv.network_problems(rendered["prod"], datastores_in_cluster=False, mail_sink=False, metrics=True)
        == []
    )


def test_prod_with_mutual_tls_allows_only_the_designed_connections(rendered):
    assert (
        inv.network_problems(
            rendered["prod-mtls"], datastores_in_cluster=False, mail_sink=False, metrics=True
        )
        == []
    )


def test_only_the_gateway_is_reachable_from_outside_but_for_prometheus_on_the_metrics_port(rendered):
    for objects in rendered.values():
        edges = inv.Network(objects).edges()

        assert {d for s, d, p in edges if s == inv.OUTSIDE and p != inv.METRICS_PORT} == {
            "gateway",
            "console",
        }


def test_with_metrics_on_prometheus_may_scrape_every_service_on_the_metrics_port_only(rendered):
    edges = inv.Network(rendered["prod"]).edges()

    scraped = {d for s, d, p in edges if s == inv.OUTSIDE and p == inv.METRICS_PORT}
    assert scraped == set(inv.metrics_workloads())
    assert {d for s, d, p in inv.Network(rendered["dev"]).edges() if p == inv.METRICS_PORT} == set()


def test_only_crm_reaches_postgresql(rendered):
    in_cluster = inv.Network(rendered["dev"])
    external = inv.Network(rendered["prod"])

    assert {s for s, d, _ in in_cluster.edges() if d == "postgres"} == {"crm", "crm-migrate", "crm-backup"}
    assert {pod for pod in external.pods if {5432, "*"} & external.external_ports(pod)} == {
        "crm",
        "crm-migrate",
        "crm-backup",
    }
