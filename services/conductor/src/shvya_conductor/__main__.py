"""The conductor entry point.

`python -m shvya_conductor serve` runs the gRPC API and the relay;
`python -m shvya_conductor worker --lane p1` runs one lane's workers.
"""

from __future__ import annotations

import argparse

from shvya_rpc import tracing
from shvya_rpc.logs import configure_logging
from shvya_rpc.metrics import serve_metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shvya_conductor", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the gRPC API and the relay (default)")
    worker = sub.add_parser("worker", help="run the workers of one lane")
    worker.add_argument("--lane", required=True, choices=["p1", "p2"])
    args = parser.parse_args(argv)

    from shvya_conductor.settings import ConductorSettings

    settings = ConductorSettings()
    if args.command == "worker":
        from shvya_conductor.worker import run_lane

        configure_logging(f"conductor-{args.lane}", settings.log_level)
        tracing.start(f"conductor-{args.lane}")
        serve_metrics()
        run_lane(settings, args.lane)
    else:
        from shvya_conductor.server import serve

        configure_logging("conductor", settings.log_level)
        tracing.start("conductor")
        serve_metrics()
        serve(settings)


if __name__ == "__main__":
    main()
