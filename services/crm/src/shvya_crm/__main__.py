"""The crm entry point: `python -m shvya_crm [serve|migrate|downgrade|seed-demo]`."""

from __future__ import annotations

import argparse
import logging

from shvya_rpc.logs import configure_logging
from shvya_rpc.metrics import serve_metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shvya_crm", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("serve", help="run the gRPC server (default)")
    sub.add_parser("migrate", help="apply every pending Alembic migration")
    down = sub.add_parser("downgrade", help="revert migrations")
    down.add_argument("revision", nargs="?", default="base")
    sub.add_parser("seed-demo", help="create or refresh the demo company and its course catalogue")
    args = parser.parse_args(argv)

    from shvya_crm.settings import CrmSettings

    settings = CrmSettings(serving=args.command in (None, "serve"))
    configure_logging("crm", settings.log_level)
    log = logging.getLogger("shvya_crm")

    if args.command == "migrate":
        from shvya_crm.migrate import upgrade

        upgrade(settings.database_url)
        log.info("database is at the latest schema")
    elif args.command == "downgrade":
        from shvya_crm.migrate import downgrade

        downgrade(settings.database_url, args.revision)
    elif args.command == "seed-demo":
        from shvya_crm.seed import DEMO_NAME, seed_demo
        from shvya_crm.storage.db import make_engine, make_sessionmaker

        engine = make_engine(settings.database_url, 1)
        with make_sessionmaker(engine).begin() as session:
            count = seed_demo(session, settings.default_company_id)
        engine.dispose()
        log.info(
            "seeded %s (%s) with %d knowledge-base documents", DEMO_NAME, settings.default_company_id, count
        )
    else:
        from shvya_crm.server import serve

        if settings.processes == 1:  # several processes: each serves its own (shvya_rpc.processes)
            serve_metrics()
        serve(settings)


if __name__ == "__main__":
    main()
