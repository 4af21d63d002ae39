"""The rules every deploy file keeps, as functions that return a list of problems.

Each takes plain objects (rendered manifests, a loaded compose file), so the tests
can run it on the real files and on deliberately broken copies of them.
"""

from __future__ import annotations

import ipaddress
import re

from deploy_model import (
    DEFAULT_PORTS,
    HTTP_MODULES,
    NAMES_NOT_YET_READ,
    REPO,
    SAMPLE_SECRETS,
    THIRD_PARTY_IMAGES,
    EnvExample,
    InterpolationError,
    Process,
    all_env_names,
    argv,
    build_settings,
    channel_kinds,
    compose_argv,
    compose_env,
    container_env,
    dockerfile_for_image,
    env_names,
    find,
    ident,
    image_repository,
    image_tag,
    interpolate,
    iter_containers,
    lanes,
    listen_port,
    parse_dockerfile,
    parse_process,
    pod_template,
    referenced_variables,
    required_fields,
    sample_dotenv,
    selector_matches,
    settings_class,
    workloads,
)

SECRET_NAME = "shvya-secrets"
# Names of variables that hold a credential (or a URL that may embed one).
SECRET_ENV = re.compile(r"(TOKEN|PASSWORD|SECRET|API_KEY|DATABASE_URL|REDIS_URL)$")
CREDENTIAL_ENV = re.compile(r"(TOKEN|PASSWORD|SECRET|API_KEY)$")
# Variables a container may carry that no settings class reads, for the runtime itself.
RUNTIME_ENV = {"PATH", "HOME", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "TZ"}
# Read by the shared runtime (shvya_rpc) in every service process, not by a settings class.
SHARED_ENV = {"SHVYA_METRICS_PORT", "SHVYA_LOG_FORMAT", "SHVYA_GC_FREEZE"}
# OpenTelemetry's standard variables, read by its SDK in every service process (shvya_rpc.tracing).
OTEL_ENV = {
    "OTEL_SDK_DISABLED",
    "OTEL_SERVICE_NAME",
    "OTEL_RESOURCE_ATTRIBUTES",
    "OTEL_TRACES_EXPORTER",
    "OTEL_TRACES_SAMPLER",
    "OTEL_TRACES_SAMPLER_ARG",
    "OTEL_PROPAGATORS",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
    "OTEL_EXPORTER_OTLP_PROTOCOL",
    "OTEL_EXPORTER_OTLP_HEADERS",
    "OTEL_EXPORTER_OTLP_TIMEOUT",
    "OTEL_EXPORTER_OTLP_COMPRESSION",
    "OTEL_EXPORTER_OTLP_CERTIFICATE",
    "OTEL_BSP_SCHEDULE_DELAY",
    "OTEL_BSP_MAX_QUEUE_SIZE",
}
# Address variables -> the process that must answer there.
ADDRESS_ENV = {
    "CRM_ADDR": "crm",
    "CONDUCTOR_ADDR": "conductor",
    "AI_ADDR": "ai",
    "CHANNELS_EMAIL_ADDR": "channels:email",
    "CHANNELS_WHATSAPP_CLOUD_ADDR": "channels:whatsapp_cloud",
    "CHANNELS_WHATSAPP_WEB_ADDR": "channels:whatsapp_web",
}


def shared_env_names() -> set[str]:
    """Variables every process reads through the shared gRPC package (TLS)."""
    from shvya_rpc.tls import GrpcTlsSettings

    return all_env_names(GrpcTlsSettings)


def is_third_party(image: str) -> bool:
    return image_repository(image) in THIRD_PARTY_IMAGES


def webhook_lane() -> str:
    """The lane whose worker posts to companies' webhook URLs."""
    from shvya_conductor.lanes import TASKS

    return TASKS["webhook_reminder"].lane


def lane_workload(lane: str) -> str:
    return f"conductor-worker-{lane}"


def channel_workload(kind: str) -> str:
    return "channels-" + kind.replace("_", "-")


# --- what runs where: shared by the Kubernetes and compose checks --------------------------------


def process_env_problems(where: str, process: Process, env: dict[str, str]) -> list[str]:
    """Every variable set is one the code reads; the settings build; nothing required is missing."""
    problems = []
    settings = settings_class(process.module)
    known = (
        all_env_names(settings)
        | NAMES_NOT_YET_READ.get(process.module, set())
        | RUNTIME_ENV
        | shared_env_names()
        | SHARED_ENV
        | OTEL_ENV
    )
    for name in sorted(env):
        if name.upper() not in known:
            problems.append(f"{where}: sets {name}, which {process.module} does not read (a typo?)")
    names = env_names(settings)
    for field_name in required_fields(settings):
        if not any(n in {k.upper() for k in env} for n in names[field_name]):
            problems.append(f"{where}: {' or '.join(names[field_name])} has no default and is not set")
    try:
        build_settings(process.module, env, process.overrides)
    except Exception as exc:  # the settings' own validation, as at start-up
        first = str(exc).splitlines()
        problems.append(f"{where}: {process.module} refuses its settings: {' '.join(first[:3])}")
    return problems


