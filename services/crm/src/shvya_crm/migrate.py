"""Runs the crm's Alembic migrations programmatically (`python -m shvya_crm migrate`)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from shvya_crm.settings import psycopg2_url


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", "shvya_crm:migrations")
    # ConfigParser treats % as interpolation; URLs may carry %-escapes.
    config.set_main_option("sqlalchemy.url", psycopg2_url(database_url).replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
