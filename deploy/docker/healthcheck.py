#!/usr/bin/env python
"""Container health check baked into every Shvya image as `shvya-healthcheck`.

    shvya-healthcheck grpc PORT   the grpc.health.v1 check of the server on 127.0.0.1:PORT says SERVING
    shvya-healthcheck http URL    the URL answers 2xx (the gateway's /healthz)
    shvya-healthcheck redis       Redis at $REDIS_URL answers PING
    shvya-healthcheck worker LANE the lane worker in this container polled its queue lately: it left a
                                  marker naming its Dramatiq broker id ($TMPDIR/shvya-worker-LANE.json),
                                  and that id's heartbeat in Redis is younger than --max-age seconds

Docker's HEALTHCHECK and Compose run it; Kubernetes probes the gRPC and HTTP servers natively and runs
it only for the lane workers. Exit status 0 is healthy, 1 is not (with the reason on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def check_grpc(port: int, timeout: float) -> str | None:
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    # With TLS on the gRPC port, the server answers health in plaintext on this one.
    port = int(os.environ.get("GRPC_TLS_HEALTH_PORT") or port)

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


def check_worker(lane: str, url: str, max_age: float, timeout: float, directory: str | None) -> str | None:
    import redis

    marker = Path(directory or tempfile.gettempdir()) / f"shvya-worker-{lane}.json"
    try:
        record = json.loads(marker.read_text())
        key, member = f"{record['namespace']}:__heartbeats__", record["broker_id"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"no running worker for lane {lane}: {marker}: {exc}"
    client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
    try:
        beat = client.zscore(key, member)
    except redis.RedisError as exc:
        return f"Redis did not answer: {exc}"
    finally:
        client.close()
    if beat is None:
        return f"the lane {lane} worker ({member}) has no heartbeat in Redis"
    age = time.time() - beat / 1000
    if age > max_age:
        return f"the lane {lane} worker last polled its queue {age:.0f}s ago (more than {max_age:.0f}s)"
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
    worker = sub.add_parser("worker")
    worker.add_argument("lane")
    worker.add_argument("--url", default=None, help="default: $REDIS_URL")
    worker.add_argument("--max-age", type=float, default=120.0, help="seconds (default 120)")
    worker.add_argument("--dir", default=os.environ.get("CONDUCTOR_WORKER_MARKER_DIR") or None)
    args = parser.parse_args(argv)

    if args.kind == "grpc":
        problem = check_grpc(args.port, args.timeout)
    elif args.kind == "http":
        problem = check_http(args.url, args.timeout)
    elif args.kind == "worker":
        url = args.url or redis_url_from_env()
        problem = check_worker(args.lane, url, args.max_age, args.timeout, args.dir)
    else:
        problem = check_redis(args.url or redis_url_from_env(), args.timeout)
    if problem:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