def process_port(process: Process, env: dict[str, str]) -> int | None:
    try:
        return listen_port(process, build_settings(process.module, env, process.overrides))
    except Exception:
        return None


def default_port_problems(where: str, process: Process, env: dict[str, str]) -> list[str]:
    """The port a serving process listens on is its code default, which is the documented one."""
    problems = []
    default = listen_port(process, build_settings(process.module, {}, process.overrides))
    documented = DEFAULT_PORTS[process.port_key]
    if default != documented:
        problems.append(
            f"{process.port_key}: the code listens on {default} by default, the documentation says {documented}"
        )
    port_vars = env_names(settings_class(process.module)).get("port", [])
    for name in port_vars:
        if name in env:
            problems.append(f"{where}: overrides the default port with {name}={env[name]}")
    return problems


# --- Kubernetes -----------------------------------------------------------------------------------


def schema_problem_list(objects: list[dict], check) -> list[str]:
    return [f"{ident(o)}: {p}" for o in objects for p in check(o)]


def workload_problems(objects: list[dict]) -> list[str]:
    """Probes, requests and limits, and a locked-down security context on every workload."""
    problems = []
    service_accounts = {o["metadata"]["name"] for o in objects if o["kind"] == "ServiceAccount"}
    for obj in workloads(objects):
        spec = pod_template(obj)["spec"]
        pod_sc = spec.get("securityContext") or {}
        runs_to_completion = obj["kind"] in ("Job", "CronJob")
        where = ident(obj)
        if spec.get("serviceAccountName", "default") not in service_accounts:
            problems.append(
                f"{where}: its ServiceAccount {spec.get('serviceAccountName', 'default')} is not declared"
            )
        if spec.get("automountServiceAccountToken") is not False:
            problems.append(f"{where}: mounts a Kubernetes API token it does not need")
        if spec.get("enableServiceLinks") is not False:
            problems.append(
                f"{where}: enableServiceLinks is not false: Kubernetes would inject variables such as "
                "CRM_PORT=tcp://..., which the settings read"
            )
        for c in iter_containers(obj):
            cw = f"{where} container {c['name']}"
            sc = c.get("securityContext") or {}
            if sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot")) is not True:
                problems.append(f"{cw}: runAsNonRoot is not true")
            uid = sc.get("runAsUser", pod_sc.get("runAsUser"))
            if uid is None or uid == 0:
                problems.append(f"{cw}: no non-root runAsUser")
            if sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{cw}: allowPrivilegeEscalation is not false")
            if sc.get("privileged"):
                problems.append(f"{cw}: privileged")
            if sc.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{cw}: readOnlyRootFilesystem is not true")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                problems.append(f"{cw}: does not drop ALL capabilities")
            if (sc.get("capabilities") or {}).get("add"):
                problems.append(f"{cw}: adds capabilities")
            seccomp = (sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}).get("type")
            if seccomp not in ("RuntimeDefault", "Localhost"):
                problems.append(f"{cw}: no RuntimeDefault seccomp profile")
            resources = c.get("resources") or {}
            for kind in ("requests", "limits"):
                for res in ("cpu", "memory"):
                    if res not in (resources.get(kind) or {}):
                        problems.append(f"{cw}: no {res} {kind[:-1]}")
            if not runs_to_completion:
                for probe in ("readinessProbe", "livenessProbe"):
                    if probe not in c:
                        problems.append(f"{cw}: no {probe}")
    return problems


def _container_process(c: dict) -> Process | None:
    return parse_process(argv(c))


def grpc_probe_problems(objects: list[dict]) -> list[str]:
    """Servers are probed natively: gRPC health on the gRPC port, HTTP /healthz and /readyz on the gateway."""
    problems = []
    for obj in workloads(objects):
        for c in iter_containers(obj):
            process = _container_process(c)
            if not process or not process.serves:
                continue
            cw = f"{ident(obj)} container {c['name']}"
            env = container_env(c, objects, SAMPLE_SECRETS)
            port = process_port(process, env)
            if process.module in HTTP_MODULES:
                want = {"livenessProbe": "/healthz", "readinessProbe": "/readyz"}
                names = {p.get("name"): p["containerPort"] for p in c.get("ports") or []}
                for probe, path in want.items():
                    http = (c.get(probe) or {}).get("httpGet") or {}
                    probe_port = names.get(http.get("port"), http.get("port"))
                    if http.get("path") != path or probe_port != port:
                        problems.append(f"{cw}: {probe} is not an HTTP GET of {path} on port {port}")
            else:
                # With TLS on the gRPC port, the kubelet (which cannot speak TLS) asks the
                # plaintext health-only port instead.
                probed = int(env["GRPC_TLS_HEALTH_PORT"]) if env.get("GRPC_TLS_HEALTH_PORT") else port
                for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
                    if probe == "startupProbe" and probe not in c:
                        continue
                    grpc = (c.get(probe) or {}).get("grpc")
                    if not grpc or grpc.get("port") != probed:
                        problems.append(f"{cw}: {probe} is not a native gRPC probe on port {probed}")
    return problems


