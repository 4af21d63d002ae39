"""`python -m bench.faults`: the send-once fault run (bench/faults/send_once.py) per channel kind."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.faults.send_once import KINDS, Plan, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--channels", default=",".join(KINDS), help="comma-separated: email,whatsapp_cloud")
    parser.add_argument("--sends", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--senders", type=int, default=8)
    parser.add_argument(
        "--alive",
        default="0.2,1.0",
        help="MIN,MAX seconds the process lives once sends resume after a start (0,0.15: the first burst)",
    )
    parser.add_argument(
        "--reply-delay", type=float, default=0.02, help="the server's seconds before it answers"
    )
    parser.add_argument(
        "--budget", type=float, default=600.0, help="seconds per channel before the run stops"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(".run/bench/faults.json"))
    args = parser.parse_args(argv)

    low, _, high = args.alive.partition(",")
    alive = (float(low), float(high or low))
    results = []
    for kind in [k.strip() for k in args.channels.split(",") if k.strip()]:
        if kind not in KINDS:
            parser.error(f"unknown channel {kind!r} (one of {', '.join(KINDS)})")
        plan = Plan(
            kind=kind,
            sends=args.sends,
            kills=args.kills,
            senders=args.senders,
            alive_seconds=alive,
            reply_delay_seconds=args.reply_delay,
            budget_seconds=args.budget,
            redis_url=args.redis_url,
            seed=args.seed,
        )
        result = run(plan, args.out.parent / "faults-logs")
        results.append(result)
        print(
            f"{kind:15} sends {result.sends:5}  kills {result.kills:4}  in doubt {result.in_doubt:3}  "
            f"repeats {result.repeats:3} ({result.repeats_per_1000:.1f} per 1,000)  lost {result.lost}  "
            f"other Message-ID {result.repeats_with_another_message_id}  {result.seconds:.0f}s"
            + ("" if result.finished else "  UNFINISHED (time budget)"),
            flush=True,
        )
        for note in result.notes:
            print(f"  note: {note}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps([r.as_dict() for r in results], indent=2) + "\n")
    failed = any(r.lost or r.repeats_with_another_message_id or not r.finished for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
