"""`python -m bench.perf` (`make bench`): run the benchmarks, print the table, write the JSON."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench.perf import peers, wrk
from bench.perf.report import machine
from bench.perf.run import FULL, SECTIONS, SMOKE, SMOKE_SECTIONS, Bench, sizes_dict


def _interrupt(signum, frame):
    # SIGTERM (and SIGINT, even where a shell started the bench with it ignored) unwinds like
    # Ctrl-C, so every process, database and Redis key the bench made is removed.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.perf", description=__doc__)
    parser.add_argument(
        "--smoke", action="store_true", help="every section at toy sizes (checks the harness)"
    )
    parser.add_argument(
        "--sections",
        default=None,
        help=f"comma-separated subset of {', '.join(SECTIONS)} (default: all; with --smoke: all but peers)",
    )
    parser.add_argument("--out", type=Path, default=Path(".run/bench/results.json"), help="the JSON results")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
        help="Redis to use; every key the run writes is under a fresh shvya_bench_ prefix and deleted",
    )
    parser.add_argument(
        "--profile", type=Path, default=None, help="record every service with py-spy into this directory"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    for noisy in ("httpx", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.sections is None:
        sections = SMOKE_SECTIONS if args.smoke else SECTIONS
    else:
        sections = tuple(s for s in args.sections.split(",") if s)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if "peers" in sections:
        # A BENCH_N8N that names nothing runnable is refused before minutes of other sections.
        try:
            peers.find_n8n()
        except ValueError as exc:
            parser.error(str(exc))
    if not wrk.available():
        print("wrk is not installed: run `make install` (scripts/bootstrap.sh installs it)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    sizes = SMOKE if args.smoke else FULL
    started = time.monotonic()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shvya-bench-") as tmp:
        workdir = Path(tmp)
        bench = Bench(sizes, workdir, args.redis_url, sections, args.profile)
        try:
            report = bench.run()
        except KeyboardInterrupt:
            print("interrupted: every process, database and Redis key of this run is gone", file=sys.stderr)
            return 130
        except BaseException:
            logs = args.out.parent / "logs"
            _keep_logs(workdir / "logs", logs)
            print(f"the bench failed; service logs are in {logs}", file=sys.stderr)
            raise
    elapsed = time.monotonic() - started
    report.data["sizes"] = sizes_dict(sizes)
    report.data["seconds"] = round(elapsed, 1)
    report.write(args.out)
    m = machine()
    print()
    print(
        f"Shvya bench ({'smoke' if args.smoke else 'full'}), {elapsed:.0f} s on {m['logical_cpus']} CPUs "
        f"({m['cpu']}), {m['memory_gib']} GiB, Python {m['python']}"
    )
    print()
    print(report.table())
    print()
    if args.smoke:
        report.notes.insert(
            0, "smoke run: toy sizes check the harness; its met/MISSED marks say nothing about speed"
        )
        if "peers" not in sections:
            report.notes.insert(1, "smoke run: the peer is left out (`--smoke --sections peers` runs it)")
    for note in report.notes:
        print(f"note: {note}")
    print(f"results: {args.out}")
    return 0


def _keep_logs(source: Path, target: Path) -> None:
    import shutil

    if source.exists():
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)


if __name__ == "__main__":
    sys.exit(main())
