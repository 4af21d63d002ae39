"""`python -m shvya_crm create-owner`, and the demo company's owner from `seed-demo`."""

from __future__ import annotations

import pytest

from shvya_crm.__main__ import main
from shvya_crm.settings import DEFAULT_COMPANY_ID


@pytest.fixture
def env(crm, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", crm.database_url)
    monkeypatch.delenv("OWNER_PASSWORD", raising=False)
    monkeypatch.delenv("DEMO_OWNER_PASSWORD", raising=False)
    return crm


def _create(company: str, email: str) -> int:
    with pytest.raises(SystemExit) as exited:
        main(["create-owner", "--company", company, "--email", email, "--company-name", "Acme"])
    return exited.value.code


def test_create_owner_prints_a_generated_password_and_stores_only_its_hash(env, capsys):
    assert _create(str(DEFAULT_COMPANY_ID), "Boss@Acme.example") == 0
    password = capsys.readouterr().out.split("password: ")[1].strip()
    assert env.sql("SELECT email, role FROM users") == [("boss@acme.example", "owner")]
    assert password not in env.scalar("SELECT password_hash FROM users")


def test_create_owner_takes_the_password_from_the_environment(env, capsys, monkeypatch):
    monkeypatch.setenv("OWNER_PASSWORD", "a long chosen password")
    assert _create(str(DEFAULT_COMPANY_ID), "boss@acme.example") == 0
    assert "password:" not in capsys.readouterr().out


def test_create_owner_refuses_an_email_already_in_the_company(env, capsys):
    _create(str(DEFAULT_COMPANY_ID), "boss@acme.example")
    assert _create(str(DEFAULT_COMPANY_ID), "boss@acme.example") == 2
    assert env.count("users") == 1


def test_seed_demo_makes_no_owner_without_a_password(env):
    main(["seed-demo"])
    assert env.count("users") == 0


def test_seed_demo_makes_the_demo_owner_with_the_given_password(env, monkeypatch):
    monkeypatch.setenv("DEMO_OWNER_PASSWORD", "a long demo password")
    main(["seed-demo"])
    assert env.sql("SELECT email, role FROM users") == [("owner@demo.shvya.in", "owner")]
