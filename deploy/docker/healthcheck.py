#!/usr/bin/env python
"""Container health check baked into every Shvya image as `shvya-healthcheck`.

    shvya-healthcheck grpc PORT   the grpc.health.v1 check of the server on 127.0.0.1:PORT says SERVING
    shvya-healthcheck http URL    the URL answers 2xx (the gateway's /healthz)
    shvya-healthcheck redis       Redis at $REDIS_URL answers PING (the lane workers, which serve no port)

Docker's HEALTHCHECK and Compose run it; Kubernetes probes the gRPC and HTTP servers natively and runs
it only for the lane workers. Exit status 0 is healthy, 1 is not (with the reason on stderr).
"""

from __future__ import annotations

import argparse
import os
import sys
import urllib.request


def check_grpc(port: int, timeout: float) -> str | None:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        try:
            response = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=""), timeout=timeout
            )
        except grpc.RpcError as exc:
            return f"gRPC health check on port {port} failed: {exc.code().name}"
    if response.status != health_pb2.HealthCheckResponse.SERVING:
        return f"port {port} is {health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)}"
    return None


def check_http(url: str, timeout: float) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - a fixed local URL
            if 200 <= response.status < 300:
                return None
            return f"{url} answered {response.status}"
    except OSError as exc:
        return f"{url}: {exc}"


def check_redis(url: str, timeout: float) -> str | None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        client.ping()
    except redis.RedisError as exc:
        return f"Redis did not answer PING: {exc}"
    finally:
        client.close()
    return None


def redis_url_from_env() -> str:
    # The same names, in the same order of precedence, as the services' settings read.
    for name in ("CONDUCTOR_REDIS_URL", "CHANNELS_REDIS_URL", "REDIS_URL"):
        if os.environ.get(name):
            return os.environ[name]
    return "redis://localhost:6379/0"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="shvya-healthcheck", description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=3.0, help="seconds (default 3)")
    sub = parser.add_subparsers(dest="kind", required=True)
    sub.add_parser("grpc").add_argument("port", type=int)
    sub.add_parser("http").add_argument("url")
    sub.add_parser("redis").add_argument("--url", default=None, help="default: $REDIS_URL")
    args = parser.parse_args(argv)

    if args.kind == "grpc":
        problem = check_grpc(args.port, args.timeout)
    elif args.kind == "http":
        problem = check_http(args.url, args.timeout)
    else:
        problem = check_redis(args.url or redis_url_from_env(), args.timeout)
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
