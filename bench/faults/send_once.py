"""Sent once, under fire: a channels process killed (SIGKILL) mid-send, again and again.

One run per channel kind. The real channels service runs as a separate process against a
local server that speaks the channel's protocol on 127.0.0.1 (SMTP through aiosmtpd, the
Graph API's messages endpoint over HTTP), with a reply delay that stands for a real
server's: the time in which the server has the message and the channel does not know yet.
Client threads play the conductor: each sends its messages with their idempotency keys and
asks again after every failure, deferral or dead connection, until the channel answers
SENT. A killer thread SIGKILLs the process at random moments and starts it again on the
same port. At the end the server's log is compared with what was sent:

- lost: messages the server never received (must be 0);
- repeats: copies beyond the first, reported per 1,000 sends;
- for email, repeats whose Message-ID differs from the first copy's (must be 0).

Only processes it started are killed, only 127.0.0.1 is contacted, the Redis keys live
under a prefix of their own and are deleted, and a time budget stops the run.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

import grpc
import redis

from shvya.channels.v1 import channels_service_pb2 as pb
from shvya.channels.v1 import channels_service_pb2_grpc as pb_grpc
from shvya.type.v1 import channel_pb2
from shvya_testkit.graph_api import GraphApiServer
from shvya_testkit.ports import free_port
from shvya_testkit.smtp import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
KINDS = ("email", "whatsapp_cloud")
# gRPC backs off up to two minutes between reconnections by default; a process started again
# is to be found at once, by the senders and by the check that it is ready.
FAST_RECONNECT = [
    ("grpc.initial_reconnect_backoff_ms", 50),
    ("grpc.min_reconnect_backoff_ms", 50),
    ("grpc.max_reconnect_backoff_ms", 100),
]


@dataclass(frozen=True)
class Plan:
    kind: str
    sends: int = 1000
    # SIGKILLs over the run; the process is started again after each.
    kills: int = 100
    # Concurrent senders (the conductor's workers).
    senders: int = 8
    # How long the process lives once sends reach the server again after a start, at random in
    # this range. (0.2, 1.0) kills it mid-stream; (0.0, 0.15) in the first burst after a start,
    # when every sender has a message in flight at once (the worst case).
    alive_seconds: tuple[float, float] = (0.2, 1.0)
    # The server's delay between taking a message and answering it.
    reply_delay_seconds: float = 0.02
    # The channel's claim lease: how long a dead process's claim holds a key.
    lease_seconds: int = 2
    budget_seconds: float = 600.0
    redis_url: str = "redis://127.0.0.1:6379/0"
    seed: int = 1


@dataclass
class Result:
    kind: str
    sends: int
    kills: int
    answered_sent: int
    received: int
    distinct: int
    repeats: int
    lost: int
    repeats_with_another_message_id: int
    # Sends that found their previous attempt in doubt: kills that landed in the window.
    in_doubt: int
    seconds: float
    finished: bool
    reply_delay_seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def repeats_per_1000(self) -> float:
        return 1000.0 * self.repeats / self.sends if self.sends else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "repeats_per_1000": round(self.repeats_per_1000, 2)}


class ChannelProcess:
    """`python -m shvya_channels` on a fixed port, which can be killed and started again."""

    def __init__(self, kind: str, port: int, env: dict[str, str], log_path: Path) -> None:
        self.kind = kind
        self.port = port
        self._env = env
        self.log_path = log_path
        self._process: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def start(self, timeout: float = 60.0) -> None:
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "shvya_channels", "--channel", self.kind],
                cwd=ROOT,
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with grpc.insecure_channel(f"127.0.0.1:{self.port}", options=FAST_RECONNECT) as channel:
            stub = pb_grpc.ChannelsServiceStub(channel)
            while True:
                assert self._process is not None
                if self._process.poll() is not None:
                    raise RuntimeError(f"the {self.kind} channel exited at start; see {self.log_path}")
                try:
                    stub.DescribeChannel(pb.DescribeChannelRequest(), timeout=1.0)
                    return
                except grpc.RpcError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(
                            f"the {self.kind} channel did not start; see {self.log_path}"
                        ) from None
                    time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL, to the process this object started and nothing else."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)

    def stop(self) -> None:
        self.kill()


def _env(plan: Plan, port: int, prefix: str, server_url: str, smtp_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHANNELS_", "SMTP_", "WHATSAPP_"))}
    env.pop("SHVYA_METRICS_PORT", None)
    env.update(
        ENV="development",
        CHANNELS_HOST="127.0.0.1",
        CHANNELS_PORT=str(port),
        CHANNELS_REDIS_URL=plan.redis_url,
        CHANNELS_REDIS_PREFIX=prefix,
        CHANNELS_SEND_LEASE_SECONDS=str(plan.lease_seconds),
        CHANNELS_LOG_LEVEL="WARNING",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
        SMTP_SECURITY="none",
        # Shorter than the lease: a live sender's claim never runs out while it waits.
        SMTP_TIMEOUT_SECONDS=str(max(plan.lease_seconds / 2, 0.5)),
        SMTP_DATA_TIMEOUT_SECONDS=str(max(plan.lease_seconds / 2, 0.5)),
        SMTP_FROM="Shvya Bench <admissions@bench.shvya.test>",
        WHATSAPP_CLOUD_GRAPH_URL=server_url,
        WHATSAPP_CLOUD_API_VERSION="v24.0",
        WHATSAPP_CLOUD_PHONE_ID="106540352242922",
        WHATSAPP_CLOUD_TOKEN="EAAG-bench-access-token",
        WHATSAPP_CLOUD_TIMEOUT_SECONDS=str(max(plan.lease_seconds / 2, 0.5)),
        WHATSAPP_CLOUD_MPS="100000",
        WHATSAPP_HUMAN_PACING="false",
    )
    return env


def _request(kind: str, index: int, run: str) -> pb.SendMessageRequest:
    text = f"Hello, this is message {index} of bench run {run}."
    if kind == "email":
        return pb.SendMessageRequest(
            channel=channel_pb2.CHANNEL_EMAIL,
            idempotency_key=f"bench:{run}:{index}",
            message_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{run}/{index}")),
            recipient=pb.Recipient(name="Bench Student", email=f"student{index}@example.com"),
            subject=f"Bench {index}",
            text=text,
        )
    return pb.SendMessageRequest(
        channel=channel_pb2.CHANNEL_WHATSAPP_CLOUD,
        idempotency_key=f"bench:{run}:{index}",
        message_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{run}/{index}")),
        recipient=pb.Recipient(name="Bench Student", phone_number=f"+9198{index:08d}"),
        text=text,
        window_open=True,
        recipient_wrote_first=True,
    )


@contextlib.contextmanager
def _server(kind: str, reply_delay: float) -> Iterator[tuple[SmtpServer | None, GraphApiServer | None]]:
    if kind == "email":
        smtp = SmtpServer(reply_delay=reply_delay).start()
        try:
            yield smtp, None
        finally:
            smtp.stop()
    else:
        graph = GraphApiServer(token="EAAG-bench-access-token", latency=reply_delay).start()
        try:
            yield None, graph
        finally:
            graph.stop()


def run(plan: Plan, log_dir: Path) -> Result:
    """One fault run for one channel kind."""
    rng = random.Random(plan.seed)
    run_id = uuid.uuid4().hex[:8]
    prefix = f"shvya_bench_faults_{run_id}"
    log_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    deadline = started + plan.budget_seconds
    with _server(plan.kind, plan.reply_delay_seconds) as (smtp, graph):
        server_url = graph.url if graph is not None else "http://127.0.0.1:9"
        port = free_port()
        process = ChannelProcess(
            plan.kind,
            port,
            _env(plan, port, prefix, server_url, smtp.port if smtp is not None else 9),
            log_dir / f"channels-{plan.kind}-{run_id}.log",
        )
        answers: dict[int, str] = {}
        pending = list(range(plan.sends))
        pending_lock = threading.Lock()
        done = threading.Event()
        kills = 0
        try:
            process.start()

            def sender() -> None:
                with grpc.insecure_channel(f"127.0.0.1:{port}", options=FAST_RECONNECT) as channel:
                    stub = pb_grpc.ChannelsServiceStub(channel)
                    while time.monotonic() < deadline:
                        with pending_lock:
                            if not pending:
                                return
                            index = pending.pop()
                        request = _request(plan.kind, index, run_id)
                        while time.monotonic() < deadline:
                            try:
                                response = stub.SendMessage(request, timeout=5.0)
                            except grpc.RpcError:
                                time.sleep(0.05)  # killed mid-call, or not started again yet
                                continue
                            if response.outcome == pb.SEND_OUTCOME_SENT:
                                answers[index] = response.external_id
                                break
                            if response.outcome in (
                                pb.SEND_OUTCOME_REJECTED,
                                pb.SEND_OUTCOME_ACCOUNT_BLOCKED,
                            ):
                                raise RuntimeError(f"send {index} refused: {response.reason}")
                            time.sleep(min(max(response.retry_after_seconds, 0.05), 0.5))

            def arrivals() -> int:
                return len(smtp.messages) if smtp is not None else len(graph.sends())

            # Kills stop in time for the last sends to finish within the budget.
            kills_end = started + 0.8 * plan.budget_seconds

            def killer() -> None:
                nonlocal kills
                while kills < plan.kills and not done.is_set() and time.monotonic() < kills_end:
                    seen = arrivals()
                    while arrivals() == seen:  # sends are flowing again
                        if done.wait(0.005):
                            return
                    if done.wait(rng.uniform(*plan.alive_seconds)):
                        return
                    process.kill()
                    kills += 1
                    process.start()

            threads = [threading.Thread(target=sender, daemon=True) for _ in range(plan.senders)]
            kill_thread = threading.Thread(target=killer, daemon=True)
            for thread in threads:
                thread.start()
            kill_thread.start()
            for thread in threads:
                thread.join(max(deadline - time.monotonic(), 0) + 10)
            done.set()
            kill_thread.join(60)
        finally:
            done.set()
            process.stop()
            _forget(plan.redis_url, prefix)
        seconds = time.monotonic() - started
        in_doubt = process.log_path.read_text(errors="replace").count("(in doubt)")
        return _tally(plan, smtp, graph, answers, kills, seconds, in_doubt)


def _tally(plan, smtp, graph, answers, kills, seconds, in_doubt) -> Result:
    copies: dict[int, list[str]] = defaultdict(list)
    if smtp is not None:
        for received in smtp.messages:
            index = int(received.message["Subject"].split()[-1])
            copies[index].append(str(received.message["Message-ID"]))
    else:
        for request in graph.sends():
            body = request.body if isinstance(request.body, dict) else {}
            text = (body.get("text") or {}).get("body", "")
            if "message " in text:
                copies[int(text.split("message ")[1].split()[0])].append("")
    received = sum(len(c) for c in copies.values())
    other_id = sum(len(c) - c.count(c[0]) for c in copies.values() if c)
    notes = []
    if smtp is not None:
        wrong = [i for i, ext in answers.items() if copies.get(i) and ext != copies[i][0]]
        if wrong:
            notes.append(f"{len(wrong)} sends answered with an id other than the email's Message-ID")
    return Result(
        kind=plan.kind,
        sends=plan.sends,
        kills=kills,
        answered_sent=len(answers),
        received=received,
        distinct=len(copies),
        repeats=received - len(copies),
        lost=plan.sends - len([i for i in range(plan.sends) if copies.get(i)]),
        repeats_with_another_message_id=other_id,
        in_doubt=in_doubt,
        seconds=round(seconds, 1),
        finished=len(answers) == plan.sends,
        reply_delay_seconds=plan.reply_delay_seconds,
        notes=notes,
    )


def _forget(redis_url: str, prefix: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
    finally:
        client.close()