GRPC_TLS_FILES = {
    "GRPC_TLS_CERT_FILE": "tls.crt",
    "GRPC_TLS_KEY_FILE": "tls.key",
    "GRPC_TLS_CA_FILE": "ca.crt",
}


def grpc_tls_problems(objects: list[dict]) -> list[str]:
    """Every process that speaks gRPC reads its certificate, key and CA from the mounted Secret."""
    problems = []
    for obj in workloads(objects):
        spec = pod_template(obj)["spec"]
        secrets = {v["name"]: v["secret"]["secretName"] for v in spec.get("volumes") or [] if "secret" in v}
        for c in iter_containers(obj):
            if not _container_process(c) or obj["kind"] == "Job":
                continue
            cw = f"{ident(obj)} container {c['name']}"
            env = {e["name"]: e.get("value") for e in c.get("env") or []}
            mounts = {
                m["mountPath"].rstrip("/"): m["name"]
                for m in c.get("volumeMounts") or []
                if secrets.get(m["name"]) == "shvya-grpc-tls"
            }
            for variable, key in GRPC_TLS_FILES.items():
                path = env.get(variable) or ""
                directory, _, name = path.rpartition("/")
                if name != key or directory not in mounts:
                    problems.append(f"{cw}: {variable} is not {key} of the mounted Secret shvya-grpc-tls")
    return problems


METRICS_PORT = 9100


def _is_metrics_port(port: dict, env: dict[str, str]) -> bool:
    """The port `metrics` where the process serves Prometheus metrics (SHVYA_METRICS_PORT)."""
    return port.get("name") == "metrics" and str(port["containerPort"]) == env.get("SHVYA_METRICS_PORT")


def metrics_workloads() -> list[str]:
    """Every workload that serves metrics on METRICS_PORT (the gateway serves its own on its HTTP port)."""
    return ["crm", "conductor", *map(lane_workload, lanes()), "ai", *map(channel_workload, channel_kinds())]


def port_problems(objects: list[dict]) -> list[str]:
    """Container ports, Service ports and targetPorts are the port each process listens on by default."""
    problems = []
    pods = []  # (workload, labels, container, process, port)
    for obj in workloads(objects):
        labels = pod_template(obj)["metadata"].get("labels") or {}
        for c in iter_containers(obj):
            process = _container_process(c)
            if not process or not process.serves:
                continue
            env = container_env(c, objects, SAMPLE_SECRETS)
            where = f"{ident(obj)} container {c['name']}"
            problems += default_port_problems(where, process, env)
            port = process_port(process, env)
            served = [p for p in c.get("ports") or [] if not _is_metrics_port(p, env)]
            declared = [p["containerPort"] for p in served]
            if declared != [port]:
                problems.append(f"{where}: declares ports {declared}, but the process listens on {port}")
            wanted_name = "http" if process.module in HTTP_MODULES else "grpc"
            names = [p.get("name") for p in served]
            if names != [wanted_name]:
                problems.append(f"{where}: its port is named {names}, not [{wanted_name!r}]")
            pods.append((obj, labels, c, process, port))
    for svc in (o for o in objects if o["kind"] == "Service"):
        selected = [p for p in pods if selector_matches({"matchLabels": svc["spec"].get("selector")}, p[1])]
        if not selected:
            continue
        ports = {p[4] for p in selected}
        if len(ports) != 1:
            problems.append(f"{ident(svc)}: selects processes listening on different ports {sorted(ports)}")
            continue
        (port,) = ports
        for sp in svc["spec"]["ports"]:
            target = sp.get("targetPort", sp["port"])
            if isinstance(target, str):
                named = {p.get("name"): p["containerPort"] for p in selected[0][2].get("ports") or []}
                target = named.get(target)
            if sp["port"] != port or target != port:
                problems.append(
                    f"{ident(svc)}: port {sp['port']} -> {sp.get('targetPort')} but its pods listen on {port}"
                )
            if sp.get("name") not in ("grpc", "http"):
                problems.append(f"{ident(svc)}: port {sp['port']} is not named grpc or http")
    return problems


def services_by_address(objects: list[dict]) -> dict[tuple[str, int], set[str]]:
    """host:port -> the port keys (crm, channels:email, ...) of the processes behind that Service port."""
    served: dict[tuple[str, int], set[str]] = {}
    for svc in (o for o in objects if o["kind"] == "Service"):
        for obj in workloads(objects):
            labels = pod_template(obj)["metadata"].get("labels") or {}
            if not selector_matches({"matchLabels": svc["spec"].get("selector")}, labels):
                continue
            for c in iter_containers(obj):
                process = _container_process(c)
                if process and process.serves:
                    for sp in svc["spec"]["ports"]:
                        served.setdefault((svc["metadata"]["name"], sp["port"]), set()).add(process.port_key)
    return served


