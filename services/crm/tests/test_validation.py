"""Intake input: phone numbers become E.164 (default region India), and bad input is
refused with every offending field named, changing nothing."""

from __future__ import annotations

import grpc
import pytest

from shvya.type.v1 import channel_pb2
from shvya_crm.leads.inbound import normalise_phone
from shvya_rpc.errors import field_violations


@pytest.mark.parametrize(
    "raw",
    [
        "9876543210",
        "98765 43210",
        "98765-43210",
        "+91 98765 43210",
        "+919876543210",
        "09876543210",
        "919876543210",
        "  +91 (98765) 43210 ",
    ],
)
def test_an_indian_mobile_number_in_any_common_format_becomes_e164(raw):
    assert normalise_phone(raw, "IN") == "+919876543210"


def test_a_number_with_a_foreign_country_code_keeps_its_country():
    assert normalise_phone("+44 20 7946 0958", "IN") == "+442079460958"


@pytest.mark.parametrize("raw", ["12345", "98765", "+91 12345 67890 1234", "call me", "+1 555"])
def test_an_invalid_number_is_refused(raw):
    with pytest.raises(ValueError, match="not a"):
        normalise_phone(raw, "IN")


def test_an_empty_number_is_refused_as_required():
    with pytest.raises(ValueError, match="required"):
        normalise_phone("   ", "IN")


def test_intake_stores_the_e164_number_of_a_zero_prefixed_national_number(crm):
    # Given a form with a national number written with the trunk prefix
    # When it is ingested
    response = crm.ingest(phone_number="098765 43210")

    # Then the lead's phone is in E.164
    assert crm.scalar("SELECT phone FROM leads WHERE id = %s", (response.lead_id,)) == "+919876543210"


def test_an_invalid_phone_is_refused_naming_phone_number_and_nothing_is_written(crm):
    # Given an empty database
    before = crm.counts()

    # When a form with an impossible number arrives
    with pytest.raises(grpc.RpcError) as caught:
        crm.ingest(phone_number="12345")

    # Then it is refused, naming the field, and nothing was written
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    violations = field_violations(caught.value)
    assert set(violations) == {"phone_number"}
    assert "12345" in violations["phone_number"]
    assert crm.counts() == before


def test_every_bad_field_is_reported_at_once(crm):
    # When a request is wrong in five ways
    with pytest.raises(grpc.RpcError) as caught:
        crm.ingest(
            company_id="acme",
            phone_number="not a phone",
            message_text="   ",
            channel=channel_pb2.CHANNEL_UNSPECIFIED,
            email="not-an-email",
        )

    # Then one INVALID_ARGUMENT names all five, each with a reason
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    violations = field_violations(caught.value)
    assert set(violations) == {"company_id", "phone_number", "message_text", "channel", "email"}
    assert all(reason for reason in violations.values())
    assert crm.count("companies") == 0


def test_the_email_channel_requires_an_email_address(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.ingest(channel=channel_pb2.CHANNEL_EMAIL, email="")

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "required" in field_violations(caught.value)["email"]


def test_an_overlong_message_is_refused_naming_message_text(crm):
    with pytest.raises(grpc.RpcError) as caught:
        crm.ingest(message_text="x" * 4097)

    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(caught.value)) == {"message_text"}
    assert crm.count("messages") == 0
