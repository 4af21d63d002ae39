"""The peer section's own logic: the n8n workflow and credential it imports, and finding n8n."""

from __future__ import annotations

import os
import re
import stat
import threading
import time

import psycopg2
import pytest

from bench.perf import peers

DATABASE = "postgresql://bench:s%40cret@127.0.0.1:5433/shvya_bench_0123456789"


def test_the_workflow_chains_webhook_insert_and_respond():
    flow = peers.workflow("wf0123456789abcd", "cr0123456789abcd")

    by_name = {node["name"]: node for node in flow["nodes"]}
    types = [node["type"] for node in flow["nodes"]]
    assert types == ["n8n-nodes-base.webhook", "n8n-nodes-base.postgres", "n8n-nodes-base.respondToWebhook"]
    chain = {
        source: [target["node"] for target in out["main"][0]] for source, out in flow["connections"].items()
    }
    webhook, insert, respond = (node["name"] for node in flow["nodes"])
    assert chain == {webhook: [insert], insert: [respond]}
    hook = by_name[webhook]["parameters"]
    assert (hook["httpMethod"], hook["path"], hook["responseMode"]) == (
        "POST",
        "inbound-message",
        "responseNode",
    )
    assert by_name[webhook]["webhookId"]
    assert by_name[insert]["credentials"]["postgres"]["id"] == "cr0123456789abcd"


def test_the_insert_binds_every_form_field_as_a_parameter():
    flow = peers.workflow("wf0123456789abcd", "cr0123456789abcd")
    insert = next(n for n in flow["nodes"] if n["type"] == "n8n-nodes-base.postgres")["parameters"]

    # One placeholder per field, in order, and the values from the posted body: no field is
    # pasted into the SQL text, so a quote in a student's name cannot break the statement.
    assert insert["operation"] == "executeQuery"
    assert re.findall(r"\$(\d+)", insert["query"]) == ["1", "2", "3", "4", "5"]
    assert (
        f"INSERT INTO {peers.TABLE} (phone_number, contact_name, message_text, channel, email)"
        in insert["query"]
    )
    assert re.findall(r"\$json\.body\.(\w+)", insert["options"]["queryReplacement"]) == list(peers.FIELDS)
    assert insert["options"]["queryReplacement"].startswith("={{ [")


def test_the_credential_is_read_from_the_database_url():
    [cred] = peers.credential("cr0123456789abcd", DATABASE)

    assert (cred["id"], cred["type"]) == ("cr0123456789abcd", "postgres")
    assert cred["data"]["host"] == "127.0.0.1"
    assert cred["data"]["port"] == 5433
    assert cred["data"]["database"] == "shvya_bench_0123456789"
    assert (cred["data"]["user"], cred["data"]["password"]) == ("bench", "s@cret")


def test_a_url_without_a_database_is_refused():
    with pytest.raises(ValueError, match="PostgreSQL URL"):
        peers.credential("cr0123456789abcd", "postgresql://postgres@127.0.0.1:5432")
    with pytest.raises(ValueError, match="PostgreSQL URL"):
        peers.credential("cr0123456789abcd", "mysql://root@127.0.0.1/bench")


def test_n8n_is_found_through_bench_n8n_before_path(tmp_path):
    named = tmp_path / "named" / "n8n"
    on_path = tmp_path / "bin" / "n8n"
    for exe in (named, on_path):
        exe.parent.mkdir()
        exe.write_text("#!/bin/sh\n")
        exe.chmod(exe.stat().st_mode | stat.S_IXUSR)

    assert peers.find_n8n({"BENCH_N8N": str(named), "PATH": str(on_path.parent)}) == named
    assert peers.find_n8n({"PATH": str(on_path.parent)}) == on_path
    assert peers.find_n8n({"PATH": str(tmp_path)}) is None


def test_a_bench_n8n_that_is_not_an_executable_is_an_error(tmp_path):
    plain = tmp_path / "n8n"
    plain.write_text("not a program")
    os.chmod(plain, 0o644)

    with pytest.raises(ValueError, match="not an executable"):
        peers.find_n8n({"BENCH_N8N": str(plain), "PATH": ""})
    with pytest.raises(ValueError, match="not an executable"):
        peers.find_n8n({"BENCH_N8N": str(tmp_path / "missing"), "PATH": ""})


def test_settle_waits_until_the_peer_stops_inserting(empty_database_url):
    """A peer behind its load goes on inserting after wrk stops; the next round waits for it."""
    peers._create_table(empty_database_url)
    execute(empty_database_url, f"TRUNCATE {peers.TABLE}")

    def late_rows() -> None:
        for _ in range(10):
            execute(empty_database_url, f"INSERT INTO {peers.TABLE} (phone_number) VALUES ('+919800000001')")
            time.sleep(0.1)

    behind = threading.Thread(target=late_rows)
    behind.start()
    try:
        settled = peers.settle(empty_database_url, quiet=2.0, timeout=60)
    finally:
        behind.join()

    assert settled == 10


def execute(database_url: str, statement: str) -> None:
    conn = psycopg2.connect(database_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


def test_without_n8n_the_section_says_how_to_install_it_and_measures_nothing(tmp_path, monkeypatch):
    from bench.perf.run import SMOKE, Bench

    monkeypatch.delenv("BENCH_N8N", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    bench = Bench(SMOKE, tmp_path, "redis://127.0.0.1:6379/0", ("peers",))

    bench.peers()

    assert bench.report.rows == []
    assert bench.report.notes[-1] == peers.INSTALL_HINT
    assert "npm install n8n@2.8.4" in peers.INSTALL_HINT