def address_problems(where: str, env: dict[str, str], served: dict[tuple[str, int], set[str]]) -> list[str]:
    problems = []
    for name, key in ADDRESS_ENV.items():
        if name not in env:
            continue
        host, _, port = env[name].rpartition(":")
        behind = served.get((host, int(port))) if port.isdigit() else None
        if behind != {key}:
            problems.append(f"{where}: {name}={env[name]} does not reach {key} (found {behind or 'nothing'})")
    return problems


def env_problems(objects: list[dict], secrets: dict[str, str] = SAMPLE_SECRETS) -> list[str]:
    """What the code reads is set or defaulted, what is set is read, and addresses reach the right process.

    `secrets` is the data of the Secret shvya-secrets the operator created.
    """
    problems = []
    served = services_by_address(objects)
    for obj in workloads(objects):
        for c in iter_containers(obj):
            for item in c.get("env") or []:
                ref = (item.get("valueFrom") or {}).get("secretKeyRef")
                if ref and not ref.get("optional") and ref["key"] not in secrets:
                    problems.append(f"{ident(obj)}: cannot start without the Secret key {ref['key']}")
            process = _container_process(c)
            if not process:
                continue
            where = f"{ident(obj)} container {c['name']}"
            env = container_env(c, objects, secrets)
            problems += process_env_problems(where, process, env)
            problems += address_problems(where, env, served)
    return problems


def image_problems(objects: list[dict]) -> list[str]:
    """Every image is a pinned third-party one or is built by a Dockerfile (and target) in this repository."""
    problems = []
    for obj in workloads(objects):
        for c in iter_containers(obj):
            image = c["image"]
            tag = image_tag(image)
            if not tag or tag == "latest":
                problems.append(f"{ident(obj)}: image {image} has no fixed tag")
            if is_third_party(image):
                continue
            problems += dockerfile_problems(ident(obj), image_repository(image))
    return problems


def dockerfile_problems(where: str, repository: str) -> list[str]:
    built = dockerfile_for_image(repository)
    if not built:
        return [f"{where}: no services/*/Dockerfile builds the image {repository}"]
    path, target = built
    stages = parse_dockerfile(path)
    if target and target not in {s.name for s in stages}:
        return [f"{where}: {path.relative_to(REPO)} has no target {target} for {repository}"]
    return []


def scaling_problems(objects: list[dict]) -> list[str]:
    """HPAs for the stateless parts, none for WhatsApp Web; a PodDisruptionBudget for every workload."""
    problems = []
    hpas = {o["spec"]["scaleTargetRef"]["name"]: o for o in objects if o["kind"] == "HorizontalPodAutoscaler"}
    for name, hpa in hpas.items():
        target = find(objects, hpa["spec"]["scaleTargetRef"]["kind"], name)
        if not target:
            problems.append(f"{ident(hpa)}: scales {name}, which does not exist")
        elif "replicas" in target["spec"]:
            problems.append(f"{ident(target)}: sets replicas although {ident(hpa)} owns the count")
    stateless = ["gateway", "console", "crm", "conductor", "ai", *map(lane_workload, lanes())]
    stateless += [channel_workload(k) for k in channel_kinds() if k != "whatsapp_web"]
    for name in stateless:
        if name not in hpas:
            problems.append(f"Deployment/{name}: no HorizontalPodAutoscaler")
    if channel_workload("whatsapp_web") in hpas:
        problems.append("WhatsApp Web is autoscaled: each pod is one linked number")
    pdbs = [o for o in objects if o["kind"] == "PodDisruptionBudget"]
    for obj in objects:
        if obj["kind"] not in ("Deployment", "StatefulSet"):
            continue
        labels = pod_template(obj)["metadata"].get("labels") or {}
        if not any(selector_matches(p["spec"]["selector"], labels) for p in pdbs):
            problems.append(f"{ident(obj)}: no PodDisruptionBudget")
    return problems


def secret_problems(objects: list[dict]) -> list[str]:
    """Secrets are referenced from shvya-secrets with documented keys, never written into a manifest."""
    problems = []
    for obj in objects:
        if obj["kind"] == "Secret":
            problems.append(f"{ident(obj)}: a Secret is embedded in the manifests")
    for obj in workloads(objects):
        for c in iter_containers(obj):
            for item in c.get("env") or []:
                ref = (item.get("valueFrom") or {}).get("secretKeyRef")
                if SECRET_ENV.search(item["name"]) and not ref:
                    problems.append(f"{ident(obj)}: {item['name']} is not read from a Secret")
                if ref and (ref["name"] != SECRET_NAME or ref["key"] not in SAMPLE_SECRETS):
                    problems.append(
                        f"{ident(obj)}: {item['name']} reads {ref['name']}/{ref['key']}, not documented"
                    )
    for cm in (o for o in objects if o["kind"] == "ConfigMap"):
        for key in cm.get("data") or {}:
            if SECRET_ENV.search(key):
                problems.append(f"{ident(cm)}: holds {key}, a secret")
    return problems


