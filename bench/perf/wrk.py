"""Closed-loop HTTP load with wrk (C, epoll): the generator is the same for the floor and the mesh.

Each request of an intake run is a new student (a distinct phone number and email), so the
mesh does the full work of a first contact and no re-post is deduplicated away.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Lua run by wrk. Each thread numbers its requests; `run` (0-99) keeps runs against
# one database apart. Phone numbers are valid Indian mobiles: +91 98 <run><thread><counter>.
# The path is set by intake_lua: a peer's webhook lives elsewhere than the gateway's.
_INTAKE_BODY = r"""
local threads = {}
local counter = 0
local run = 0
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  run = tonumber(args[1]) or 0
end
function request()
  counter = counter + 1
  local n = string.format("%02d%d%05d", run % 100, (tid or 0) % 10, counter % 100000)
  local body = '{"phone_number":"+9198' .. n .. '","contact_name":"Bench Student ' .. n ..
    '","message_text":"Hi, I am interested in the Digital Marketing course. What is the fee?"' ..
    ',"channel":"email","email":"student' .. n .. '@bench.example"}'
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end
"""


def intake_lua(path: str = "/inbound-message") -> str:
    """The intake script posting to `path` (the gateway's by default)."""
    if not path.startswith("/") or '"' in path or "\\" in path:
        raise ValueError(f"not a plain absolute path: {path!r}")
    return f'local path = "{path}"\n' + _INTAKE_BODY + "\n"


INTAKE_LUA = intake_lua()

# INTAKE_LUA, paced: before each request a connection waits a random gap, exponentially
# distributed with a mean of args[2] ms, so the connections together offer about
# connections / gap requests a second, arriving like independent students. Latency is then
# measured below saturation, at a chosen rate, instead of at whatever rate the closed loop
# drives the system to (where it is the queue's length: connections / throughput).
PACED_INTAKE_LUA = (
    INTAKE_LUA
    + r"""
local gap = 0
local intake_init = init
function init(args)
  intake_init(args)
  gap = tonumber(args[2]) or 0
  math.randomseed(os.time() * 100 + (tid or 0))
end
function delay()
  return math.floor(-math.log(1 - math.random()) * gap)
end
"""
    + "\n"
)

# GET <path prefix><id> for ids read from a file, in turn.
FETCH_LUA = (
    r"""
local ids = {}
local i = 0
local prefix = "/leads/"
local suffix = ""
function init(args)
  prefix = args[2] or prefix
  suffix = args[3] or ""
  for line in io.lines(args[1]) do table.insert(ids, line) end
  i = math.random(#ids)
end
function request()
  i = i % #ids + 1
  return wrk.format("GET", prefix .. ids[i] .. suffix)
end
"""
    + "\n"
)

DONE_LUA = r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p95_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests: int
    seconds: float
    errors: int  # connection errors, timeouts and non-2xx/3xx answers
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float = 0.0
    p95_ms: float = 0.0
    # Answers outside 2xx/3xx: counted in `requests` too (and in `errors`).
    status_errors: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def ok_requests(self) -> int:
        """Requests answered with a 2xx or 3xx."""
        return self.requests - self.status_errors

    @property
    def ok_rps(self) -> float:
        return self.ok_requests / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "rps": round(self.rps, 1),
            "errors": self.errors,
            "status_errors": self.status_errors,
            "p50_ms": round(self.p50_ms, 2),
            "p90_ms": round(self.p90_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "max_ms": round(self.max_ms, 2),
            "mean_ms": round(self.mean_ms, 2),
        }


def parse(output: str) -> WrkResult:
    """Reads the JSON line the DONE_LUA hook prints."""
    for line in output.splitlines():
        if line.startswith("WRK_JSON "):
            d = json.loads(line.removeprefix("WRK_JSON "))
            return WrkResult(
                requests=d["requests"],
                seconds=d["duration_us"] / 1e6,
                errors=d["connect_errors"]
                + d["read_errors"]
                + d["write_errors"]
                + d["status_errors"]
                + d["timeouts"],
                p50_ms=d["p50_us"] / 1000,
                p90_ms=d["p90_us"] / 1000,
                p99_ms=d["p99_us"] / 1000,
                max_ms=d["max_us"] / 1000,
                mean_ms=d["mean_us"] / 1000,
                p95_ms=d.get("p95_us", 0) / 1000,
                status_errors=d["status_errors"],
            )
    raise RuntimeError(f"wrk printed no result:\n{output[-2000:]}")


def available() -> bool:
    return shutil.which("wrk") is not None


def run(
    url: str,
    script: str,
    *,
    connections: int,
    seconds: float,
    workdir: Path,
    args: tuple[str, ...] = (),
    threads: int = 2,
) -> WrkResult:
    """Runs wrk against `url` (base address) with `script` (INTAKE_LUA or FETCH_LUA)."""
    lua = workdir / "wrk.lua"
    lua.write_text(script + DONE_LUA)
    command = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{max(round(seconds), 1)}s",
        "--timeout",
        "10s",
        "-s",
        str(lua),
        url,
    ]
    if args:
        command += ["--", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr[-2000:]}")
    return parse(done.stdout)
