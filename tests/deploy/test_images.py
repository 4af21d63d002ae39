"""One image per service: slim Python, the locked dependencies of that service only, non-root, a health check."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import deploy_model as model
import pytest

SERVICES = [p.name for p in model.service_dirs()]


def _project(path: Path) -> dict:
    return tomllib.loads((path / "pyproject.toml").read_text())["project"]


def _workspace_members() -> dict[str, Path]:
    members = {}
    for pattern in tomllib.loads((model.REPO / "pyproject.toml").read_text())["tool"]["uv"]["workspace"][
        "members"
    ]:
        for path in sorted(model.REPO.glob(pattern)):
            if (path / "pyproject.toml").exists():
                members[_project(path)["name"]] = path
    return members


def _workspace_closure(service: Path) -> set[Path]:
    """The service and every workspace package it depends on, transitively."""
    members = _workspace_members()
    seen, todo = set(), [service]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for dep in _project(path).get("dependencies", []):
            name = re.split(r"[\s<>=!~\[;]", dep, maxsplit=1)[0]
            if name in members:
                todo.append(members[name])
    return seen


def _copies(stage: model.Stage) -> list[list[str]]:
    return [
        [a for a in args.split() if not a.startswith("--")]
        for word, args in stage.instructions
        if word == "COPY"
    ]


def _runs(stages: list[model.Stage]) -> str:
    return "\n".join(args for s in stages for word, args in s.instructions if word == "RUN")


def _targets(path: Path) -> list[str | None]:
    """None is the default target; named final stages that no other stage builds on are targets too."""
    stages = model.parse_dockerfile(path)
    bases = {s.base for s in stages}
    return [None, *(s.name for s in stages[:-1] if s.name and s.name not in bases and s.name != "builder")]


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_a_dockerfile(service):
    assert (model.REPO / "services" / service / "Dockerfile").exists()


@pytest.mark.parametrize("service", SERVICES)
def test_image_installs_only_its_services_locked_dependencies(service):
    path = model.REPO / "services" / service
    stages = model.parse_dockerfile(path / "Dockerfile")
    package = _project(path)["name"]
    runs = _runs(stages)

    assert f"uv sync --frozen --no-dev --package {package} --no-install-workspace" in runs
    assert f"uv sync --frozen --no-dev --package {package} --no-editable" in runs
    assert "pip install -r" not in runs
    assert "uv pip install" not in runs


@pytest.mark.parametrize("service", SERVICES)
def test_image_copies_every_workspace_package_it_needs_including_protos_and_rpc(service):
    path = model.REPO / "services" / service
    copied = {c[0].rstrip("/") for s in model.parse_dockerfile(path / "Dockerfile") for c in _copies(s)}
    needed = _workspace_closure(path)

    assert {"packages/protos", "packages/rpc"} <= {str(p.relative_to(model.REPO)) for p in needed}
    for member in needed:
        rel = str(member.relative_to(model.REPO))
        assert f"{rel}/pyproject.toml" in copied, f"{rel}'s pyproject.toml is not copied before uv sync"
        assert rel in copied, f"{rel} is not copied into the build"
    assert "packages/testkit" not in copied


@pytest.mark.parametrize(
    ("service", "target"),
    [(s, t) for s in SERVICES for t in _targets(model.REPO / "services" / s / "Dockerfile")],
)
def test_image_runs_slim_python_311_as_a_numeric_non_root_user_with_a_health_check(service, target):
    chain = model.stage_chain(
        model.parse_dockerfile(model.REPO / "services" / service / "Dockerfile"), target
    )
    instructions = [i for stage in reversed(chain) for i in stage.instructions]
    users = [args for word, args in instructions if word == "USER"]
    cmd = [args for word, args in instructions if word == "CMD"]

    text = (model.REPO / "services" / service / "Dockerfile").read_text()
    arg = re.search(r"^ARG PYTHON_IMAGE=(\S+)", text, flags=re.MULTILINE)
    base = chain[-1].base.replace("${PYTHON_IMAGE}", arg.group(1) if arg else "")

    assert re.fullmatch(r"python:3\.11-slim(-\w+)?", base), base
    assert users
    assert re.fullmatch(r"[1-9]\d*(:[1-9]\d*)?", users[-1]), f"the last USER is {users[-1]}"
    assert any(word == "HEALTHCHECK" and "shvya-healthcheck" in args for word, args in instructions)
    assert any(
        word == "COPY" and "deploy/docker/healthcheck.py /usr/local/bin/shvya-healthcheck" in args
        for word, args in instructions
    )
    assert cmd
    assert f"shvya_{service}" in cmd[-1]


def test_only_the_whatsapp_web_image_carries_chromium():
    for service in SERVICES:
        path = model.REPO / "services" / service / "Dockerfile"
        for target in _targets(path):
            runs = _runs(model.stage_chain(model.parse_dockerfile(path), target))
            has_browser = "chromium" in runs
            assert has_browser == (service == "channels" and target == "whatsapp-web"), (service, target)
    web = _runs(
        model.stage_chain(model.parse_dockerfile(model.REPO / "services/channels/Dockerfile"), "whatsapp-web")
    )
    assert "fonts-" in web


def _dockerignore_patterns() -> list[tuple[bool, re.Pattern]]:
    patterns = []
    for line in (model.REPO / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pat = line.lstrip("!").strip("/")
        regex = ""
        i = 0
        while i < len(pat):
            if pat.startswith("**/", i):
                regex += "(?:.*/)?"
                i += 3
            elif pat.startswith("**", i):
                regex += ".*"
                i += 2
            elif pat[i] == "*":
                regex += "[^/]*"
                i += 1
            elif pat[i] == "?":
                regex += "[^/]"
                i += 1
            else:
                regex += re.escape(pat[i])
                i += 1
        # A pattern that names a directory also covers everything below it.
        patterns.append((negate, re.compile(rf"{regex}(?:/.*)?")))
    return patterns


def _in_context(path: str, patterns) -> bool:
    """Docker's rule: the last pattern that matches the path decides."""
    included = True
    for negate, regex in patterns:
        if regex.fullmatch(path):
            included = negate
    return included


def _tracked(prefix: str) -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "--", prefix], cwd=model.REPO, capture_output=True, text=True, check=True
    )
    return [f for f in out.stdout.splitlines() if "/tests/" not in f]


def test_dockerignore_lets_in_every_file_the_dockerfiles_copy_and_keeps_secrets_out():
    patterns = _dockerignore_patterns()
    missing = []
    for service in SERVICES:
        for stage in model.parse_dockerfile(model.REPO / "services" / service / "Dockerfile"):
            for word, args in stage.instructions:
                if word != "COPY" or "--from=" in args:
                    continue
                for source in [a for a in args.split() if not a.startswith("--")][:-1]:
                    files = _tracked(source) or [source]
                    missing += [
                        f
                        for f in files
                        if f.endswith((".py", ".toml", ".lock", ".ini", ".mako"))
                        and not _in_context(f, patterns)
                    ]

    assert missing == []
    assert not _in_context(".env", patterns)
    assert not _in_context("services/crm/.env", patterns)
    assert not _in_context(".git/config", patterns)
    assert not _in_context(".venv/bin/python", patterns)
