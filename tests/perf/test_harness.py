"""The bench harness's own logic: a broken harness must fail CI, not print wrong figures."""

from __future__ import annotations

import http.server
import json
import threading
import uuid
from collections.abc import Iterator

import phonenumbers
import pytest

from bench.perf import loader, wrk
from bench.perf.report import Report
from bench.perf.stats import Latency, percentile, ratio
from shvya_testkit.postgres import query


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))  # 1..100
    assert percentile(values, 50) == 50
    assert percentile(values, 99) == 99
    assert percentile(values, 100) == 100
    assert percentile([7.0], 99) == 7.0
    assert percentile([3, 1, 2], 50) == 2


def test_percentile_refuses_no_values_and_bad_ranks():
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="p must be"):
        percentile([1], 0)


def test_latency_summary_of_a_skewed_sample():
    values = [10.0] * 98 + [400.0, 900.0]
    lat = Latency.of(values)
    assert (lat.count, lat.p50, lat.p95, lat.p99, lat.max) == (100, 10.0, 10.0, 400.0, 900.0)


def test_ratio_of_zero_denominator_is_none():
    assert ratio(1, 0) is None
    assert ratio(1, 4) == 0.25


def test_table_marks_met_and_missed_and_groups_sections():
    report = Report()
    report.add("intake", "32 clients", "900 req/s", "p99 < 50 ms", True)
    report.add("intake", "ratio", "0.40x", ">= 0.5x", False)
    report.add("footprint", "crm", "idle 80 MiB")
    lines = report.table().splitlines()
    assert lines[0].split() == ["section", "figure", "value", "target"]
    assert lines[2].startswith("intake")
    assert lines[2].endswith("met")
    assert lines[3].startswith(" ")
    assert lines[3].endswith("MISSED")
    assert lines[4].startswith("footprint")
    assert lines[4].endswith("idle 80 MiB")


def test_json_holds_rows_machine_and_data(tmp_path):
    report = Report()
    report.add("scale", "fetch", "1.05x", "<= 1.2x", True)
    report.data["scale"] = {"ratio": 1.05}
    out = tmp_path / "results" / "bench.json"
    report.write(out)
    written = json.loads(out.read_text())
    assert written["rows"] == [
        {"section": "scale", "figure": "fetch", "value": "1.05x", "target": "<= 1.2x", "met": True}
    ]
    assert written["data"] == {"scale": {"ratio": 1.05}}
    assert written["machine"]["logical_cpus"] >= 1


def test_wrk_output_is_read_from_the_done_hook():
    line = (
        'WRK_JSON {"requests":2000,"duration_us":10000000,"connect_errors":0,"read_errors":1,'
        '"write_errors":0,"status_errors":2,"timeouts":0,"p50_us":12000,"p90_us":20000,'
        '"p99_us":45000,"max_us":90000,"mean_us":13000.5}'
    )
    result = wrk.parse("Running 10s test\n" + line + "\n")
    assert result.rps == 200
    assert result.errors == 3
    assert (result.p50_ms, result.p99_ms) == (12.0, 45.0)


def test_answers_with_an_error_status_are_not_counted_as_answered():
    line = (
        'WRK_JSON {"requests":1621,"duration_us":10000000,"connect_errors":0,"read_errors":0,'
        '"write_errors":0,"status_errors":1600,"timeouts":3,"p50_us":12000,"p90_us":20000,'
        '"p99_us":45000,"max_us":90000,"mean_us":13000.5}'
    )
    result = wrk.parse(line)
    assert result.errors == 1603
    assert result.ok_requests == 21
    assert result.ok_rps == 2.1
    assert result.as_dict()["status_errors"] == 1600


def test_wrk_output_without_result_is_an_error():
    with pytest.raises(RuntimeError, match="no result"):
        wrk.parse("unable to connect to 127.0.0.1:1\n")


@pytest.fixture
def keeper() -> Iterator[tuple[str, list[bytes], list[str]]]:
    """An HTTP server that answers 200 to every POST and keeps the bodies it was sent, and the paths."""
    bodies: list[bytes] = []
    paths: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
            paths.append(self.path)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", bodies, paths
    finally:
        server.shutdown()


