"""deploy/monitoring: the alert rules and the Grafana dashboard read metrics the code exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import py_grpc_prometheus
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
MONITORING = REPO / "deploy" / "monitoring"
METRIC = re.compile(r"\b((?:shvya|grpc)_[a-z0-9_]+)")
SUFFIXES = ("_bucket", "_count", "_sum", "_total")


def rules() -> list[dict]:
    return [
        rule
        for group in yaml.safe_load((MONITORING / "alerts.yaml").read_text())["groups"]
        for rule in group["rules"]
    ]


def dashboard_exprs() -> list[str]:
    dashboard = json.loads((MONITORING / "grafana-dashboard.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def exported_names() -> str:
    """The source that declares metrics: ours and the gRPC instrumentation library's."""
    sources = [*REPO.glob("services/*/src/**/*.py"), *REPO.glob("packages/rpc/src/**/*.py")]
    sources += Path(py_grpc_prometheus.__file__).parent.glob("*.py")
    return "\n".join(path.read_text() for path in sources)


def undeclared(exprs: list[str]) -> set[str]:
    code = exported_names()
    missing = set()
    for expr in exprs:
        for name in METRIC.findall(expr):
            base = next((name.removesuffix(s) for s in SUFFIXES if name.endswith(s)), name)
            if f'"{base}"' not in code and f'"{name}"' not in code:
                missing.add(name)
    return missing


def test_every_alert_reads_metrics_the_code_exports():
    assert undeclared([rule["expr"] for rule in rules()]) == set()


def test_every_dashboard_panel_reads_metrics_the_code_exports():
    assert undeclared(dashboard_exprs()) == set()


@pytest.mark.parametrize(
    "alert",
    [
        "ShvyaDeadLettersGrowing",
        "ShvyaKillSwitchOn",
        "ShvyaLaneNotDraining",
        "ShvyaSendsRefusedByAccount",
        "ShvyaFirstRepliesSlow",
    ],
)
def test_the_alerts_an_operator_needs_exist_with_a_severity_and_a_summary(alert):
    [rule] = [r for r in rules() if r.get("alert") == alert]
    assert rule["labels"]["severity"] in ("warning", "critical")
    assert rule["annotations"]["summary"]


def test_a_misspelt_metric_would_be_caught():
    assert undeclared(["rate(shvya_jobz[5m])"]) == {"shvya_jobz"}
