"""The demo company's owner, as `make up` seeds it: the password it prints is the one that signs in."""

from __future__ import annotations

import uuid

from shvya_crm.people import passwords
from shvya_crm.seed import seed_demo, seed_demo_owner
from shvya_crm.settings import DEFAULT_COMPANY_ID
from shvya_crm.storage.db import make_engine, make_sessionmaker
from shvya_crm.storage.models import User


def _hash(database_url: str, email: str) -> str:
    engine = make_engine(database_url, 1)
    try:
        with make_sessionmaker(engine).begin() as session:
            return session.query(User).filter(User.email == email).one().password_hash
    finally:
        engine.dispose()


def _seed_owner(database_url: str, password: str) -> str:
    engine = make_engine(database_url, 1)
    try:
        with make_sessionmaker(engine).begin() as session:
            seed_demo(session, DEFAULT_COMPANY_ID)
            return seed_demo_owner(session, DEFAULT_COMPANY_ID, "owner@demo.shvya.in", password)
    finally:
        engine.dispose()


def test_seeding_again_with_another_password_makes_that_password_the_one_that_signs_in(database_url):
    email = _seed_owner(database_url, "the-first-password-" + uuid.uuid4().hex[:6])
    second = "the-second-password-" + uuid.uuid4().hex[:6]

    _seed_owner(database_url, second)

    assert passwords.verify(_hash(database_url, email), second)


def test_seeding_again_with_the_same_password_keeps_the_stored_hash(database_url):
    password = "the-same-password-" + uuid.uuid4().hex[:6]
    email = _seed_owner(database_url, password)
    before = _hash(database_url, email)

    _seed_owner(database_url, password)

    assert _hash(database_url, email) == before
