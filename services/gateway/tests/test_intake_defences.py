"""The public intake's defences: rate limits in the real Redis, a honeypot, a bot check verified
against a local server that speaks the siteverify protocol.

The crm and conductor point at closed ports: a form that got past the defences answers 503,
so a 429, 403 or 422 below proves the gateway refused it itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from limits import parse
from limits.aio.storage import RedisStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter

from shvya_gateway.app import create_app
from shvya_gateway.settings import GatewaySettings
from shvya_testkit.ports import free_port
from shvya_testkit.siteverify import SiteverifyServer

NO_LIMITS = {
    "rate_limit_per_address": "",
    "rate_limit_per_phone": "",
    "rate_limit_per_email": "",
    "rate_limit_per_company": "",
    "new_email_addresses_per_company": "",
}


def form(n: int = 0, **overrides) -> dict:
    return {
        "phone_number": f"+91981234{n:04d}",
        "message_text": "Fees for the data science course?",
        "channel": "email",
        "email": f"student.{n}@example.com",
        **overrides,
    }


@pytest.fixture
def gateway(redis_url: str, redis_prefix: str) -> Iterator:
    """Opens gateways on the test's Redis prefix with the settings given (no limits unless given)."""
    opened: list[TestClient] = []

    def open_gateway(**values) -> TestClient:
        settings = GatewaySettings(
            crm_addr=f"127.0.0.1:{free_port()}",
            conductor_addr=f"127.0.0.1:{free_port()}",
            request_timeout_seconds=1,
            **{"redis_url": redis_url, "redis_prefix": redis_prefix, **NO_LIMITS, **values},
        )
        client = TestClient(create_app(settings), raise_server_exceptions=False)
        client.__enter__()
        opened.append(client)
        return client

    yield open_gateway
    for client in opened:
        client.__exit__(None, None, None)


def test_the_limits_are_on_by_default():
    settings = GatewaySettings()

    assert settings.rate_limits_enabled
    assert all(getattr(settings, name) for name in (*NO_LIMITS, "honeypot_field"))


def test_a_form_past_the_phone_limit_is_refused_with_429_and_retry_after(gateway):
    api = gateway(rate_limit_per_phone="3/minute")
    answers = [
        api.post("/inbound-message", json=form(1, email=f"s{i}@example.com")).status_code for i in range(3)
    ]

    refused = api.post("/inbound-message", json=form(1, phone_number="+91 98123 40001"))

    assert answers == [503, 503, 503]
    assert refused.status_code == 429
    assert refused.json()["limit"] == "phone"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_a_form_past_the_address_limit_is_refused_whatever_its_fields(gateway):
    api = gateway(rate_limit_per_address="2/minute")
    for n in range(2):
        assert api.post("/inbound-message", json=form(n)).status_code == 503

    refused = api.post("/inbound-message", json=form(99))

    assert refused.status_code == 429
    assert refused.json()["limit"] == "address"


def test_one_mailbox_written_differently_counts_as_one_email(gateway):
    api = gateway(rate_limit_per_email="2/hour")
    api.post("/inbound-message", json=form(1, email="rahul@example.com"))
    api.post("/inbound-message", json=form(2, email="Rahul+course@Example.com"))

    refused = api.post("/inbound-message", json=form(3, email="RAHUL@example.com"))

    assert refused.status_code == 429
    assert refused.json()["limit"] == "email"


def test_the_company_limit_counts_the_forms_of_every_sender(gateway):
    api = gateway(rate_limit_per_company="3/minute")
    for n in range(3):
        api.post("/inbound-message", json=form(n))

    refused = api.post("/inbound-message", json=form(50))

    assert refused.status_code == 429
    assert refused.json()["limit"] == "company"


def test_every_gateway_replica_counts_against_the_same_limit(gateway):
    # Given two gateways sharing one Redis
    first, second = gateway(rate_limit_per_phone="2/minute"), gateway(rate_limit_per_phone="2/minute")
    first.post("/inbound-message", json=form(7))
    second.post("/inbound-message", json=form(7))

    # When a third form for the number reaches either
    refused = first.post("/inbound-message", json=form(7))

    # Then it is refused
    assert refused.status_code == 429


def test_first_emails_to_new_addresses_are_capped_per_company(gateway):
    api = gateway(new_email_addresses_per_company="2/hour")
    api.post("/inbound-message", json=form(1))
    api.post("/inbound-message", json=form(2))

    refused = api.post("/inbound-message", json=form(3))

    assert refused.status_code == 429
    assert refused.json()["limit"] == "new_email"
    assert int(refused.headers["Retry-After"]) > 60