def topology_problems(objects: list[dict]) -> list[str]:
    """The shape docs/deploy.md describes: lanes, channel kinds, WhatsApp Web with a volume, migrations as a Job."""
    problems = []
    for lane in lanes():
        obj = find(objects, "Deployment", lane_workload(lane))
        process = obj and _container_process(pod_template(obj)["spec"]["containers"][0])
        if not process or process.role != "worker" or process.lane != lane:
            problems.append(f"lane {lane}: no Deployment {lane_workload(lane)} running its worker")
    for kind in channel_kinds():
        wanted = "StatefulSet" if kind == "whatsapp_web" else "Deployment"
        obj = find(objects, wanted, channel_workload(kind))
        process = obj and _container_process(pod_template(obj)["spec"]["containers"][0])
        if not process or process.overrides.get("channel") != kind:
            problems.append(f"channel {kind}: no {wanted} {channel_workload(kind)} serving it")
    web = find(objects, "StatefulSet", channel_workload("whatsapp_web"))
    if web:
        claims = {t["metadata"]["name"] for t in web["spec"].get("volumeClaimTemplates") or []}
        container = pod_template(web)["spec"]["containers"][0]
        session_dir = container_env(container, objects, SAMPLE_SECRETS).get("WHATSAPP_SESSION_DIR")
        mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts") or []}
        if not session_dir or mounts.get(session_dir) not in claims:
            problems.append(
                "WhatsApp Web: WHATSAPP_SESSION_DIR is not on a volume from a volumeClaimTemplate"
            )
        headless = find(objects, "Service", web["spec"]["serviceName"])
        if not headless or headless["spec"].get("clusterIP") != "None":
            problems.append("WhatsApp Web: its serviceName is not a headless Service")
    migrate = [
        o
        for o in objects
        if o["kind"] == "Job"
        and (p := _container_process(pod_template(o)["spec"]["containers"][0]))
        and p.module == "shvya_crm"
        and p.role == "migrate"
    ]
    if not migrate:
        problems.append("no Job runs `python -m shvya_crm migrate`")
    for obj in workloads(objects):
        if obj["kind"] == "Job":
            continue
        for c in iter_containers(obj):
            p = _container_process(c)
            if p and p.module == "shvya_crm" and p.role != "serve":
                problems.append(f"{ident(obj)}: runs crm {p.role} in a long-running workload")
    return problems


# --- NetworkPolicies ------------------------------------------------------------------------------

OUTSIDE = "outside"  # anything not a pod of this namespace: the internet, other namespaces
DNS = "kube-dns"


def _peer_matches(peer: dict, src: str, src_labels: dict, namespace: str) -> bool:
    if "ipBlock" in peer:
        return src == OUTSIDE
    ns_sel = peer.get("namespaceSelector")
    if src == OUTSIDE:
        # Another namespace: matched by a namespace selector that is not pinned to kube-system.
        return ns_sel is not None and (ns_sel.get("matchLabels") or {}).get(
            "kubernetes.io/metadata.name"
        ) not in ("kube-system", namespace)
    if src == DNS:
        return ns_sel is not None and selector_matches(ns_sel, {"kubernetes.io/metadata.name": "kube-system"})
    if ns_sel is not None and not selector_matches(ns_sel, {"kubernetes.io/metadata.name": namespace}):
        return False
    pod_sel = peer.get("podSelector")
    return True if pod_sel is None else selector_matches(pod_sel, src_labels)


def _port_matches(rule_ports: list[dict] | None, port: int, protocol: str, names: dict[str, int]) -> bool:
    if not rule_ports:
        return True
    for rp in rule_ports:
        if rp.get("protocol", "TCP") != protocol:
            continue
        p = rp.get("port")
        if p is None:
            return True
        p = names.get(p) if isinstance(p, str) else p
        if p is not None and p <= port <= rp.get("endPort", p):
            return True
    return False


def _policy_types(policy: dict) -> list[str]:
    spec = policy["spec"]
    return spec.get("policyTypes") or (["Ingress", "Egress"] if "egress" in spec else ["Ingress"])


