"""One form is one trace: the mesh exports its spans over OTLP/HTTP to a collector on 127.0.0.1."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest

from shvya_rpc.log_context import trace_id_from
from shvya_testkit.otlp import ReceivedSpan

pytestmark = pytest.mark.e2e

# opentelemetry.proto.trace.v1.Span.SpanKind
SERVER, CLIENT, PRODUCER, CONSUMER = 2, 3, 4, 5


def form() -> dict:
    suffix = uuid.uuid4().int % 10**8
    return {
        "phone_number": f"+9197{suffix:08d}",
        "contact_name": "Asha Verma",
        "message_text": "Interested in Digital Marketing course. What is the fee?",
        "channel": "email",
        "email": f"asha.{suffix}@example.com",
    }


def post_and_wait_for_the_reply(mesh) -> str:
    """Posts a form, waits for its reply email, and returns the trace id the gateway answered with."""
    body = form()
    response = httpx.post(f"{mesh.gateway}/inbound-message", json=body, timeout=10)
    assert response.status_code == 200, response.text
    mesh.wait_until(
        lambda: any(body["email"] in m.rcpt_tos for m in mesh.smtp.messages), timeout=20, what="the reply"
    )
    trace_id = trace_id_from(response.headers["traceparent"])
    assert trace_id
    return trace_id


def spans_of_trace(collector, trace_id: str, services: set[str], timeout: float = 15.0) -> list[ReceivedSpan]:
    """The trace's spans, once each of `services` reported some and every parent named has arrived
    (a span is exported when it ends, and a parent ends after its children)."""
    deadline = time.monotonic() + timeout
    while True:
        spans = [s for s in collector.received() if s.trace_id == trace_id]
        ids = {s.span_id for s in spans}
        whole = all(not s.parent_span_id or s.parent_span_id in ids for s in spans)
        if (services <= {s.service for s in spans} and whole) or time.monotonic() > deadline:
            return spans
        time.sleep(0.1)


def chain(span: ReceivedSpan, by_id: dict[str, ReceivedSpan]) -> list[ReceivedSpan]:
    """`span` and its ancestors up to the root, following parent links."""
    found = [span]
    while found[-1].parent_span_id:
        parent = by_id.get(found[-1].parent_span_id)
        assert parent is not None, f"{found[-1].service} {found[-1].name} names a parent not in the trace"
        found.append(parent)
    return found


def only(spans: list[ReceivedSpan], service: str, kind: int, name: str) -> ReceivedSpan:
    matching = [s for s in spans if s.service == service and s.kind == kind and s.name.endswith(name)]
    assert len(matching) == 1, f"{service} {name}: {[(s.service, s.name) for s in spans]}"
    return matching[0]


EVERY_SERVICE = {"gateway", "crm", "conductor", "conductor-p1", "ai", "channels-email"}


def test_a_form_is_one_trace_from_the_gateway_through_the_worker_to_the_channel(traced_mesh, otlp_collector):
    # Given the mesh traced by OTEL_EXPORTER_OTLP_ENDPOINT, when a student posts the form
    trace_id = post_and_wait_for_the_reply(traced_mesh)

    # Then every service it passed through reported spans of the one trace
    spans = spans_of_trace(otlp_collector, trace_id, EVERY_SERVICE)
    assert {s.service for s in spans} >= EVERY_SERVICE
    by_id = {s.span_id: s for s in spans}

    # whose one root is the gateway's request span
    [root] = [s for s in spans if not s.parent_span_id]
    assert (root.service, root.kind, root.name) == ("gateway", SERVER, "POST /inbound-message")

    # and the channel's send descends, across the Dramatiq hand-off, from the form's request:
    # channel <- worker's call <- the job's consumer span <- the conductor's producer span
    # <- the conductor's DispatchJobs <- the gateway's call <- the request
    send = only(spans, "channels-email", SERVER, "ChannelsService/SendMessage")
    ancestry = chain(send, by_id)
    path = [(s.service, s.kind) for s in ancestry]
    named = [(s.service, s.kind, s.name) for s in ancestry]
    assert path[:3] == [("channels-email", SERVER), ("conductor-p1", CLIENT), ("conductor-p1", CONSUMER)], (
        named
    )
    assert path[3:6] == [("conductor", PRODUCER), ("conductor", SERVER), ("gateway", CLIENT)], named
    assert ancestry[4].name.endswith("ConductorService/DispatchJobs")
    assert ancestry[-1] == root
    assert {service for service, _ in path[6:]} == {"gateway"}, named
    process = only(spans, "conductor-p1", CONSUMER, "process ai_engage")
    assert by_id[process.parent_span_id].name == "send ai_engage"

    # and so does the ai's turn, and the crm's intake is the gateway's call
    compose = only(spans, "ai", SERVER, "AiService/ComposeReply")
    assert process in chain(compose, by_id)
    intake = only(spans, "crm", SERVER, "LeadsService/IngestInboundMessage")
    assert by_id[intake.parent_span_id].service == "gateway"


def test_the_log_lines_of_the_job_carry_the_trace_id_of_the_form(traced_mesh, otlp_collector):
    trace_id = post_and_wait_for_the_reply(traced_mesh)

    def worker_lines() -> list[dict]:
        text = traced_mesh.services["worker-p1"].log.read_text()
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    # The worker logs the job's end just after the email left.
    traced_mesh.wait_until(
        lambda: any(
            "completed" in line["message"] and line.get("trace_id") == trace_id for line in worker_lines()
        ),
        timeout=10,
        what="the job's last line, with the form's trace id",
    )


def test_probes_and_the_relays_polling_leave_no_trace(traced_mesh, otlp_collector):
    before = {s.span_id for s in otlp_collector.received()}

    # Given a readiness probe (the gateway asks the crm and the conductor for their health), and
    # the relay asking the crm for due jobs every 0.1 s all the while
    assert httpx.get(f"{traced_mesh.gateway}/readyz", timeout=5).status_code == 200
    time.sleep(1.5)

    # Then nothing was recorded but what is left of the forms' traces
    received = otlp_collector.received()
    forms = {s.trace_id for s in received if s.name == "POST /inbound-message"}
    assert [
        (s.service, s.name) for s in received if s.span_id not in before and s.trace_id not in forms
    ] == []
