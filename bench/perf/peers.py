"""Peers: what people use instead of Shvya, run on the same machine in the same run as the mesh.

The one peer so far is n8n, as its users build a form intake: a Webhook node (POST, answered by a
node) -> a Postgres node (one INSERT into a table of the bench's temporary database) -> a Respond
to Webhook node. It is installed outside the repository (docs/performance.md says how) and
found through BENCH_N8N (the path of its `n8n` executable) or `n8n` on PATH; when it is not
there the section is skipped with a line saying how to install it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import httpx
import psutil
import psycopg2

from shvya_testkit.ports import free_port

INSTALL_HINT = (
    "n8n is not installed, so the peer is skipped: install it outside the repository with "
    "`mkdir -p ~/peers/n8n && cd ~/peers/n8n && npm install n8n@2.8.4` "
    "and run the bench with BENCH_N8N=~/peers/n8n/node_modules/.bin/n8n (docs/performance.md)"
)

TABLE = "bench_peer_intake"
CREATE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    " id bigserial PRIMARY KEY, phone_number text NOT NULL, contact_name text, message_text text,"
    " channel text, email text, received_at timestamptz NOT NULL DEFAULT now())"
)
# The webhook's path under n8n's production prefix (/webhook/), what wrk posts to.
WEBHOOK_PATH = "inbound-message"
FIELDS = ("phone_number", "contact_name", "message_text", "channel", "email")
CREDENTIAL_NAME = "bench PostgreSQL"

# n8n headless on loopback: no telemetry, no version or template look-ups, no browser. n8n's
# own state (the workflow, its executions) stays in its default SQLite file in a temporary
# user folder; everything else is n8n's defaults, as a user who installs it gets them.
N8N_ENV = {
    "N8N_DIAGNOSTICS_ENABLED": "false",
    "N8N_PERSONALIZATION_ENABLED": "false",
    "N8N_VERSION_NOTIFICATIONS_ENABLED": "false",
    "N8N_TEMPLATES_ENABLED": "false",
    "N8N_DIAGNOSTICS_CONFIG_FRONTEND": "",
    "N8N_DIAGNOSTICS_CONFIG_BACKEND": "",
    "EXTERNAL_FRONTEND_HOOKS_URLS": "",
    "N8N_HIRING_BANNER_ENABLED": "false",
    "N8N_LISTEN_ADDRESS": "127.0.0.1",
    "N8N_HOST": "127.0.0.1",
    "N8N_PROTOCOL": "http",
    "N8N_SECURE_COOKIE": "false",
    "N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS": "false",
    "DB_TYPE": "sqlite",
    "N8N_LOG_LEVEL": "warn",
}


def find_n8n(environ: dict[str, str] | None = None) -> Path | None:
    """BENCH_N8N if it names an executable file, else `n8n` on PATH, else None."""
    environ = os.environ if environ is None else environ
    named = environ.get("BENCH_N8N")
    if named:
        path = Path(named).expanduser()
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise ValueError(f"BENCH_N8N={named} is not an executable file")
        return path
    found = shutil.which("n8n", path=environ.get("PATH"))
    return Path(found) if found else None


def credential(credential_id: str, database_url: str) -> list[dict]:
    """The Postgres credential for `n8n import:credentials`: plain data, which n8n encrypts with
    its own key on import."""
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgresql", "postgres") or not parts.path.strip("/"):
        raise ValueError(f"not a PostgreSQL URL with a database: {database_url!r}")
    return [
        {
            "id": credential_id,
            "name": CREDENTIAL_NAME,
            "type": "postgres",
            "data": {
                "host": parts.hostname or "127.0.0.1",
                "port": parts.port or 5432,
                "database": unquote(parts.path.strip("/")),
                "user": unquote(parts.username or "postgres"),
                "password": unquote(parts.password or ""),
                "ssl": "disable",
                "allowUnauthorizedCerts": False,
                # The floor's pool size: room for every one of the 32 clients, and not n8n's
                # default of 100 on a PostgreSQL other runs share.
                "maxConnections": 32,
            },
        }
    ]


def workflow(workflow_id: str, credential_id: str) -> dict:
    """Webhook (POST, answered by the Respond node) -> Postgres (one INSERT of the form's fields,
    bound as parameters) -> Respond to Webhook (200, JSON with the new row's id), as one would
    build it in n8n's editor (each node at the version n8n 2.8 gives a new one)."""
    placeholders = ", ".join(f"${i}" for i in range(1, len(FIELDS) + 1))
    values = ", ".join(f"$json.body.{f}" for f in FIELDS)
    webhook, insert, respond = "Webhook", "Insert the form", "Respond"
    return {
        "id": workflow_id,
        "name": "bench intake",
        "active": False,
        "settings": {"executionOrder": "v1"},
        "nodes": [
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, webhook)),
                "name": webhook,
                "type": "n8n-nodes-base.webhook",
                "typeVersion": 2.1,
                "position": [0, 0],
                "webhookId": str(uuid.uuid5(uuid.NAMESPACE_URL, WEBHOOK_PATH)),
                "parameters": {
                    "httpMethod": "POST",
                    "path": WEBHOOK_PATH,
                    "responseMode": "responseNode",
                    "options": {},
                },
            },
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, insert)),
                "name": insert,
                "type": "n8n-nodes-base.postgres",
                "typeVersion": 2.6,
                "position": [220, 0],
                "credentials": {"postgres": {"id": credential_id, "name": CREDENTIAL_NAME}},
                "parameters": {
                    "operation": "executeQuery",
                    "query": f"INSERT INTO {TABLE} ({', '.join(FIELDS)}) VALUES ({placeholders}) RETURNING id",
                    "options": {"queryReplacement": f"={{{{ [{values}] }}}}"},
                },
            },
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, respond)),
                "name": respond,
                "type": "n8n-nodes-base.respondToWebhook",
                "typeVersion": 1.5,
                "position": [440, 0],
                "parameters": {
                    "respondWith": "json",
                    "responseBody": '={{ {"status": "ok", "lead_id": String($json.id)} }}',
                    "options": {},
                },
            },
        ],
        "connections": {
            webhook: {"main": [[{"node": insert, "type": "main", "index": 0}]]},
            insert: {"main": [[{"node": respond, "type": "main", "index": 0}]]},
        },
    }