class Network:
    """Who can open a connection to whom, under the rendered NetworkPolicies of one namespace."""

    def __init__(self, objects: list[dict]) -> None:
        self.policies = [o for o in objects if o["kind"] == "NetworkPolicy"]
        self.namespace = next(
            (o["metadata"].get("namespace") for o in objects if "namespace" in o["metadata"]), ""
        )
        self.pods: dict[str, tuple[dict, dict[str, int]]] = {}
        for obj in workloads(objects):
            template = pod_template(obj)
            ports = {}
            for c in template["spec"]["containers"]:
                for p in c.get("ports") or []:
                    ports[p.get("name") or str(p["containerPort"])] = p["containerPort"]
            self.pods[obj["metadata"]["name"]] = (template["metadata"].get("labels") or {}, ports)

    def _selecting(self, pod: str, direction: str) -> list[dict]:
        labels = self.pods[pod][0]
        return [
            p
            for p in self.policies
            if direction in _policy_types(p) and selector_matches(p["spec"]["podSelector"], labels)
        ]

    def _ingress_ok(self, dst: str, src: str, port: int, protocol: str = "TCP") -> bool:
        policies = self._selecting(dst, "Ingress")
        if not policies:
            return True
        src_labels = self.pods[src][0] if src in self.pods else {}
        names = self.pods[dst][1]
        for policy in policies:
            for rule in policy["spec"].get("ingress") or []:
                peers = rule.get("from")
                if not _port_matches(rule.get("ports"), port, protocol, names):
                    continue
                if peers is None or any(_peer_matches(p, src, src_labels, self.namespace) for p in peers):
                    return True
        return False

    def _egress_ok(self, src: str, dst: str, port: int, protocol: str = "TCP") -> bool:
        if src == OUTSIDE:
            return True
        policies = self._selecting(src, "Egress")
        if not policies:
            return True
        dst_labels = self.pods[dst][0] if dst in self.pods else {}
        names = self.pods[dst][1] if dst in self.pods else {}
        for policy in policies:
            for rule in policy["spec"].get("egress") or []:
                peers = rule.get("to")
                if not _port_matches(rule.get("ports"), port, protocol, names):
                    continue
                if peers is None:
                    return True
                for peer in peers:
                    if dst == OUTSIDE and "ipBlock" in peer:
                        cidr = ipaddress.ip_network(peer["ipBlock"]["cidr"])
                        if cidr.prefixlen == 0:
                            return True
                    elif dst not in (OUTSIDE,) and _peer_matches(peer, dst, dst_labels, self.namespace):
                        return True
        return False

    def edges(self) -> set[tuple[str, str, int]]:
        """(source, destination, port) for every open port of every pod that the source can reach."""
        found = set()
        for dst, (_, ports) in self.pods.items():
            for port in set(ports.values()):
                for src in [OUTSIDE, *self.pods]:
                    if src != dst and self._egress_ok(src, dst, port) and self._ingress_ok(dst, src, port):
                        found.add((src, dst, port))
        return found

    def external_ports(self, src: str) -> set[int | str]:
        """Ports `src` may open to addresses outside the cluster ('*': any)."""
        if not self._selecting(src, "Egress"):
            return {"*"}
        ports: set[int | str] = set()
        for policy in self._selecting(src, "Egress"):
            for rule in policy["spec"].get("egress") or []:
                peers = rule.get("to")
                if peers is not None and not any("ipBlock" in p for p in peers):
                    continue
                if not rule.get("ports"):
                    ports.add("*")
                for rp in rule.get("ports") or []:
                    if isinstance(rp.get("port"), int):
                        ports.update(range(rp["port"], rp.get("endPort", rp["port"]) + 1))
        return ports

    def resolves_names(self, src: str) -> bool:
        return self._egress_ok(src, DNS, 53, "UDP")

    def default_deny(self) -> bool:
        return any(
            p["spec"]["podSelector"] in ({}, None)
            and set(_policy_types(p)) == {"Ingress", "Egress"}
            and not p["spec"].get("ingress")
            and not p["spec"].get("egress")
            for p in self.policies
        )


def expected_edges(
    datastores_in_cluster: bool, mail_sink: bool, metrics: bool = False
) -> set[tuple[str, str, int]]:
    conductor = ["conductor", *map(lane_workload, lanes())]
    channels = {channel_workload(k): DEFAULT_PORTS[f"channels:{k}"] for k in channel_kinds()}
    edges = {
        (OUTSIDE, "gateway", DEFAULT_PORTS["gateway"]),
        ("gateway", "crm", DEFAULT_PORTS["crm"]),
        ("gateway", "conductor", DEFAULT_PORTS["conductor"]),
        # The admin endpoints of the WhatsApp accounts (login state, QR code, kill switch).
        ("gateway", channel_workload("whatsapp_cloud"), DEFAULT_PORTS["channels:whatsapp_cloud"]),
        ("gateway", channel_workload("whatsapp_web"), DEFAULT_PORTS["channels:whatsapp_web"]),
        # Students' WhatsApp Web messages are recorded in the crm, and their first-reply jobs
        # handed to the conductor.
        (channel_workload("whatsapp_web"), "crm", DEFAULT_PORTS["crm"]),
        (channel_workload("whatsapp_web"), "conductor", DEFAULT_PORTS["conductor"]),
        # The console: people's pages over crm, replays and reply previews through the conductor,
        # and the WhatsApp numbers' status, QR code and resume.
        (OUTSIDE, "console", DEFAULT_PORTS["console"]),
        ("console", "crm", DEFAULT_PORTS["crm"]),
        ("console", "conductor", DEFAULT_PORTS["conductor"]),
        ("console", channel_workload("whatsapp_cloud"), DEFAULT_PORTS["channels:whatsapp_cloud"]),
        ("console", channel_workload("whatsapp_web"), DEFAULT_PORTS["channels:whatsapp_web"]),
    }
    for c in conductor:
        edges.add((c, "crm", DEFAULT_PORTS["crm"]))
        edges.add((c, "ai", DEFAULT_PORTS["ai"]))
        edges.update((c, ch, port) for ch, port in channels.items())
    if datastores_in_cluster:
        edges.update(
            {("crm", "postgres", 5432), ("crm-migrate", "postgres", 5432), ("crm-backup", "postgres", 5432)}
        )
        # The gateway counts the intake's rate limits there.
        edges.update((c, "redis", 6379) for c in [*conductor, *channels, "gateway"])
    if mail_sink:
        edges.add((channel_workload("email"), "mailpit", 1025))
    if metrics:
        # Prometheus, from its own namespace.
        edges.update((OUTSIDE, w, METRICS_PORT) for w in metrics_workloads())
    return edges


