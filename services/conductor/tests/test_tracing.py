"""The Dramatiq hand-off keeps the trace: a job runs in a span continuing the span that enqueued it."""

from __future__ import annotations

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from shvya_conductor.tracing import TraceContext


@pytest.fixture
def traced_broker():
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    broker = StubBroker()
    broker.emit_after("process_boot")
    broker.add_middleware(TraceContext(provider))
    seen: list[trace.SpanContext] = []

    def ai_engage(job_id: str) -> None:
        seen.append(trace.get_current_span().get_span_context())

    dramatiq.Actor(ai_engage, broker=broker, actor_name="ai_engage", queue_name="p1", priority=0, options={})
    yield broker, provider.get_tracer("test"), exporter, seen
    broker.close()


def run_queue(broker: StubBroker) -> None:
    worker = dramatiq.Worker(broker, worker_timeout=50, worker_threads=2)
    worker.start()
    try:
        broker.join("p1", timeout=10_000, fail_fast=False)
        worker.join()
    finally:
        worker.stop()


def enqueue(broker: StubBroker) -> dramatiq.Message:
    return broker.enqueue(
        dramatiq.Message(queue_name="p1", actor_name="ai_engage", args=("job-1",), kwargs={}, options={})
    )


def test_a_job_runs_in_a_consumer_span_whose_parent_is_the_send_in_the_dispatchers_trace(traced_broker):
    broker, tracer, exporter, seen = traced_broker
    # Given a job enqueued while the conductor handles a DispatchJobs call
    with tracer.start_as_current_span("DispatchJobs") as dispatching:
        message = enqueue(broker)

    # When a worker runs it
    run_queue(broker)

    # Then the message carried the trace, and the job ran inside the consumer span
    assert message.options["traceparent"].split("-")[1] == format(
        dispatching.get_span_context().trace_id, "032x"
    )
    spans = {s.name: s for s in exporter.get_finished_spans()}
    send, process = spans["send ai_engage"], spans["process ai_engage"]
    assert send.kind is trace.SpanKind.PRODUCER
    assert process.kind is trace.SpanKind.CONSUMER
    assert send.parent.span_id == dispatching.get_span_context().span_id
    assert process.parent.span_id == send.context.span_id
    assert process.context.trace_id == dispatching.get_span_context().trace_id
    assert [(c.trace_id, c.span_id) for c in seen] == [(process.context.trace_id, process.context.span_id)]
    assert process.attributes["shvya.job_id"] == "job-1"


def test_a_job_enqueued_outside_any_trace_begins_its_own_at_the_worker(traced_broker):
    broker, _tracer, exporter, seen = traced_broker

    message = enqueue(broker)
    run_queue(broker)

    assert "traceparent" not in message.options
    [process] = exporter.get_finished_spans()
    assert process.name == "process ai_engage"
    assert process.parent is None
    assert seen[0].span_id == process.context.span_id


def test_a_failing_job_ends_its_span_as_an_error(traced_broker):
    broker, _tracer, exporter, _seen = traced_broker

    def fails(job_id: str) -> None:
        raise RuntimeError("model down")

    dramatiq.Actor(
        fails, broker=broker, actor_name="fails", queue_name="p1", priority=0, options={"max_retries": 0}
    )
    broker.enqueue(
        dramatiq.Message(queue_name="p1", actor_name="fails", args=("job-2",), kwargs={}, options={})
    )
    run_queue(broker)

    [process] = exporter.get_finished_spans()
    assert process.name == "process fails"
    assert process.status.status_code is trace.StatusCode.ERROR