@pytest.mark.skipif(not wrk.available(), reason="wrk is not installed")
def test_intake_script_posts_a_distinct_valid_student_each_time(tmp_path, keeper):
    """The Lua runs in wrk's own interpreter, against a server that keeps what it is sent."""
    url, bodies, _ = keeper
    result = wrk.run(url, wrk.INTAKE_LUA, connections=2, seconds=1, workdir=tmp_path, args=("42",))
    assert result.requests > 10
    assert result.errors == 0
    posted = [json.loads(b) for b in bodies]
    phones = [p["phone_number"] for p in posted]
    assert len(set(phones)) == len(phones)
    assert {p["channel"] for p in posted} == {"email"}
    for phone in phones[:50]:
        assert phone.startswith("+919842")
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone))


@pytest.mark.skipif(not wrk.available(), reason="wrk is not installed")
def test_the_paced_script_offers_about_connections_over_gap_requests_a_second(tmp_path, keeper):
    # 4 connections with a mean gap of 100 ms offer about 40 requests a second: about 80 in 2 s
    # (a Poisson count: 80 +- 9), where the closed loop against this server sends thousands
    url, bodies, _ = keeper
    result = wrk.run(
        url, wrk.PACED_INTAKE_LUA, connections=4, seconds=2, workdir=tmp_path, args=("43", "100")
    )
    assert result.errors == 0
    assert 40 <= result.requests <= 120
    phones = [json.loads(b)["phone_number"] for b in bodies]
    assert len(set(phones)) == len(phones)
    assert all(p.startswith("+919843") for p in phones)


def test_copy_loader_writes_the_requested_rows(database_url):
    from shvya_crm.leads.companies import ensure_company
    from shvya_crm.storage.db import make_engine, make_sessionmaker

    company_id = uuid.UUID("00000000-0000-4000-8000-000000000001")
    engine = make_engine(database_url, 1)
    with make_sessionmaker(engine).begin() as session:
        ensure_company(session, company_id, "Bench Academy")
    engine.dispose()
    company = loader.Company.default(database_url, company_id)
    before = loader.counts(database_url)
    ids = loader.load(database_url, company, leads=25, messages_per_lead=4, first=500)
    after = loader.counts(database_url)
    assert len(ids) == len(set(ids)) == 25
    assert after["leads"] - before["leads"] == 25
    assert after["lead_contacts"] - before["lead_contacts"] == 25
    assert after["messages"] - before["messages"] == 100
    per_lead = query(
        database_url,
        "SELECT count(*) FROM messages WHERE lead_id = %s GROUP BY direction ORDER BY direction",
        (ids[0],),
    )
    assert per_lead == [(2,), (2,)]


@pytest.fixture
def paged_leads() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server that answers GET /leads with three pages chained by cursors, keeping the paths asked."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            asked.append(self.path)
            cursor = {"": "c1", "c1": "c2", "c2": None}[self.path.partition("cursor=")[2]]
            body = json.dumps({"leads": [], "next_cursor": cursor}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", asked
    finally:
        server.shutdown()


def test_the_list_mix_holds_each_first_page_and_the_pages_behind_it_until_the_last(paged_leads):
    from bench.perf import lead_lists

    url, _ = paged_leads

    paths = lead_lists._paths(url, [{"status": "active"}], deep=5)

    assert paths == [
        "status=active&limit=50",
        "status=active&limit=50&cursor=c1",
        "status=active&limit=50&cursor=c2",
    ]


@pytest.mark.skipif(not wrk.available(), reason="wrk is not installed")
def test_intake_script_posts_to_the_path_it_is_given(keeper, tmp_path):
    """A peer's webhook is not the gateway's path: the same students go where they are sent."""
    url, _, paths = keeper

    result = wrk.run(
        url, wrk.intake_lua("/webhook/inbound-message"), connections=1, seconds=1, workdir=tmp_path
    )

    assert result.requests > 0
    assert set(paths) == {"/webhook/inbound-message"}


def test_intake_script_refuses_a_path_that_would_break_its_lua():
    with pytest.raises(ValueError, match="plain absolute path"):
        wrk.intake_lua('/a"..os.exit().."')
    with pytest.raises(ValueError, match="plain absolute path"):
        wrk.intake_lua("webhook/inbound-message")