def expected_external_ports(datastores_in_cluster: bool) -> dict[str, set]:
    ports: dict[str, set] = {
        lane_workload(webhook_lane()): {80, 443},
        "ai": {443},
        channel_workload("email"): {25, 465, 587, 2525},
        channel_workload("whatsapp_cloud"): {443},
        channel_workload("whatsapp_web"): {80, 443},
    }
    if not datastores_in_cluster:
        for name in ("crm", "crm-migrate", "crm-backup"):
            ports[name] = {5432}
        for name in [
            "conductor",
            "gateway",
            *map(lane_workload, lanes()),
            *map(channel_workload, channel_kinds()),
        ]:
            ports[name] = ports.get(name, set()) | {6379, 6380}
    return ports


def network_problems(
    objects: list[dict], datastores_in_cluster: bool, mail_sink: bool, metrics: bool = False
) -> list[str]:
    net = Network(objects)
    problems = []
    if not net.default_deny():
        problems.append("no default-deny NetworkPolicy for every pod, in both directions")
    got, want = net.edges(), expected_edges(datastores_in_cluster, mail_sink, metrics)
    problems += [f"allowed but must not be: {s} -> {d}:{p}" for s, d, p in sorted(got - want, key=str)]
    problems += [f"needed but blocked: {s} -> {d}:{p}" for s, d, p in sorted(want - got, key=str)]
    wanted_external = expected_external_ports(datastores_in_cluster)
    for pod in net.pods:
        external = net.external_ports(pod)
        if external != wanted_external.get(pod, set()):
            problems.append(
                f"{pod} may reach outside on {sorted(external, key=str)}, "
                f"expected {sorted(wanted_external.get(pod, set()))}"
            )
        if not net.resolves_names(pod):
            problems.append(f"{pod}: DNS (kube-system, port 53) is blocked")
    return problems


# --- Docker Compose -------------------------------------------------------------------------------


def compose_variable_problems(text: str, example: EnvExample) -> list[str]:
    """Every variable compose reads is documented in .env.example, with the same default, and vice versa."""
    problems = []
    referenced = referenced_variables(text)
    for name, defaults in sorted(referenced.items()):
        if name not in example.names:
            problems.append(f"docker-compose.yml reads ${{{name}}}, which .env.example does not document")
            continue
        for default in defaults:
            if default is not None and default != example.value(name):
                problems.append(
                    f"{name}: docker-compose.yml defaults to {default!r}, .env.example says {example.value(name)!r}"
                )
    for name in sorted(example.names - set(referenced)):
        if not name.startswith("COMPOSE_"):
            problems.append(f".env.example documents {name}, which docker-compose.yml never reads")
    return problems


