"""Builds and runs a gRPC server with health, reflection, auth and graceful shutdown."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection, reflection_pb2, reflection_pb2_grpc

from shvya_rpc import metrics, tracing
from shvya_rpc.auth import TokenAuthInterceptor
from shvya_rpc.log_context import LogContextInterceptor
from shvya_rpc.tls import Tls

log = logging.getLogger(__name__)

# Large enough for a knowledge-base document or a long conversation, small
# enough that one request cannot exhaust a pod's memory.
MAX_MESSAGE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class Registration:
    """One servicer to mount: the generated `add_*_to_server` function and the
    service's descriptor, from which its full name is read so that health and
    reflection can never drift from the contract."""

    servicer: object
    add_to_server: Callable[[object, grpc.Server], None]
    service_descriptor: object  # google.protobuf.descriptor.ServiceDescriptor

    @property
    def full_name(self) -> str:
        return self.service_descriptor.full_name


@dataclass
class RunningServer:
    server: grpc.Server
    port: int
    health: health.HealthServicer
    service_names: tuple[str, ...]
    # The plaintext health-only port, when TLS is on and one was asked for.
    health_port: int | None = None

    def set_serving(self, serving: bool) -> None:
        status = (
            health_pb2.HealthCheckResponse.SERVING if serving else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in ("", *self.service_names):
            self.health.set(name, status)


@contextmanager
def run_server(
    registrations: Sequence[Registration],
    *,
    port: int,
    host: str = "[::]",
    max_workers: int = 16,
    max_concurrent_rpcs: int | None = None,
    token: str | None = None,
    grace_seconds: float = 10.0,
    interceptors: Sequence[grpc.ServerInterceptor] = (),
    reuse_port: bool = False,
    tls: Tls | None = None,
) -> Iterator[RunningServer]:
    """Starts a server on `port` (0 picks a free one) and stops it gracefully on exit.

    `main` and the tests both use this, so tests run exactly what ships. Calls beyond
    `max_concurrent_rpcs` (default 16 per worker thread) are refused RESOURCE_EXHAUSTED;
    those within it wait for a thread. With `reuse_port`, several processes listen on the
    same port and the kernel spreads new connections over them (SO_REUSEPORT). `tls`, by
    default the GRPC_TLS_* variables (shvya_rpc.tls), makes the port TLS-only.
    """
    tls = tls or Tls.from_environment()
    traced = tracing.enabled()
    all_interceptors = [
        LogContextInterceptor(span_trace_id=tracing.current_trace_id if traced else None),
        *interceptors,
    ]
    if metrics.enabled():
        all_interceptors.insert(0, metrics.server_interceptor())
    if token:
        all_interceptors.insert(0, TokenAuthInterceptor(token))
    if traced:
        # Outermost: a call refused for its token is in the trace too, and the span is current
        # by the time the log context binds its trace id.
        all_interceptors.insert(0, tracing.server_interceptor())
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="grpc"),
        interceptors=all_interceptors,
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.so_reuseport", 1 if reuse_port else 0),
        ],
        maximum_concurrent_rpcs=max_concurrent_rpcs or max_workers * 16,
    )
    for registration in registrations:
        registration.add_to_server(registration.servicer, server)

    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = tuple(r.full_name for r in registrations)
    _enable_reflection(server, (*names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name))
    credentials = tls.server_credentials()
    if credentials is None:
        bound = server.add_insecure_port(f"{host}:{port}")
    else:
        bound = server.add_secure_port(f"{host}:{port}", credentials)
    if bound == 0:
        raise OSError(f"could not bind gRPC port {host}:{port}")
    health_server = _health_only_server(health_servicer, host, tls.health_port) if credentials else None
    server.start()
    running = RunningServer(
        server=server,
        port=bound,
        health=health_servicer,
        service_names=names,
        health_port=health_server[1] if health_server else None,
    )
    running.set_serving(True)
    log.info(
        "gRPC server listening on %s:%d (%s) serving %s",
        host,
        bound,
        "plaintext" if credentials is None else "mutual TLS" if tls.ca else "TLS",
        ", ".join(names),
    )
    try:
        yield running
    finally:
        # Report NOT_SERVING first so load balancers stop routing, then let
        # in-flight calls finish within the grace period.
        health_servicer.enter_graceful_shutdown()
        server.stop(grace_seconds).wait()
        if health_server:
            health_server[0].stop(0).wait()
        log.info("gRPC server on port %d stopped", bound)


def _health_only_server(
    health_servicer: health.HealthServicer, host: str, port: int | None
) -> tuple[grpc.Server, int] | None:
    """A plaintext server of gRPC health alone, sharing the main server's health statuses, for
    probes that cannot speak TLS. It tells whether the service serves, and nothing else."""
    if port is None:
        return None
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="grpc-health"))
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    bound = server.add_insecure_port(f"{host}:{port}")
    if bound == 0:
        raise OSError(f"could not bind the gRPC health port {host}:{port}")
    server.start()
    return server, bound


REFLECTION_V1 = "grpc.reflection.v1.ServerReflection"


def _register_reflection_v1_descriptor() -> None:
    """Puts grpc/reflection/v1/reflection.proto in the default pool, so a client that
    describes every listed service (`grpcurl describe`) can resolve the v1 name too.
    It is v1alpha's file under the v1 package: the messages are the same."""
    pool = descriptor_pool.Default()
    try:
        pool.FindFileByName("grpc/reflection/v1/reflection.proto")
        return
    except KeyError:
        pass
    proto = descriptor_pb2.FileDescriptorProto()
    reflection_pb2.DESCRIPTOR.CopyToProto(proto)
    proto.name = "grpc/reflection/v1/reflection.proto"
    proto.package = "grpc.reflection.v1"
    old, new = ".grpc.reflection.v1alpha.", ".grpc.reflection.v1."
    for message in proto.message_type:
        for field in message.field:
            if field.HasField("type_name"):
                field.type_name = field.type_name.replace(old, new)
    for service in proto.service:
        for method in service.method:
            method.input_type = method.input_type.replace(old, new)
            method.output_type = method.output_type.replace(old, new)
    pool.AddSerializedFile(proto.SerializeToString())


def _enable_reflection(server: grpc.Server, names: tuple[str, ...]) -> None:
    """Server reflection under both names: grpcio-reflection implements only
    v1alpha, while newer clients (grpcurl, Postman) ask for v1 first. The two
    protocols are the same on the wire, so one servicer answers both."""
    _register_reflection_v1_descriptor()
    servicer = reflection.ReflectionServicer((*names, reflection.SERVICE_NAME, REFLECTION_V1))
    reflection_pb2_grpc.add_ServerReflectionServicer_to_server(servicer, server)
    server.add_generic_rpc_handlers(
        (
            grpc.method_handlers_generic_handler(
                REFLECTION_V1,
                {
                    "ServerReflectionInfo": grpc.stream_stream_rpc_method_handler(
                        servicer.ServerReflectionInfo,
                        request_deserializer=reflection_pb2.ServerReflectionRequest.FromString,
                        response_serializer=reflection_pb2.ServerReflectionResponse.SerializeToString,
                    )
                },
            ),
        )
    )


def wait_for_termination(extra_stop: threading.Event | None = None) -> None:
    """Blocks until SIGTERM or SIGINT (or `extra_stop` is set)."""
    stop = extra_stop or threading.Event()

    def _handle(signum: int, _frame: object) -> None:
        log.info("received signal %s, shutting down", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, _handle)
    signal.signal(signal.SIGINT, _handle)
    stop.wait()
