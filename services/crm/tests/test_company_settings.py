"""A company's follow-up and send settings: defaults, partial changes, clear errors."""

from __future__ import annotations

import uuid

import grpc
import pytest

from shvya.crm.v1 import outreach_service_pb2 as outreach_pb
from shvya_rpc.errors import field_violations


def update(crm, **fields) -> outreach_pb.UpdateCompanySettingsResponse:
    return crm.stub.outreach.UpdateCompanySettings(
        outreach_pb.UpdateCompanySettingsRequest(settings=outreach_pb.CompanySettings(**fields))
    )


def test_a_new_company_follows_up_after_a_day_three_times_and_keeps_quiet_at_night(crm):
    company_id = crm.ingest().company_id
    settings = crm.stub.outreach.GetCompanySettings(
        outreach_pb.GetCompanySettingsRequest(company_id=company_id)
    ).settings
    assert (settings.followup_delay_seconds, settings.max_bumps) == (86400, 3)
    assert (settings.quiet_hours_enabled, settings.quiet_hours_start, settings.quiet_hours_end) == (
        True,
        "21:00",
        "09:00",
    )
    assert (settings.timezone, settings.followup_template) == ("Asia/Kolkata", "followup")


def test_only_the_fields_given_change(crm):
    company_id = crm.ingest().company_id
    update(crm, company_id=company_id, max_bumps=5)
    reply = update(crm, company_id=company_id, quiet_hours_start="22:30")
    assert (reply.settings.max_bumps, reply.settings.quiet_hours_start, reply.settings.quiet_hours_end) == (
        5,
        "22:30",
        "09:00",
    )
    assert reply.settings.followup_delay_seconds == 86400
    assert not reply.company_created


def test_quiet_hours_can_be_switched_off_and_the_send_policy_follows(crm):
    company_id = crm.ingest().company_id
    update(crm, company_id=company_id, quiet_hours_enabled=False)
    [(stored,)] = crm.sql("SELECT settings->'quiet_hours' FROM companies WHERE id = %s", (company_id,))
    assert stored is None
    settings = update(crm, company_id=company_id, quiet_hours_enabled=True).settings
    assert (settings.quiet_hours_enabled, settings.quiet_hours_start) == (True, "21:00")


def test_settings_for_an_unknown_company_create_it_with_its_pipeline(crm):
    company_id = str(uuid.uuid4())
    reply = update(crm, company_id=company_id, name="Nova Academy", timezone="Asia/Dubai")
    assert reply.company_created
    assert (reply.settings.name, reply.settings.timezone) == ("Nova Academy", "Asia/Dubai")
    assert (
        crm.count("stages s JOIN pipelines p ON p.id = s.pipeline_id", "p.company_id = %s", (company_id,))
        == 5
    )


def test_every_invalid_setting_is_named_and_nothing_changes(crm):
    company_id = crm.ingest().company_id
    before = crm.sql("SELECT settings, timezone FROM companies WHERE id = %s", (company_id,))
    with pytest.raises(grpc.RpcError) as refused:
        update(
            crm,
            company_id=company_id,
            timezone="Mars/Olympus",
            followup_delay_seconds=5,
            max_bumps=50,
            quiet_hours_start="25:00",
            followup_template="Follow Up!",
        )
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert set(field_violations(refused.value)) == {
        "settings.timezone",
        "settings.followup_delay_seconds",
        "settings.max_bumps",
        "settings.quiet_hours_start",
        "settings.followup_template",
    }
    assert crm.sql("SELECT settings, timezone FROM companies WHERE id = %s", (company_id,)) == before


def test_reading_the_settings_of_an_unknown_company_is_not_found(crm):
    with pytest.raises(grpc.RpcError) as missing:
        crm.stub.outreach.GetCompanySettings(
            outreach_pb.GetCompanySettingsRequest(company_id=str(uuid.uuid4()))
        )
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