@dataclass
class Peer:
    name: str
    version: str
    url: str
    # What wrk posts to, under `url`.
    path: str
    process: subprocess.Popen


def start_n8n(stack: contextlib.ExitStack, n8n: Path, database_url: str, logs: Path) -> Peer:
    """n8n on a free loopback port with a temporary user folder, the intake workflow imported and
    published; returns once the webhook answers. The process (and any it started) is stopped,
    and the folder deleted, by `stack`."""
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="shvya-bench-n8n-")))
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(folder),
        **N8N_ENV,
        "N8N_USER_FOLDER": str(folder),
        "N8N_PORT": str(port),
    }
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / "n8n.log"
    version = _cli(n8n, ["--version"], env, log_path).strip().splitlines()[-1]
    _create_table(database_url)
    credential_id, workflow_id = _n8n_id(), _n8n_id()
    (folder / "credentials.json").write_text(json.dumps(credential(credential_id, database_url)))
    (folder / "workflow.json").write_text(json.dumps(workflow(workflow_id, credential_id)))
    _cli(n8n, ["import:credentials", f"--input={folder / 'credentials.json'}"], env, log_path)
    _cli(n8n, ["import:workflow", f"--input={folder / 'workflow.json'}"], env, log_path)
    _cli(n8n, ["publish:workflow", f"--id={workflow_id}"], env, log_path)
    with log_path.open("ab") as log:
        process = subprocess.Popen([str(n8n), "start"], env=env, stdout=log, stderr=subprocess.STDOUT)
    stack.callback(stop_tree, process)
    peer = Peer("n8n", version, f"http://127.0.0.1:{port}", f"/webhook/{WEBHOOK_PATH}", process)
    _wait_for_webhook(peer, log_path)
    return peer


def _n8n_id() -> str:
    # n8n's ids: 16 characters of [0-9A-Za-z].
    return uuid.uuid4().hex[:16]


def _cli(n8n: Path, args: list[str], env: dict[str, str], log_path: Path) -> str:
    done = subprocess.run(
        [str(n8n), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    with log_path.open("a") as log:
        log.write(f"$ n8n {' '.join(args)}\n{done.stdout}{done.stderr}\n")
    if done.returncode != 0:
        raise RuntimeError(f"n8n {args[0]} failed ({done.returncode}): {(done.stdout + done.stderr)[-2000:]}")
    return done.stdout


def _create_table(database_url: str) -> None:
    conn = psycopg2.connect(database_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(CREATE_TABLE)
    finally:
        conn.close()


def rows(database_url: str) -> int:
    """Rows the peer has inserted so far."""
    conn = psycopg2.connect(database_url)
    try:
        with conn.cursor() as cur:
            cur.execute(f"SELECT count(*) FROM {TABLE}")
            return cur.fetchone()[0]
    finally:
        conn.close()


def settle(database_url: str, *, quiet: float = 2.0, timeout: float = 120) -> int:
    """Waits until the peer's row count has not moved for `quiet` seconds; returns it.

    wrk stops at its deadline, not when the peer has answered: a peer that is behind goes on
    running the abandoned requests, and would bill them to the next round."""
    deadline = time.monotonic() + timeout
    last, since = rows(database_url), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = rows(database_url)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return last
    raise RuntimeError(f"the peer was still inserting rows {timeout:.0f} s after the load stopped")


def _wait_for_webhook(peer: Peer, log_path: Path, timeout: float = 600) -> None:
    """Until the production webhook answers as the workflow's Respond node does (n8n answers 404
    before it has registered it, and retries an activation that failed at start-up later)."""
    body = {
        "phone_number": "+919800000000",
        "contact_name": "Bench Probe",
        "message_text": "probe",
        "channel": "email",
        "email": "probe@bench.example",
    }
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if peer.process.poll() is not None:
            raise RuntimeError(f"n8n exited ({peer.process.returncode}): {log_path.read_text()[-2000:]}")
        try:
            answer = probe(peer, body)
            if answer.status_code == 200 and "lead_id" in answer.text:
                return
            last = f"{answer.status_code} {answer.text[:200]}"
        except httpx.HTTPError as exc:
            last = repr(exc)
        time.sleep(0.5)
    raise RuntimeError(f"n8n's webhook did not answer in {timeout:.0f} s (last: {last})")


def probe(peer: Peer, body: dict | None = None) -> httpx.Response:
    """One form posted to the peer: its answer says what it does with one."""
    body = body or {
        "phone_number": "+919800000001",
        "contact_name": "Bench Probe",
        "message_text": "probe",
        "channel": "email",
        "email": "probe@bench.example",
    }
    return httpx.post(peer.url + peer.path, json=body, timeout=30)


def stop_tree(process: subprocess.Popen) -> None:
    """Stops `process` by its PID, then whatever it started that outlived it."""
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.Error:
        children = []
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()