def test_an_address_already_written_to_does_not_count_against_the_new_address_cap(gateway):
    api = gateway(new_email_addresses_per_company="2/hour")
    api.post("/inbound-message", json=form(1))
    api.post("/inbound-message", json=form(2))

    again = api.post("/inbound-message", json=form(1, message_text="And the duration?"))

    assert again.status_code == 503  # past the defences


def test_a_whatsapp_form_does_not_count_as_a_new_email_address(gateway):
    api = gateway(new_email_addresses_per_company="1/hour")
    api.post("/inbound-message", json=form(1))

    answer = api.post("/inbound-message", json=form(2, channel="whatsapp_web"))

    assert answer.status_code == 503


def test_the_limits_count_with_the_limits_library_on_the_same_keys(gateway, redis_url, redis_prefix):
    # Given two forms for a number counted by the `limits` library's sliding window (as a replica
    # of an earlier gateway counts them), on the keys the gateway uses
    async def library_hits() -> None:
        storage = RedisStorage(
            f"async+{redis_url}", implementation="redispy", key_prefix=f"{redis_prefix}:gateway:limits"
        )
        limiter = SlidingWindowCounterRateLimiter(storage)
        for _ in range(2):
            assert await limiter.hit(parse("3/minute"), "phone", "919812340007")

    asyncio.run(library_hits())
    api = gateway(rate_limit_per_phone="3/minute")

    # When the gateway takes a third and a fourth
    answers = [api.post("/inbound-message", json=form(7)).status_code for _ in range(2)]

    # Then the third is within the limit and the fourth is past it
    assert answers == [503, 429]


def test_the_intake_stays_open_when_redis_is_down(gateway):
    api = gateway(redis_url=f"redis://127.0.0.1:{free_port()}/0", rate_limit_per_phone="1/minute")

    answers = [api.post("/inbound-message", json=form(1)).status_code for _ in range(3)]

    assert answers == [503, 503, 503]


def test_a_form_that_fills_the_honeypot_is_refused_naming_it(gateway):
    api = gateway()

    refused = api.post("/inbound-message", json=form(1, website="http://spam.example"))

    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "website"]


def test_a_form_that_leaves_the_honeypot_empty_passes(gateway):
    api = gateway()

    assert api.post("/inbound-message", data=form(1, website="")).status_code == 503


@pytest.fixture
def siteverify() -> Iterator[SiteverifyServer]:
    server = SiteverifyServer().start()
    yield server
    server.stop()


def bot_checked(gateway, siteverify: SiteverifyServer, provider: str = "turnstile") -> TestClient:
    return gateway(
        bot_check=provider, bot_check_secret=siteverify.secret, bot_check_verify_url=siteverify.url
    )


@pytest.mark.parametrize(
    ("provider", "field"),
    [
        ("turnstile", "cf-turnstile-response"),
        ("hcaptcha", "h-captcha-response"),
        ("recaptcha", "g-recaptcha-response"),
    ],
)
def test_a_form_with_a_token_the_provider_vouches_for_passes(gateway, siteverify, provider, field):
    api = bot_checked(gateway, siteverify, provider)
    token = siteverify.issue("TEST.DUMMY.TOKEN.1")

    answer = api.post("/inbound-message", data=form(1, **{field: token}))

    assert answer.status_code == 503  # past the bot check
    assert siteverify.requests[-1]["response"] == token
    assert siteverify.requests[-1]["secret"] == siteverify.secret


def test_a_form_whose_token_the_provider_refuses_is_a_403(gateway, siteverify):
    api = bot_checked(gateway, siteverify)

    answer = api.post("/inbound-message", json=form(1, **{"cf-turnstile-response": "forged"}))

    assert answer.status_code == 403


def test_a_token_is_good_for_one_form(gateway, siteverify):
    api = bot_checked(gateway, siteverify)
    token = siteverify.issue("TEST.DUMMY.TOKEN.2")
    api.post("/inbound-message", json=form(1, **{"cf-turnstile-response": token}))

    again = api.post("/inbound-message", json=form(2, **{"cf-turnstile-response": token}))

    assert again.status_code == 403


def test_a_form_without_a_token_is_a_422_naming_the_field(gateway, siteverify):
    api = bot_checked(gateway, siteverify)

    answer = api.post("/inbound-message", json=form(1))

    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "cf-turnstile-response"]
    assert siteverify.requests == []


def test_a_provider_that_does_not_answer_is_a_503_to_retry(gateway):
    api = gateway(
        bot_check="turnstile", bot_check_secret="s", bot_check_verify_url=f"http://127.0.0.1:{free_port()}/v"
    )

    answer = api.post("/inbound-message", json=form(1, **{"cf-turnstile-response": "t"}))

    assert answer.status_code == 503
    assert answer.json()["detail"].startswith("the bot check")
    assert answer.headers["Retry-After"] == "5"