def compose_problems(doc: dict, example: EnvExample) -> list[str]:
    problems = []
    services = doc.get("services") or {}
    try:
        rendered = interpolate(doc, sample_dotenv(example))
    except InterpolationError as exc:
        return [f"docker-compose.yml does not interpolate with .env.example filled in: {exc}"]
    rsvc = rendered["services"]

    def need(name: str) -> dict:
        if name not in rsvc:
            problems.append(f"no service {name}")
            return {}
        return rsvc[name]

    for name, image in (("postgres", "postgres:15"), ("redis", "redis:7-alpine")):
        svc = need(name)
        if svc and svc.get("image") != image:
            problems.append(f"{name}: image {svc.get('image')}, not {image}")
        if svc and not (svc.get("healthcheck") or {}).get("test"):
            problems.append(f"{name}: no health check")

    # What each of our containers runs.
    processes: dict[str, Process] = {}
    for name, svc in rsvc.items():
        process = parse_process(compose_argv(svc))
        if process:
            processes[name] = process
        elif svc.get("image", "").startswith("shvya/"):
            problems.append(f"{name}: runs one of our images but no `python -m shvya_*` command")

    migrate = [n for n, p in processes.items() if p.module == "shvya_crm" and p.role == "migrate"]
    if len(migrate) != 1:
        problems.append(f"expected one migration service, found {migrate}")
    for name, p in processes.items():
        if p.module == "shvya_crm" and p.serves:
            dep = (rsvc[name].get("depends_on") or {}).get(migrate[0] if migrate else "", {})
            if dep.get("condition") != "service_completed_successfully":
                problems.append(f"{name}: does not wait for the migrations to complete")
    for name in migrate:
        dep = (rsvc[name].get("depends_on") or {}).get("postgres", {})
        if dep.get("condition") != "service_healthy":
            problems.append(f"{name}: does not wait for PostgreSQL to be healthy")
        if rsvc[name].get("restart") not in ("no", None):
            problems.append(f"{name}: a one-shot must not restart")

    serving = {p.port_key: n for n, p in processes.items() if p.serves}
    for key in DEFAULT_PORTS:
        if key not in serving:
            problems.append(f"no service serves {key}")
    for lane in lanes():
        if not any(p.role == "worker" and p.lane == lane for p in processes.values()):
            problems.append(f"no worker for lane {lane}")

    # Addresses: host:port must be the compose service that serves it, on its port.
    ports_of = {}
    for name, p in processes.items():
        if p.serves:
            ports_of[name] = process_port(p, compose_env(rsvc[name]))
    served = {(n, port): {processes[n].port_key} for n, port in ports_of.items()}

    for name, svc in rsvc.items():
        image = svc.get("image", "")
        if name in processes and not image.startswith("shvya/"):
            problems.append(f"{name}: runs our code from image {image}")
        if image.startswith("shvya/"):
            problems += compose_build_problems(name, svc)
        if name not in processes:
            continue
        process = processes[name]
        env = compose_env(svc)
        problems += process_env_problems(name, process, env)
        problems += address_problems(name, env, served)
        if process.serves:
            problems += default_port_problems(name, process, env)
            port = ports_of[name]
            health = (svc.get("healthcheck") or {}).get("test") or []
            health_port = _health_port(health)
            if health_port != port:
                problems.append(f"{name}: health check {health} does not probe port {port}")
            if process.module in HTTP_MODULES:
                settings = build_settings(process.module, env)
                if settings.host in ("127.0.0.1", "localhost", "::1"):
                    problems.append(f"{name}: listens on {settings.host}, unreachable from the host")
                targets = [str(p).rsplit(":", 1)[-1] for p in svc.get("ports") or []]
                if str(port) not in targets:
                    problems.append(f"{name}: port {port} is not published")
            elif str(port) not in [str(p) for p in svc.get("expose") or []]:
                problems.append(f"{name}: does not document its port {port} under expose")
        elif not (svc.get("healthcheck") or {}).get("test") and process.role == "worker":
            problems.append(f"{name}: no health check")

    # No secret written into the file: credentials come from .env (a URL may name a host, not a password).
    for name, svc in services.items():
        for var, value in compose_env(svc).items():
            literal = re.sub(r"\$\{[^}]*\}", "", value)
            credential = CREDENTIAL_ENV.search(var) and literal == value and value
            if credential or re.search(r"://[^/@]*:[^/@]+@", literal):
                problems.append(f"{name}: {var} is written into docker-compose.yml instead of read from .env")
        if name not in ("gateway", "console", "mailpit") and svc.get("ports"):
            problems.append(f"{name}: publishes ports on the host")
    return problems


def _health_port(test: list[str]) -> int | None:
    text = " ".join(str(t) for t in test)
    m = re.search(r"shvya-healthcheck (?:grpc (\d+)|http \S*?:(\d+)/)", text)
    return int(m.group(1) or m.group(2)) if m else None


def compose_build_problems(name: str, svc: dict) -> list[str]:
    """An image of ours is built here, from its Dockerfile (and target), never pulled."""
    repository = image_repository(svc["image"])
    build = svc.get("build")
    if not isinstance(build, dict):
        return [f"{name}: no build section for {repository}"]
    problems = dockerfile_problems(name, repository)
    built = dockerfile_for_image(repository)
    if built:
        path, target = built
        if build.get("context") != "." or build.get("dockerfile") != str(path.relative_to(REPO)):
            problems.append(f"{name}: builds {repository} from {build}, not {path.relative_to(REPO)}")
        if target and build.get("target") != target:
            problems.append(f"{name}: builds {repository} without --target {target}")
        if not target:
            stages = parse_dockerfile(path)
            names = {s.name for s in stages}
            if build.get("target") and build["target"] not in names:
                problems.append(f"{name}: target {build['target']} is not in {path.relative_to(REPO)}")
    if svc.get("pull_policy") != "build":
        problems.append(
            f"{name}: may pull a same-named image from a registry instead of building {repository}"
        )
    return problems
