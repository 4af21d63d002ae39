"""The crm entry point: `python -m shvya_crm [serve|migrate|downgrade|seed-demo|create-owner]`."""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import sys
import uuid

from shvya_rpc import tracing
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
    owner = sub.add_parser(
        "create-owner",
        help="create the first owner of a company (password from OWNER_PASSWORD, else one is generated and printed)",
    )
    owner.add_argument("--company", required=True, type=uuid.UUID, help="the company's id")
    owner.add_argument("--email", required=True)
    owner.add_argument("--name", default="")
    owner.add_argument(
        "--company-name", default="", help="creates the company with this name if it does not exist"
    )
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
        from shvya_crm.seed import DEMO_NAME, seed_demo, seed_demo_owner
        from shvya_crm.storage.db import make_engine, make_sessionmaker

        engine = make_engine(settings.database_url, 1)
        with make_sessionmaker(engine).begin() as session:
            count = seed_demo(session, settings.default_company_id)
            owner_email = None
            if settings.demo_owner_password is not None:
                owner_email = seed_demo_owner(
                    session,
                    settings.default_company_id,
                    settings.demo_owner_email,
                    settings.demo_owner_password.get_secret_value(),
                )
        engine.dispose()
        log.info(
            "seeded %s (%s) with %d knowledge-base documents", DEMO_NAME, settings.default_company_id, count
        )
        if owner_email:
            log.info(
                "the demo company's owner signs in as %s (password from DEMO_OWNER_PASSWORD)", owner_email
            )
    elif args.command == "create-owner":
        sys.exit(_create_owner(settings, args))
    else:
        from shvya_crm.server import serve

        tracing.start("crm")
        if settings.processes == 1:  # several processes: each serves its own (shvya_rpc.processes)
            serve_metrics()
        serve(settings)


def _create_owner(settings, args) -> int:
    from shvya_crm.leads.companies import ensure_company
    from shvya_crm.people import users
    from shvya_crm.storage.db import make_engine, make_sessionmaker
    from shvya_crm.storage.models import Company
    from shvya_rpc.errors import FieldErrors

    password = os.environ.get("OWNER_PASSWORD", "")
    generated = not password
    if generated:
        password = secrets.token_urlsafe(18)
    engine = make_engine(settings.database_url, 1)
    try:
        with make_sessionmaker(engine).begin() as session:
            if session.get(Company, args.company) is None:
                if not args.company_name:
                    print(f"no company {args.company}: pass --company-name to create it", file=sys.stderr)
                    return 2
                ensure_company(session, args.company, args.company_name)
            user = users.create_owner(session, args.company, args.email, password, args.name)
    except FieldErrors as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(f"owner {user.email} ({user.id}) of company {args.company}")
    if generated:
        # Printed once, never stored: the argon2 hash is all the database keeps.
        print(f"password: {password}")
    return 0


if __name__ == "__main__":
    main()
